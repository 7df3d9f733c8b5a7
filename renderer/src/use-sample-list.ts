import { useCallback, useState } from 'react';
import type { DocumentId, SampleQuery, SampleSortColumn, SampleSummary } from '../../main/ipc/contract';
import { api, toAppError, type AppError } from './api';
import type { SiteFilter } from './site-list';
import { useLoader } from './use-loader';

export const SAMPLE_PAGE = 200;

/** How the list is narrowed and ordered, besides the site and the search box. */
export interface SampleListView {
  sort: { column: SampleSortColumn; descending: boolean };
  tag: string | null;
  collectedFrom: string;
  collectedTo: string;
}

export const DEFAULT_VIEW: SampleListView = { sort: { column: 'code', descending: false }, tag: null, collectedFrom: '', collectedTo: '' };

export interface SampleListState {
  samples: SampleSummary[] | undefined;
  /** How many samples match in all (the list shows a page at a time). */
  total: number | undefined;
  loading: boolean;
  error: AppError | null;
  /** True while fewer samples are shown than match. */
  hasMore: boolean;
  loadingMore: boolean;
  loadMore: () => void;
  reload: () => void;
}

/**
 * The samples of a site (or all), filtered by full-text search, tag and dates, sorted by a
 * column, a page at a time. `changes` counts the edits made in this window: each one reloads the
 * list from its first page.
 */
export function useSampleList(documentId: DocumentId, site: SiteFilter, search: string, view: SampleListView, changes: number): SampleListState {
  const query = useCallback(
    (offset: number): SampleQuery => ({
      ...(site === 'all' ? {} : { siteId: site }),
      ...(search.trim() ? { search: search.trim() } : {}),
      ...(view.tag !== null ? { tag: view.tag } : {}),
      ...(view.collectedFrom ? { collectedFrom: view.collectedFrom } : {}),
      ...(view.collectedTo ? { collectedTo: view.collectedTo } : {}),
      sort: view.sort,
      limit: SAMPLE_PAGE,
      offset,
    }),
    [site, search, view],
  );
  const key = JSON.stringify([documentId, site, search, view, changes]);
  const first = useLoader(() => api.listSamples(documentId, query(0)), [key]);
  const [more, setMore] = useState<{ key: string; samples: SampleSummary[]; loading: boolean; error: AppError | null }>({ key: '', samples: [], loading: false, error: null });
  const extra = more.key === key ? more : { key, samples: [], loading: false, error: null };
  const samples = first.value && [...first.value.samples, ...extra.samples];
  const total = first.value?.total;

  const loadMore = () => {
    if (!samples || extra.loading) return;
    setMore({ ...extra, loading: true, error: null });
    api.listSamples(documentId, query(samples.length)).then(
      (page) => setMore((m) => (m.key === key ? { key, samples: [...m.samples, ...page.samples], loading: false, error: null } : m)),
      (error: unknown) => setMore((m) => (m.key === key ? { ...m, loading: false, error: toAppError(error) } : m)),
    );
  };

  return {
    samples,
    total,
    loading: first.loading,
    error: first.error ?? extra.error,
    hasMore: samples !== undefined && total !== undefined && samples.length < total,
    loadingMore: extra.loading,
    loadMore,
    reload: first.reload,
  };
}
