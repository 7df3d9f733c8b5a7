import type { SampleSortColumn, TagSummary } from '../../main/ipc/contract';
import { DEFAULT_VIEW, type SampleListView } from './use-sample-list';

export const SORT_LABELS: Record<SampleSortColumn, string> = {
  code: 'Code',
  collectedOn: 'Date collected',
  site: 'Site',
  description: 'Description',
  tags: 'Tags',
};

/**
 * How the sample list is sorted (any column, either way; numbers in codes and names by value)
 * and narrowed (a tag, a range of collection dates), above the list.
 */
export function SampleListControls({ view, onChange, tags }: { view: SampleListView; onChange: (view: SampleListView) => void; tags: TagSummary[] }) {
  const { sort } = view;
  const narrowed = view.tag !== null || view.collectedFrom !== '' || view.collectedTo !== '';
  return (
    <div className="list-controls" data-testid="list-controls">
      <label className="control">
        <span className="control-label">Sort</span>
        <select
          data-testid="sort-column"
          value={sort.column}
          onChange={(event) => onChange({ ...view, sort: { column: event.target.value as SampleSortColumn, descending: false } })}
        >
          {Object.entries(SORT_LABELS).map(([column, label]) => (
            <option key={column} value={column}>
              {label}
            </option>
          ))}
        </select>
      </label>
      <button
        type="button"
        className="button button-small"
        data-testid="sort-direction"
        aria-label={sort.descending ? 'Descending: sort ascending instead' : 'Ascending: sort descending instead'}
        onClick={() => onChange({ ...view, sort: { ...sort, descending: !sort.descending } })}
      >
        {sort.descending ? '↓ Z–A, 9–1' : '↑ A–Z, 1–9'}
      </button>
      <label className="control">
        <span className="control-label">Tag</span>
        <select data-testid="tag-filter" value={view.tag ?? ''} onChange={(event) => onChange({ ...view, tag: event.target.value || null })}>
          <option value="">Any</option>
          {tags.map((tag) => (
            <option key={tag.id} value={tag.name}>
              {tag.name}
            </option>
          ))}
        </select>
      </label>
      <label className="control">
        <span className="control-label">From</span>
        <input
          type="date"
          data-testid="collected-from"
          value={view.collectedFrom}
          max={view.collectedTo || undefined}
          onChange={(event) => onChange({ ...view, collectedFrom: event.target.value })}
        />
      </label>
      <label className="control">
        <span className="control-label">To</span>
        <input
          type="date"
          data-testid="collected-to"
          value={view.collectedTo}
          min={view.collectedFrom || undefined}
          onChange={(event) => onChange({ ...view, collectedTo: event.target.value })}
        />
      </label>
      {narrowed && (
        <button type="button" className="button button-small button-quiet" onClick={() => onChange({ ...DEFAULT_VIEW, sort })}>
          Clear filters
        </button>
      )}
    </div>
  );
}
