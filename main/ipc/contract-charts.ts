/**
 * The IPC contract's pictures of a notebook: the map of its sites and its measurements over
 * time. Part of the contract (contract.ts re-exports it): types only, importing nothing.
 */

export interface MapSite {
  id: number;
  name: string;
  /** Degrees, −90…90 and −180…180. */
  lat: number;
  lon: number;
  samples: number;
}

export interface SiteWithoutCoordinates {
  id: number;
  name: string;
  samples: number;
  /**
   * True when an upgrade found the site's coordinates out of range and kept the originals as
   * data issues (unresolved), so the user knows where to look.
   */
  keptAsIssues: boolean;
}

/**
 * The part of the globe the map shows: the sites' extent with a margin and at least
 * MIN_FRAME_DEGREES across. Longitudes run eastwards from `west` to `east`, which may exceed 180
 * when the frame crosses the antimeridian (west 170, east 190 is 170° E to 170° W); `center` is
 * in −180…180.
 */
export interface MapFrame {
  west: number;
  east: number;
  south: number;
  north: number;
  center: { lat: number; lon: number };
}

export interface SiteMap {
  /** Sites with both coordinates, in natural order of their names. */
  sites: MapSite[];
  /** Sites missing either coordinate, in natural order of their names. */
  withoutCoordinates: SiteWithoutCoordinates[];
  /** Samples that belong to no site (not on the map). */
  samplesWithoutSite: number;
  /** null when no site has coordinates. */
  frame: MapFrame | null;
}

/** Whose measurements to chart: all samples of a site, or one sample against its site's history. */
export type SeriesScope = { siteId: number } | { sampleId: number };

export interface SeriesPoint {
  measurementId: number;
  sampleId: number;
  code: string;
  /** The sample's date as stored (YYYY-MM-DD, or a full ISO date and time). */
  collectedOn: string;
  /** The same moment in milliseconds since 1970 (UTC; a date alone is its midnight UTC). */
  time: number;
  value: number;
}

/** One quantity in one unit: a kind recorded in two units ("m" and "cm") is two series, never one axis. */
export interface MeasurementSeries {
  kind: string;
  /** null: recorded without a unit. */
  unit: string | null;
  /** By time, then by sample code. */
  points: SeriesPoint[];
  /** Measurements of this kind and unit left out: no (numeric) value. */
  withoutValue: number;
  /** ... and those with a value whose sample has no usable date (none, or text that is no ISO date). */
  withoutDate: number;
}

export interface MeasurementSeriesSet {
  /** The site charted (a sample's own site); null for a sample without a site. */
  site: { id: number; name: string } | null;
  /** For a sample's chart: the sample, whose points the chart highlights; `dated` is false when its date is not usable. */
  sample: { id: number; code: string; dated: boolean } | null;
  /** By kind (natural order), then unit. For a sample: only the kinds it has measurements of. */
  series: MeasurementSeries[];
  /** Kinds recorded in more than one unit here (each unit its own series). */
  mixedUnits: string[];
}
