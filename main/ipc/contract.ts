/**
 * The IPC contract between Fieldbook's main process and its renderer, shared by main, preload
 * and renderer. Types only: this file must import nothing, so the renderer can use it without
 * Node or Electron.
 *
 * The renderer never sees paths: main chooses files with its own dialogs and the renderer
 * refers to documents by `DocumentId`. Every call answers with an envelope, never a throw.
 */

export * from './contract-edits';
export * from './contract-views';
import type { DeletionCounts, InstrumentSummary, MeasurementPatch, NewMeasurement, NewSample, NewSite, SamplePatch, SitePatch, UndoOutcome, UndoState } from './contract-edits';
import type { DataIssueView, SampleDetail, SamplePage, SampleQuery, SiteSummary, TagSummary } from './contract-views';

export type DocumentId = string;
export type JobId = string;

/**
 * An answer: the value, or the error with its stable code and a message for the user; `field`
 * names the input an INVALID_VALUE is about (`code`, `collectedOn`, ...), when it is one field.
 */
export type Envelope<T> = { ok: true; value: T } | { ok: false; error: { code: string; message: string; field?: string } };

export type DocumentStatus = 'current' | 'outdated' | 'newer' | 'legacy' | 'foreign' | 'damaged';

/** What the window shows for its document. */
export interface WindowDocument {
  id: DocumentId;
  /** File name only (no folders: the renderer does not need them). */
  name: string;
  state: 'opening' | 'ready' | 'failed';
  status: DocumentStatus | null;
  readOnly: boolean;
  /** Set while an outdated document is being upgraded. */
  upgrading: { step: string; index: number; total: number } | null;
  /** Set when the document was upgraded on open. */
  upgraded: { from: number; to: number; backupName: string | null } | null;
  /** Why a `newer` document is read-only. */
  readOnlyReason: string | null;
  /** Why the document could not be opened (foreign, damaged...), with what to do. */
  error: { code: string; message: string; advice: string } | null;
  /**
   * The check for damage (quick_check and the schema) run in the background after a writable
   * document opens, unless this file's content was verified before: `checking` meanwhile, then
   * `verified`, or `damaged` (the window turns read-only; `damage` says what is wrong).
   */
  check: 'checking' | 'verified' | 'damaged' | null;
  damage: string | null;
  /** A warning when the notebook is on a network or removable drive, where SQLite's locking is unreliable. */
  storageWarning: string | null;
}

export interface AppliedMigrationView {
  version: number;
  name: string;
  appliedAt: string;
  appVersion: string;
  durationMs: number | null;
  method: string;
}

export interface DocumentInfo {
  name: string;
  applicationId: string;
  version: number | null;
  head: number;
  status: DocumentStatus;
  readOnly: boolean;
  applied: AppliedMigrationView[];
  /** Where this document's backups are kept, shown as a folder path (the user's own folder). */
  backupFolder: string;
  lastBackupName: string | null;
}

export interface SubsetSelection {
  sampleIds?: number[];
  siteIds?: number[];
  tags?: string[];
  collectedFrom?: string;
  collectedTo?: string;
}

export interface ExportOutcome {
  /** File name of the written document. */
  name: string;
  version: number;
  counts: Record<string, number>;
  empty: boolean;
  /** For exports at an older version: what it cannot hold. */
  lost: { table: string; column: string | null; rows: number }[];
}

/** What a salvage of a damaged notebook wrote. */
export interface SalvageOutcome {
  /** File name of the new notebook. */
  name: string;
  recovered: number;
  /** Per table: rows recovered, and at most how many were lost (from the lost rowid ranges; null: no bound, the table's pages are gone). */
  tables: { name: string; recovered: number; lostAtMost: number | null; unreadable: boolean }[];
}

export interface JobProgress {
  jobId: JobId;
  documentId: DocumentId;
  phase: string;
  copied: number;
  total: number;
  table?: string;
}

/** The sample notebook the start screen wrote and opened. */
export interface SampleNotebook {
  /** Its file name (in the user's documents folder). */
  name: string;
}

/** Menu commands main forwards to the focused window (menu items the renderer carries out). */
export type MenuCommand = 'export-subset' | 'export-for-version' | 'document-info' | 'data-issues' | 'undo' | 'redo' | 'new-sample' | 'find' | 'delete-sample';

/** Events main sends to a window. */
export interface Events {
  'document-changed': WindowDocument;
  'job-progress': JobProgress;
  'menu-command': MenuCommand;
}

