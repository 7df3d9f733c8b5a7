import type { SiteSummary } from '../../main/ipc/contract';
import type { Loaded } from './use-loader';
import { Icon } from './icon';
import { StatusMessage } from './status-message';
import { countOf, formatCoordinates, formatCount } from './format-values';

/** Which samples the list shows: all of them, or one site's. */
export type SiteFilter = 'all' | number;

/**
 * The sidebar: "All samples" and one entry per site, with its position and number of samples;
 * in a writable notebook, "Add site" and each site's "Edit" (name, position, delete).
 */
export function SiteList({
  sites,
  selected,
  onSelect,
  readOnly,
  onAdd,
  onEdit,
}: {
  sites: Loaded<SiteSummary[]>;
  selected: SiteFilter;
  onSelect: (site: SiteFilter) => void;
  readOnly: boolean;
  onAdd: () => void;
  onEdit: (site: SiteSummary) => void;
}) {
  return (
    <nav className="site-list" aria-labelledby="site-list-title">
      <div className="site-actions">
        <h2 id="site-list-title" className="pane-title">
          Sites
        </h2>
        {!readOnly && (
          <button type="button" className="button button-quiet button-small" onClick={onAdd}>
            <Icon name="plus" /> Add site
          </button>
        )}
      </div>
      <ul data-testid="site-list" role="list">
        <li>
          <button type="button" className="site-item" aria-current={selected === 'all' ? 'true' : undefined} onClick={() => onSelect('all')}>
            <Icon name="book" />
            <span className="site-name">All samples</span>
          </button>
        </li>
        {sites.value?.map((site) => (
          <li key={site.id} className="site-entry">
            <button
              type="button"
              className="site-item"
              aria-current={selected === site.id ? 'true' : undefined}
              aria-description={countOf(site.samples, 'sample')}
              onClick={() => onSelect(site.id)}
            >
              <Icon name="pin" />
              <span className="site-text">
                <span className="site-name">{site.name}</span>
                {formatCoordinates(site.lat, site.lon) && (
                  <span className="site-coordinates" data-testid="site-coordinates">
                    {formatCoordinates(site.lat, site.lon)}
                  </span>
                )}
              </span>
              <span className="site-count" aria-hidden="true">
                {formatCount(site.samples)}
              </span>
            </button>
            {!readOnly && (
              <button
                type="button"
                className="button button-quiet button-small button-icon site-edit"
                aria-label={`Edit site ${site.name}`}
                title="Edit site"
                onClick={() => onEdit(site)}
              >
                <Icon name="pencil" />
              </button>
            )}
          </li>
        ))}
      </ul>
      {sites.loading && !sites.value && <StatusMessage kind="loading">Loading sites…</StatusMessage>}
      {sites.error && (
        <StatusMessage kind="error" error={sites.error} retry={sites.reload}>
          Sites could not be loaded.
        </StatusMessage>
      )}
      {sites.value?.length === 0 && <p className="muted small site-list-empty">This notebook has no sites yet.</p>}
    </nav>
  );
}
