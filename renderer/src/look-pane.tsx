import { useRef, type KeyboardEvent, type ReactNode } from 'react';
import type { DocumentId, SiteSummary } from '../../main/ipc/contract';
import { Icon } from './icon';
import { MeasurementCharts } from './measurement-charts';
import { SiteMapView } from './site-map-view';
import './look.css';
import type { SiteFilter } from './site-list';

/** What the right-hand pane shows: the selected sample, the map of sites, or the chosen site's measurements over time. */
export type LookTab = 'sample' | 'map' | 'site-chart';

const TABS: { tab: LookTab; label: string }[] = [
  { tab: 'sample', label: 'Sample' },
  { tab: 'map', label: 'Map' },
  { tab: 'site-chart', label: 'Site chart' },
];

/**
 * The right-hand pane with its tabs (arrow keys move between them, as in any tab list): the
 * sample (`children`: the sample detail), the map (a site chosen on it narrows the sample list
 * to that site), and the chart of the site the list shows.
 */
export function LookPane({
  documentId,
  tab,
  onTab,
  site,
  sites,
  changes,
  onSelectSite,
  children,
}: {
  documentId: DocumentId;
  tab: LookTab;
  onTab: (tab: LookTab) => void;
  site: SiteFilter;
  sites: SiteSummary[] | undefined;
  changes: number;
  onSelectSite: (site: number) => void;
  children: ReactNode;
}) {
  const refs = useRef<Partial<Record<LookTab, HTMLButtonElement | null>>>({});
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const step = event.key === 'ArrowRight' ? 1 : event.key === 'ArrowLeft' ? -1 : 0;
    const at = TABS.findIndex((t) => t.tab === tab);
    const next = event.key === 'Home' ? 0 : event.key === 'End' ? TABS.length - 1 : step ? (at + step + TABS.length) % TABS.length : -1;
    if (next < 0) return;
    event.preventDefault();
    const target = TABS[next]!.tab;
    onTab(target);
    refs.current[target]?.focus();
  };
  const siteName = site === 'all' ? null : (sites?.find((s) => s.id === site)?.name ?? null);
  return (
    <div className="look-pane">
      <div className="look-tabs" role="tablist" aria-label="Show" onKeyDown={onKeyDown}>
        {TABS.map(({ tab: t, label }) => (
          <button
            key={t}
            type="button"
            role="tab"
            id={`look-tab-${t}`}
            aria-controls={`look-panel-${t}`}
            aria-selected={tab === t}
            tabIndex={tab === t ? 0 : -1}
            className="look-tab"
            data-testid={`look-tab-${t}`}
            ref={(el) => {
              refs.current[t] = el;
            }}
            onClick={() => onTab(t)}
          >
            <Icon name={t === 'sample' ? 'book' : t === 'map' ? 'pin' : 'chart'} /> {label}
          </button>
        ))}
      </div>
      <div className="look-panel" role="tabpanel" id={`look-panel-${tab}`} aria-labelledby={`look-tab-${tab}`}>
        {tab === 'sample' && children}
        {tab === 'map' && (
          <div className="look-scroll">
            <SiteMapView documentId={documentId} changes={changes} selected={site} onSelect={onSelectSite} />
          </div>
        )}
        {tab === 'site-chart' && (
          <div className="look-scroll">
            <section className="site-chart" data-testid="site-chart" aria-labelledby="site-chart-title">
              <header className="look-header">
                <h2 id="site-chart-title" className="detail-title">
                  {siteName ? `${siteName}: measurements over time` : 'Measurements over time'}
                </h2>
                {siteName && <p className="muted small">Every sample at {siteName} by the date it was collected, one chart per quantity and unit.</p>}
              </header>
              {site === 'all' ? (
                <p className="muted small">Choose a site (in the list of sites, or on the map) to chart its measurements over time.</p>
              ) : (
                <MeasurementCharts documentId={documentId} scope={{ siteId: site }} changes={changes} />
              )}
            </section>
          </div>
        )}
      </div>
    </div>
  );
}
