/**
 * The IPC contract's edits: what the renderer sends to change a notebook, and what undo answers.
 * Part of the contract (contract.ts re-exports it): types only, importing nothing.
 */

export interface SamplePatch {
  code?: string;
  description?: string | null;
  collectedOn?: string | null;
  /** Replaces the sample's tags (by name), in the same edit. */
  tags?: string[];
}

export interface NewSample {
  siteId: number | null;
  code: string;
  description?: string | null;
  collectedOn?: string | null;
  tags?: string[];
}

export interface NewSite {
  name: string;
  /** Degrees, −90…90 and −180…180; both or neither. */
  lat: number | null;
  lon: number | null;
}

export type SitePatch = Partial<NewSite>;

export interface NewMeasurement {
  /** The quantity measured ("pH", "depth"). */
  kind: string;
  value: number | null;
  unit: string | null;
  /** The instrument's name (created when new); null for none. */
  instrument: string | null;
}

export type MeasurementPatch = Partial<NewMeasurement>;

/** What deleting a site or a sample removes with it, for the confirmation. */
export interface DeletionCounts {
  samples: number;
  measurements: number;
  tags: number;
  attachments: number;
}

/** The edits a window can undo and redo next, by name ("Edit sample R-1"); null where there is none. */
export interface UndoState {
  undo: string | null;
  redo: string | null;
}

/** What an undo or redo did: the edit's name (null when there was nothing to do), and what comes next. */
export interface UndoOutcome {
  done: string | null;
  state: UndoState;
}

export interface InstrumentSummary {
  id: number;
  name: string;
}

/** How the window shows an attachment: as an image, a PDF (its pages), text, or not at all (save a copy to open it). */
export type AttachmentPreview = 'image' | 'pdf' | 'text' | null;

/** An attachment's bytes, for its preview. */
export interface AttachmentContent {
  id: number;
  filename: string;
  mime: string | null;
  bytes: number;
  preview: AttachmentPreview;
  /** The bytes in base64; null when the file is too large to preview (over 32 MB) or has no preview. */
  base64: string | null;
}
