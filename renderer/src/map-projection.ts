import { geoEquirectangular, geoGraticule, geoPath, type GeoPermissibleObjects, type GeoProjection } from 'd3-geo';
import { feature } from 'topojson-client';
import type { MapFrame, MapSite } from '../../main/ipc/contract';
import land110m from 'world-atlas/land-110m.json';

/**
 * The world's land at 1:110 million (Natural Earth, through world-atlas), bundled: the map
 * fetches nothing. The topology's object is named `land` (a collection of multipolygons).
 */
const LAND: GeoPermissibleObjects = feature(land110m as unknown as Parameters<typeof feature>[0], 'land');

export interface MapDrawing {
  /** SVG path data: the globe's outline (the sea), the land, the graticule. */
  sphere: string;
  land: string;
  graticule: string;
  /** Each site's position in pixels. */
  place: (site: MapSite) => [number, number];
  /** The graticule's spacing in degrees (for the caption). */
  step: number;
}

const STEPS = [0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 15, 30];

/**
 * The map of `frame` in a `width` × `height` box: equirectangular, turned so that the frame's
 * centre is the projection's centre (the antimeridian is no edge when the sites straddle it), and
 * for a regional frame (under 90° by 60°) also tilted to the centre's latitude, so the region is
 * drawn undistorted at its middle and the poles are no special case. Fitted to the frame's edges.
 */
export function drawMap(frame: MapFrame, width: number, height: number, padding = 16): MapDrawing {
  const spanLon = frame.east - frame.west;
  const spanLat = frame.north - frame.south;
  const regional = spanLon <= 90 && spanLat <= 60;
  const projection: GeoProjection = geoEquirectangular().rotate([-frame.center.lon, regional ? -frame.center.lat : 0]);
  const edge: [number, number][] = [];
  const inset = 1e-6; // a whole-globe frame's edges both lie on the antimeridian: keep them apart
  for (let i = 0; i <= 16; i += 1) {
    const lon = frame.west + inset + ((spanLon - 2 * inset) * i) / 16;
    const lat = frame.south + (spanLat * i) / 16;
    edge.push([lon, frame.south], [lon, frame.north], [frame.west + inset, lat], [frame.east - inset, lat]);
  }
  projection.fitExtent(
    [
      [padding, padding],
      [Math.max(padding + 1, width - padding), Math.max(padding + 1, height - padding)],
    ],
    { type: 'MultiPoint', coordinates: edge },
  );
  const path = geoPath(projection);
  const step = STEPS.find((s) => Math.max(spanLon, spanLat) / s <= 8) ?? 30;
  const graticule = geoGraticule()
    .step([step, step])
    .precision(Math.min(2.5, step / 4))
    .extent([
      [Math.floor(frame.west / step) * step - step, Math.max(-90, Math.floor(frame.south / step) * step - step)],
      [Math.ceil(frame.east / step) * step + step, Math.min(90, Math.ceil(frame.north / step) * step + step)],
    ]);
  return {
    sphere: path({ type: 'Sphere' }) ?? '',
    land: path(LAND) ?? '',
    graticule: path(graticule()) ?? '',
    place: (site) => projection([site.lon, site.lat]) ?? [width / 2, height / 2],
    step,
  };
}

/** Where a marker's label goes: to the right or left of its dot, `dy` pixels below it (above when negative). */
export interface LabelPlacement {
  side: 'right' | 'left';
  dy: number;
}

const OFFSETS = [0, 18, -18, 36, -36, 54, -54, 72, -72];
const CANDIDATES: LabelPlacement[] = OFFSETS.flatMap((dy) => [
  { side: 'right' as const, dy },
  { side: 'left' as const, dy },
]);

/**
 * A place for each marker's label so that labels overlap neither each other nor other markers'
 * dots where that can be helped: beside the dot, else moved up or down (the map draws a leader
 * line to it), first come first placed, from the top. Widths are estimated from the text (about
 * 7 px a character); a label that fits nowhere goes beside its dot.
 */
export function placeLabels(markers: { x: number; y: number; text: string }[], width: number, height: number): LabelPlacement[] {
  type Box = { left: number; top: number; right: number; bottom: number };
  const boxOf = (m: { x: number; y: number; text: string }, { side, dy }: LabelPlacement): Box => {
    const w = m.text.length * 7 + 18;
    const left = side === 'right' ? m.x + 10 : m.x - 10 - w;
    const top = m.y + dy - 10;
    return { left, top, right: left + w, bottom: top + 20 };
  };
  const overlaps = (a: Box, b: Box) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
  const dots: Box[] = markers.map((m) => ({ left: m.x - 7, top: m.y - 7, right: m.x + 7, bottom: m.y + 7 }));
  const placed: Box[] = [];
  const placements: LabelPlacement[] = markers.map(() => ({ side: 'right', dy: 0 }));
  const order = markers.map((_, i) => i).sort((a, b) => markers[a]!.y - markers[b]!.y || markers[a]!.x - markers[b]!.x);
  for (const i of order) {
    const marker = markers[i]!;
    const inside = (box: Box) => box.left >= 0 && box.right <= width && box.top >= 0 && box.bottom <= height;
    const free = (box: Box) => !placed.some((p) => overlaps(p, box)) && !dots.some((d, j) => j !== i && overlaps(d, box));
    const chosen =
      CANDIDATES.find((c) => inside(boxOf(marker, c)) && free(boxOf(marker, c))) ??
      (boxOf(marker, { side: 'right', dy: 0 }).right > width ? { side: 'left' as const, dy: 0 } : { side: 'right' as const, dy: 0 });
    placements[i] = chosen;
    placed.push(boxOf(marker, chosen));
  }
  return placements;
}

/** `frame` seen `2^zoom` times closer, about its centre (latitudes kept within ±90). */
export function zoomedFrame(frame: MapFrame, zoom: number): MapFrame {
  if (zoom === 0) return frame;
  const factor = 2 ** zoom;
  const halfLon = (frame.east - frame.west) / 2 / factor;
  const halfLat = (frame.north - frame.south) / 2 / factor;
  const middleLon = (frame.west + frame.east) / 2;
  const middleLat = Math.min(90 - halfLat, Math.max(-90 + halfLat, (frame.south + frame.north) / 2));
  return { west: middleLon - halfLon, east: middleLon + halfLon, south: middleLat - halfLat, north: middleLat + halfLat, center: { lon: frame.center.lon, lat: middleLat } };
}