/** The operations the preload exposes as `window.fieldbook`. */
export interface FieldbookApi {
  windowDocument(): Promise<Envelope<WindowDocument>>;
  documentInfo(id: DocumentId): Promise<Envelope<DocumentInfo>>;
  listSites(id: DocumentId): Promise<Envelope<SiteSummary[]>>;
  listSamples(id: DocumentId, query: SampleQuery): Promise<Envelope<SamplePage>>;
  getSample(id: DocumentId, sampleId: number): Promise<Envelope<SampleDetail>>;
  updateSample(id: DocumentId, sampleId: number, patch: SamplePatch): Promise<Envelope<SampleDetail>>;
  addSample(id: DocumentId, sample: NewSample): Promise<Envelope<SampleDetail>>;
  setSampleTags(id: DocumentId, sampleId: number, tags: string[]): Promise<Envelope<SampleDetail>>;
  listTags(id: DocumentId): Promise<Envelope<TagSummary[]>>;
  addSite(id: DocumentId, site: NewSite): Promise<Envelope<SiteSummary>>;
  updateSite(id: DocumentId, siteId: number, patch: SitePatch): Promise<Envelope<SiteSummary>>;
  /** Deletes a site with its samples (their measurements, tags and attachments). */
  deleteSite(id: DocumentId, siteId: number): Promise<Envelope<null>>;
  /** Deletes a sample with its measurements, tags and attachments. */
  deleteSample(id: DocumentId, sampleId: number): Promise<Envelope<null>>;
  /** What deleting a site or a sample would remove, for the confirmation. */
  deletionCounts(id: DocumentId, of: { siteId: number } | { sampleId: number }): Promise<Envelope<DeletionCounts>>;
  addMeasurement(id: DocumentId, sampleId: number, measurement: NewMeasurement): Promise<Envelope<SampleDetail>>;
  updateMeasurement(id: DocumentId, measurementId: number, patch: MeasurementPatch): Promise<Envelope<SampleDetail>>;
  deleteMeasurement(id: DocumentId, measurementId: number): Promise<Envelope<SampleDetail>>;
  listInstruments(id: DocumentId): Promise<Envelope<InstrumentSummary[]>>;
  /** Undoes the window's last edit (each edit is one step; at least 50 are kept). */
  undo(id: DocumentId): Promise<Envelope<UndoOutcome>>;
  redo(id: DocumentId): Promise<Envelope<UndoOutcome>>;
  undoState(id: DocumentId): Promise<Envelope<UndoState>>;
  listDataIssues(id: DocumentId, includeResolved: boolean): Promise<Envelope<DataIssueView[]>>;
  setIssueResolved(id: DocumentId, issueId: number, resolved: boolean): Promise<Envelope<null>>;
  /** Asks main for a destination (save dialog) and exports; `null` when the dialog was cancelled. */
  exportSubset(id: DocumentId, selection: SubsetSelection, jobId: JobId): Promise<Envelope<ExportOutcome | null>>;
  exportForVersion(id: DocumentId, version: number, jobId: JobId): Promise<Envelope<ExportOutcome | null>>;
  cancelJob(jobId: JobId): Promise<Envelope<null>>;
  showBackup(id: DocumentId): Promise<Envelope<null>>;
  /** Shows the notebook's file in the file manager. */
  showDocumentFile(id: DocumentId): Promise<Envelope<null>>;
  /** Shows the file the window's last export wrote (NOT_FOUND before any). */
  showLastExport(id: DocumentId): Promise<Envelope<null>>;
  /** Opens the newest backup of the notebook in a new window (NOT_FOUND when it has none). */
  openLatestBackup(id: DocumentId): Promise<Envelope<null>>;
  /** Asks main for a destination (save dialog) and salvages the damaged notebook there; `null` when cancelled. */
  salvage(id: DocumentId, jobId: JobId): Promise<Envelope<SalvageOutcome | null>>;
  /** Start screen: the open dialog; each notebook chosen opens in its own window. Their file names (none: cancelled). */
  openNotebook(): Promise<Envelope<string[]>>;
  /** Start screen: asks for a name (save dialog), creates a current notebook there and opens it; its file name, null when cancelled. */
  newNotebook(): Promise<Envelope<string | null>>;
  /**
   * Start screen: writes the sample notebook (a Fieldbook 1.0 survey) into the user's documents
   * under a name no file has, never replacing one, and opens it in its own window, where it is
   * upgraded like any old notebook (backup, banner, data issues).
   */
  openSampleNotebook(): Promise<Envelope<SampleNotebook>>;
  on<E extends keyof Events>(event: E, listener: (payload: Events[E]) => void): () => void;
}

/** Channel names, one per operation (`fieldbook:<operation>`). */
export type Operation = Exclude<keyof FieldbookApi, 'on'>;
export const OPERATIONS: readonly Operation[] = [
  'windowDocument',
  'documentInfo',
  'listSites',
  'listSamples',
  'getSample',
  'updateSample',
  'addSample',
  'setSampleTags',
  'listTags',
  'listDataIssues',
  'setIssueResolved',
  'exportSubset',
  'exportForVersion',
  'cancelJob',
  'showBackup',
  'showDocumentFile',
  'showLastExport',
  'openLatestBackup',
  'salvage',
  'openNotebook',
  'newNotebook',
  'openSampleNotebook',
  'addSite',
  'updateSite',
  'deleteSite',
  'deleteSample',
  'deletionCounts',
  'addMeasurement',
  'updateMeasurement',
  'deleteMeasurement',
  'listInstruments',
  'undo',
  'redo',
  'undoState',
];
export const channel = (operation: Operation | keyof Events) => `fieldbook:${operation}`;
