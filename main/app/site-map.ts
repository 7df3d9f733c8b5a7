import { QueryTypes, type Sequelize } from 'sequelize';
import type { MapFrame, MapSite, SiteMap } from '../ipc/contract';
import { naturalKey } from './sample-queries';

/** The smallest frame, in degrees each way: about 220 km, where the bundled 1:110m outline still says where the sites are. */
export const MIN_FRAME_DEGREES = 2;
/** The margin around the sites' extent, as a share of it on each side. */
export const FRAME_MARGIN = 0.15;

interface SiteRow {
  id: number;
  name: string;
  lat: unknown;
  lon: unknown;
  samples: number;
  issues: number;
}

const isCoordinate = (value: unknown, limit: number): value is number => typeof value === 'number' && Number.isFinite(value) && Math.abs(value) <= limit;

/**
 * The notebook's sites for its map: those with both coordinates (the notebook's CHECKs keep them
 * in range; anything else read from a file is treated as missing) and those without, each with
 * its number of samples; the frame that fits them. A site whose coordinates an upgrade found out
 * of range has NULLs here and its originals in data issues: it is listed without coordinates,
 * marked `keptAsIssues` while such an issue is unresolved.
 */
export async function siteMap(sequelize: Sequelize): Promise<SiteMap> {
  const rows = await sequelize.query<SiteRow>(
    `SELECT s.id, s.name, s.lat, s.lon, (SELECT count(*) FROM samples x WHERE x.site_id = s.id) AS samples,
       (SELECT count(*) FROM data_issues d WHERE d.table_name = 'sites' AND d.row_id = s.id
          AND d.column_name IN ('lat', 'lon') AND d.resolved = 0) AS issues
     FROM sites s`,
    { type: QueryTypes.SELECT },
  );
  const byName = (a: { name: string; id: number }, b: { name: string; id: number }) => {
    const [x, y] = [naturalKey(a.name) ?? '', naturalKey(b.name) ?? ''];
    return x < y ? -1 : x > y ? 1 : a.id - b.id;
  };
  rows.sort(byName);
  const sites: MapSite[] = [];
  const withoutCoordinates: SiteMap['withoutCoordinates'] = [];
  for (const row of rows) {
    const samples = Number(row.samples);
    if (isCoordinate(row.lat, 90) && isCoordinate(row.lon, 180)) sites.push({ id: row.id, name: row.name, lat: row.lat, lon: row.lon, samples });
    else withoutCoordinates.push({ id: row.id, name: row.name, samples, keptAsIssues: Number(row.issues) > 0 });
  }
  const [unsited] = await sequelize.query<{ n: number }>('SELECT count(*) AS n FROM samples WHERE site_id IS NULL', { type: QueryTypes.SELECT });
  return { sites, withoutCoordinates, samplesWithoutSite: Number(unsited?.n ?? 0), frame: mapFrame(sites) };
}

/**
 * The frame that fits `points`: the narrowest band of longitudes holding them all (so sites on
 * both sides of the antimeridian, at 179° E and 179° W, give a band 2° wide across it, not 358°
 * across the rest of the world), their latitudes, a margin of FRAME_MARGIN on each side and at
 * least MIN_FRAME_DEGREES each way (a single site gets that much around it). Latitudes stay
 * within ±90 and the band within 360°. null for no points.
 */
export function mapFrame(points: readonly { lat: number; lon: number }[]): MapFrame | null {
  if (points.length === 0) return null;
  const lons = [...new Set(points.map((p) => (p.lon === 180 ? -180 : p.lon)))].sort((a, b) => a - b);
  // The band starts after the widest gap between neighbouring longitudes (going round the globe).
  let gapAfter = lons.length - 1;
  let widest = lons[0]! + 360 - lons[lons.length - 1]!;
  for (let i = 0; i + 1 < lons.length; i += 1) {
    const gap = lons[i + 1]! - lons[i]!;
    if (gap > widest) [widest, gapAfter] = [gap, i];
  }
  const west = lons[(gapAfter + 1) % lons.length]!;
  const east = west + (360 - widest);
  const lats = points.map((p) => p.lat);
  const [south, north] = [Math.min(...lats), Math.max(...lats)];

  const grow = (low: number, high: number, max: number): [number, number] => {
    const margin = (high - low) * FRAME_MARGIN;
    const span = Math.min(max, Math.max(high - low + 2 * margin, MIN_FRAME_DEGREES));
    const middle = (low + high) / 2;
    return [middle - span / 2, middle + span / 2];
  };
  const [frameWest, frameEast] = grow(west, east, 360);
  let [frameSouth, frameNorth] = grow(south, north, 180);
  // Keep the band inside the globe, sliding it rather than cutting it.
  if (frameSouth < -90) [frameSouth, frameNorth] = [-90, Math.min(90, frameNorth - 90 - frameSouth)];
  if (frameNorth > 90) [frameSouth, frameNorth] = [Math.max(-90, frameSouth - (frameNorth - 90)), 90];
  const middleLon = (frameWest + frameEast) / 2;
  return {
    west: frameWest,
    east: frameEast,
    south: frameSouth,
    north: frameNorth,
    center: { lat: (frameSouth + frameNorth) / 2, lon: ((((middleLon + 180) % 360) + 360) % 360) - 180 },
  };
}
