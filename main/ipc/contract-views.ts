/**
 * The IPC contract's views of a notebook's contents: what the renderer is shown of sites,
 * samples, measurements, tags and data issues, and how it asks for a page of samples. Part of the
 * contract (contract.ts re-exports it): types only, importing nothing.
 */

export interface SiteSummary {
  id: number;
  name: string;
  lat: number | null;
  lon: number | null;
  samples: number;
}

export interface SampleSummary {
  id: number;
  siteId: number | null;
  /** The site's name (null for a sample without a site). */
  siteName: string | null;
  code: string;
  collectedOn: string | null;
  description: string | null;
  tags: string[];
}

/** The columns the sample list sorts by. */
export type SampleSortColumn = 'code' | 'collectedOn' | 'site' | 'description' | 'tags';

export interface SampleQuery {
  /** Only samples of this site; `null` for samples without a site; omitted for all. */
  siteId?: number | null;
  /** Full-text search over code and description (FTS5). */
  search?: string;
  /** Only samples carrying this tag (names compare without case). */
  tag?: string;
  /** Only samples collected on or after / on or before this day (YYYY-MM-DD). */
  collectedFrom?: string;
  collectedTo?: string;
  /** Natural order (numbers by value, case aside) of a column; empty values last. Default: by code, ascending. */
  sort?: { column: SampleSortColumn; descending?: boolean };
  limit?: number;
  offset?: number;
}

/** A page of the sample list, with how many samples match in all. */
export interface SamplePage {
  samples: SampleSummary[];
  total: number;
}

export interface MeasurementView {
  id: number;
  kind: string;
  value: number | null;
  unit: string | null;
  instrument: string | null;
}

export interface AttachmentView {
  id: number;
  filename: string;
  mime: string | null;
  bytes: number;
}

export interface SampleDetail extends SampleSummary {
  createdAt: string | null;
  measurements: MeasurementView[];
  attachments: AttachmentView[];
}

export interface TagSummary {
  id: number;
  name: string;
  samples: number;
}

export interface DataIssueView {
  id: number;
  tableName: string;
  rowId: number;
  columnName: string;
  /** The original value as text (blobs as `<N bytes>`). */
  originalValue: string | null;
  message: string;
  schemaVersion: number;
  resolved: boolean;
  /** The value's field in the app's words ("Latitude", "Date collected"). */
  field: string;
  /** What the value belonged to, as the user knows it: "site Moraine", "pH of sample L-1 at Lakeshore". */
  subject: string;
  /** The sample the value belonged to (its own, its measurement's or attachment's), when it still exists. */
  sampleId: number | null;
}
