import { useMemo, useRef, useState } from 'react';
import type { DocumentId, MapSite, SiteMap } from '../../main/ipc/contract';
import { api } from './api';
import { countOf, formatCoordinates, formatCount } from './format-values';
import { Icon } from './icon';
import { drawMap, placeLabels, zoomedFrame, type LabelPlacement } from './map-projection';
import type { SiteFilter } from './site-list';
import { StatusMessage } from './status-message';
import { useElementSize } from './use-element-size';
import { useLoader } from './use-loader';

/**
 * The notebook's sites on a map of the world's land (bundled: nothing is fetched), framed to fit
 * them: each site a marker, labelled with its name and number of samples, that shows the site's
 * samples in the list when clicked (or pressed: each marker is a button). Sites without
 * coordinates are listed beside the map and do the same.
 */
export function SiteMapView({ documentId, changes, selected, onSelect }: { documentId: DocumentId; changes: number; selected: SiteFilter; onSelect: (site: number) => void }) {
  const loaded = useLoader(() => api.siteMap(documentId), [documentId, changes]);
  const map = loaded.value;
  let body;
  if (loaded.error)
    body = (
      <StatusMessage kind="error" error={loaded.error} retry={loaded.reload}>
        The map could not be drawn.
      </StatusMessage>
    );
  else if (!map) body = <StatusMessage kind="loading">Loading sites…</StatusMessage>;
  else
    body = (
      <div className="site-map-layout">
        {map.frame ? (
          <MapCanvas map={map} selected={selected} onSelect={onSelect} />
        ) : (
          <div className="site-map-empty">
            <StatusMessage kind="empty">
              {map.withoutCoordinates.length ? 'No site has coordinates yet: edit a site to give it a latitude and longitude.' : 'This notebook has no sites yet.'}
            </StatusMessage>
          </div>
        )}
        <Unplaced map={map} selected={selected} onSelect={onSelect} />
      </div>
    );
  return (
    <section className="site-map" data-testid="site-map" aria-labelledby="site-map-title" aria-busy={loaded.loading || undefined}>
      <header className="look-header">
        <h2 id="site-map-title" className="detail-title">
          Map of sites
        </h2>
        {map && <p className="muted small">{countOf(map.sites.length, 'site')} on the map · choose one to list its samples</p>}
      </header>
      {body}
    </section>
  );
}

/** A grid step's length along a meridian (a degree of latitude is about 111 km). */
function gridDistance(degrees: number): string {
  const km = degrees * 111.2;
  return km >= 10 ? `${formatCount(Math.round(km))} km` : km >= 1 ? `${km.toFixed(1)} km` : `${formatCount(Math.round(km * 1000))} m`;
}

/** How much closer than the frame the map can go: 2^8, from the frame's 2° to under a kilometre. */
const MAX_ZOOM = 8;

