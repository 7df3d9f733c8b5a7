import type { Ref } from 'react';
import type { TagSummary } from '../../main/ipc/contract';
import { Icon } from './icon';
import { SampleList } from './sample-list';
import { SampleListControls } from './sample-list-controls';
import { StatusMessage } from './status-message';
import type { SampleListState, SampleListView } from './use-sample-list';
import { countOf } from './format-values';

export interface SamplePaneProps {
  /** "All samples" or the site's name. */
  scopeName: string;
  siteSelected: boolean;
  search: string;
  onSearch: (text: string) => void;
  /** The search the list currently answers (the box is debounced). */
  appliedSearch: string;
  list: SampleListState;
  view: SampleListView;
  onView: (view: SampleListView) => void;
  tags: TagSummary[];
  selectedId: number | null;
  onSelect: (id: number) => void;
  onSearchAll: () => void;
  onAdd: () => void;
  readOnly: boolean;
  searchRef: Ref<HTMLInputElement>;
}

/** The middle pane: the full-text search box, the list of samples, and "Add sample". */
export function SamplePane(props: SamplePaneProps) {
  const { scopeName, siteSelected, search, onSearch, appliedSearch, list, view, onView, tags, selectedId, onSelect, onSearchAll, onAdd, readOnly, searchRef } = props;
  const samples = list.samples;
  const searching = appliedSearch.trim() !== '';
  const narrowed = searching || view.tag !== null || view.collectedFrom !== '' || view.collectedTo !== '';
  // The true number of samples that match, not the page shown.
  const summary = list.total === undefined ? '' : narrowed ? countOf(list.total, 'match', 'matches') : countOf(list.total, 'sample');

  return (
    <section className="sample-pane" aria-labelledby="sample-pane-title">
      <div className="pane-header">
        <div className="pane-heading">
          <h2 id="sample-pane-title" className="pane-title-large">
            {scopeName}
          </h2>
          <span className="muted small" aria-live="polite">
            {summary}
          </span>
        </div>
        <button type="button" className="button button-primary" onClick={onAdd} disabled={readOnly} title={readOnly ? 'This notebook is open read-only' : undefined}>
          <Icon name="plus" /> Add sample
        </button>
      </div>
      <div className="search-box">
        <label htmlFor="sample-search" className="visually-hidden">
          Search samples
        </label>
        <Icon name="search" className="search-icon" />
        <input
          ref={searchRef}
          id="sample-search"
          data-testid="search-input"
          type="search"
          placeholder={`Search ${siteSelected ? scopeName : 'samples'}`}
          value={search}
          onChange={(event) => onSearch(event.target.value)}
          autoComplete="off"
          spellCheck={false}
        />
      </div>
      <SampleListControls view={view} onChange={onView} tags={tags} />
      <div className="sample-list-scroll">
        <div data-testid="sample-list" className="sample-list">
          {samples && samples.length > 0 && <SampleList samples={samples} selectedId={selectedId} onSelect={onSelect} busy={list.loading} showSite={!siteSelected} />}
          {!samples && list.loading && <StatusMessage kind="loading">Loading samples…</StatusMessage>}
          {samples?.length === 0 && (
            <StatusMessage kind="empty">
              {searching
                ? `No samples ${siteSelected ? `at ${scopeName} ` : ''}match “${appliedSearch.trim()}”.`
                : narrowed
                  ? 'No samples match these filters.'
                  : siteSelected
                    ? `No samples at ${scopeName} yet.`
                    : 'This notebook has no samples yet.'}
            </StatusMessage>
          )}
        </div>
        {list.error && (
          <StatusMessage kind="error" error={list.error} retry={list.reload}>
            Samples could not be loaded.
          </StatusMessage>
        )}
        {samples?.length === 0 && searching && siteSelected && (
          <div className="list-action">
            <button type="button" className="button" onClick={onSearchAll}>
              Search all samples
            </button>
          </div>
        )}
        {list.hasMore && (
          <div className="list-action">
            <button type="button" className="button" onClick={list.loadMore} disabled={list.loadingMore}>
              {list.loadingMore ? 'Loading…' : 'Show more samples'}
            </button>
          </div>
        )}
      </div>
    </section>
  );
}
