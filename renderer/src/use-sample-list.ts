import { useCallback, useState } from 'react';
import type { DocumentId, SampleQuery, SampleSummary } from '../../main/ipc/contract';
import { api, toAppError, type AppError } from './api';
import type { SiteFilter } from './site-list';
import { useLoader } from './use-loader';

export const SAMPLE_PAGE = 200;

export interface SampleListState {
  samples: SampleSummary[] | undefined;
  loading: boolean;
  error: AppError | null;
  /** True when the last page was full, so there may be more. */
  hasMore: boolean;
  loadingMore: boolean;
  loadMore: () => void;
  reload: () => void;
}

/**
 * The samples of a site (or all), filtered by full-text search, a page at a time. `changes`
 * counts the edits made in this window: each one reloads the list from its first page.
 */
export function useSampleList(documentId: DocumentId, site: SiteFilter, search: string, changes: number): SampleListState {
  const query = useCallback((offset: number): SampleQuery => ({
    ...(site === 'all' ? {} : { siteId: site }),
    ...(search.trim() ? { search: search.trim() } : {}),
    limit: SAMPLE_PAGE,
    offset,
  }), [site, search]);
  const key = JSON.stringify([documentId, site, search, changes]);
  const first = useLoader(() => api.listSamples(documentId, query(0)), [key]);
  const [more, setMore] = useState<{ key: string; samples: SampleSummary[]; lastPageFull: boolean; loading: boolean; error: AppError | null }>(
    { key: '', samples: [], lastPageFull: true, loading: false, error: null },
  );
  const extra = more.key === key ? more : { key, samples: [], lastPageFull: true, loading: false, error: null };
  const samples = first.value && [...first.value, ...extra.samples];

  const loadMore = () => {
    if (!samples || extra.loading) return;
    setMore({ ...extra, loading: true, error: null });
    api.listSamples(documentId, query(samples.length)).then(
      (page) => setMore((m) => (m.key === key ? { key, samples: [...m.samples, ...page], lastPageFull: page.length === SAMPLE_PAGE, loading: false, error: null } : m)),
      (error: unknown) => setMore((m) => (m.key === key ? { ...m, loading: false, error: toAppError(error) } : m)),
    );
  };

  return {
    samples,
    loading: first.loading,
    error: first.error ?? extra.error,
    hasMore: Boolean(first.value && first.value.length === SAMPLE_PAGE && extra.lastPageFull),
    loadingMore: extra.loading,
    loadMore,
    reload: first.reload,
  };
}