function MapCanvas({ map, selected, onSelect }: { map: SiteMap; selected: SiteFilter; onSelect: (site: number) => void }) {
  const box = useRef<HTMLDivElement>(null);
  const { width, height } = useElementSize(box);
  const [zoom, setZoom] = useState(0);
  const frame = useMemo(() => map.frame && zoomedFrame(map.frame, zoom), [map, zoom]);
  const drawing = useMemo(() => (width > 0 && height > 0 && frame ? drawMap(frame, width, height) : null), [frame, width, height]);
  const { markers, outside } = useMemo(() => {
    if (!drawing) return { markers: [], outside: 0 };
    const all = map.sites.map((site) => ({ site, xy: drawing.place(site) }));
    const shown = all.filter(({ xy: [x, y] }) => x >= 0 && x <= width && y >= 0 && y <= height);
    const places = placeLabels(
      shown.map(({ site, xy }) => ({ x: xy[0], y: xy[1], text: `${site.name} ${formatCount(site.samples)}` })),
      width,
      height,
    );
    return { markers: shown.map((m, i) => ({ ...m, place: places[i]! })), outside: all.length - shown.length };
  }, [drawing, map, width, height]);
  return (
    <figure className="site-map-figure">
      <div ref={box} className="site-map-canvas" data-testid="site-map-canvas">
        {drawing && (
          <svg width={width} height={height} viewBox={`0 0 ${width} ${height}`} aria-hidden="true" focusable="false">
            <path className="map-sea" d={drawing.sphere} />
            <path className="map-land" d={drawing.land} />
            <path className="map-graticule" d={drawing.graticule} />
            {markers
              .filter((m) => m.place.dy !== 0)
              .map(({ site, xy: [x, y], place }) => (
                <line key={site.id} className="map-leader" x1={x} y1={y} x2={x + (place.side === 'right' ? 12 : -12)} y2={y + place.dy} />
              ))}
          </svg>
        )}
        {markers.map(({ site, xy, place }) => (
          <MapMarker key={site.id} site={site} x={xy[0]} y={xy[1]} place={place} current={selected === site.id} onSelect={onSelect} />
        ))}
        <div className="map-zoom" role="group" aria-label="Zoom">
          <button type="button" className="button button-small button-icon" aria-label="Zoom in" title="Zoom in" disabled={zoom >= MAX_ZOOM} onClick={() => setZoom((z) => z + 1)}>
            +
          </button>
          <button type="button" className="button button-small button-icon" aria-label="Zoom out" title="Zoom out" disabled={zoom === 0} onClick={() => setZoom((z) => z - 1)}>
            −
          </button>
          <button type="button" className="button button-small" title="Show every site" disabled={zoom === 0} onClick={() => setZoom(0)}>
            Fit
          </button>
        </div>
      </div>
      <figcaption className="muted small">
        Land outline: Natural Earth 1:110m{drawing ? ` · grid every ${drawing.step}° (${gridDistance(drawing.step)} north–south)` : ''}
        {outside > 0 && <span data-testid="map-outside"> · {countOf(outside, 'site')} outside this view (Fit shows every site)</span>}
      </figcaption>
    </figure>
  );
}

function MapMarker({ site, x, y, place, current, onSelect }: { site: MapSite; x: number; y: number; place: LabelPlacement; current: boolean; onSelect: (site: number) => void }) {
  return (
    <button
      type="button"
      className={`map-marker map-label-${place.side}`}
      data-testid="map-marker"
      data-site-id={site.id}
      style={{ left: `${x}px`, top: `${y}px` }}
      aria-label={`${site.name}, ${countOf(site.samples, 'sample')}`}
      aria-current={current ? 'true' : undefined}
      title={`${site.name} (${formatCoordinates(site.lat, site.lon)}): ${countOf(site.samples, 'sample')}`}
      onClick={() => onSelect(site.id)}
    >
      <span className="map-marker-dot" aria-hidden="true" />
      <span className="map-marker-label" aria-hidden="true" style={place.dy ? { top: `${place.dy - 4}px` } : undefined}>
        {site.name} <span className="map-marker-count">{formatCount(site.samples)}</span>
      </span>
    </button>
  );
}

/** The sites the map cannot show, beside it. */
function Unplaced({ map, selected, onSelect }: { map: SiteMap; selected: SiteFilter; onSelect: (site: number) => void }) {
  if (map.withoutCoordinates.length === 0 && map.samplesWithoutSite === 0) return null;
  return (
    <aside className="site-map-unplaced" aria-labelledby="unplaced-title" data-testid="sites-without-coordinates">
      <h3 id="unplaced-title">No coordinates</h3>
      <ul role="list">
        {map.withoutCoordinates.map((site) => (
          <li key={site.id}>
            <button
              type="button"
              className="site-item"
              aria-current={selected === site.id ? 'true' : undefined}
              onClick={() => onSelect(site.id)}
              aria-label={`${site.name}, ${countOf(site.samples, 'sample')}, no coordinates`}
            >
              <Icon name="pin" />
              <span className="site-text">
                <span className="site-name">{site.name}</span>
                {site.keptAsIssues && <span className="site-coordinates">out of range when upgraded: see Data issues</span>}
              </span>
              <span className="site-count" aria-hidden="true">
                {formatCount(site.samples)}
              </span>
            </button>
          </li>
        ))}
      </ul>
      {map.samplesWithoutSite > 0 && <p className="muted small">{countOf(map.samplesWithoutSite, 'sample')} without a site.</p>}
    </aside>
  );
}
