/**
 * The IPC contract between Fieldbook's main process and its renderer, shared by main, preload
 * and renderer. Types only: this file must import nothing, so the renderer can use it without
 * Node or Electron.
 *
 * The renderer never sees paths: main chooses files with its own dialogs and the renderer
 * refers to documents by `DocumentId`. Every call answers with an envelope, never a throw.
 */

export * from './contract-csv';
export * from './contract-edits';
export * from './contract-views';
export * from './contract-charts';
export * from './contract-travel';
export * from './contract-documents';
import type {
  AttachmentContent,
  DeletionCounts,
  InstrumentSummary,
  MeasurementPatch,
  NewMeasurement,
  NewSample,
  NewSite,
  SamplePatch,
  SitePatch,
  UndoOutcome,
  UndoState,
} from './contract-edits';
import type { CsvExportOptions, CsvExportOutcome, CsvImportFile, CsvImportOutcome, CsvImportPreview, CsvImportSettings } from './contract-csv';
import type { DataIssueView, SampleDetail, SamplePage, SampleQuery, SiteSummary, TagSummary } from './contract-views';
import type { MeasurementSeriesSet, SeriesScope, SiteMap } from './contract-charts';
import type { CopyForVersionOutcome } from './contract-travel';
import type { DocumentInfo, ExportOutcome, JobProgress, SalvageOutcome, SampleNotebook, SubsetSelection, WindowDocument } from './contract-documents';

export type { DocumentId, JobId } from './contract-documents';
import type { DocumentId, JobId } from './contract-documents';

/**
 * An answer: the value, or the error with its stable code and a message for the user; `field`
 * names the input an INVALID_VALUE is about (`code`, `collectedOn`, ...), when it is one field.
 */
export type Envelope<T> = { ok: true; value: T } | { ok: false; error: { code: string; message: string; field?: string } };

/** Menu commands main forwards to the focused window (menu items the renderer carries out). */
export type MenuCommand =
  'export-subset' | 'export-for-version' | 'document-info' | 'data-issues' | 'undo' | 'redo' | 'new-sample' | 'find' | 'delete-sample' | 'export-csv' | 'import-csv';

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
  /** Asks main for files (open dialog) and attaches them to the sample, in one edit; null when the dialog was cancelled. */
  attachFiles(id: DocumentId, sampleId: number): Promise<Envelope<SampleDetail | null>>;
  deleteAttachment(id: DocumentId, attachmentId: number): Promise<Envelope<SampleDetail>>;
  attachmentContent(id: DocumentId, attachmentId: number): Promise<Envelope<AttachmentContent>>;
  /** Asks main for a destination (save dialog) and writes the attachment's file there; its file name, null when cancelled. */
  saveAttachment(id: DocumentId, attachmentId: number): Promise<Envelope<string | null>>;
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
  /** The sites for the map: with coordinates, without, and the frame that fits them. */
  siteMap(id: DocumentId): Promise<Envelope<SiteMap>>;
  /** Measurements over time, one series per kind and unit: a site's, or a sample's against its site's. */
  measurementSeries(id: DocumentId, scope: SeriesScope): Promise<Envelope<MeasurementSeriesSet>>;
  /** Asks for a destination (save dialog) and writes the samples `query` picks (no paging) with their measurements as CSV; null when cancelled. */
  exportCsv(id: DocumentId, query: SampleQuery, options: CsvExportOptions, jobId: JobId): Promise<Envelope<CsvExportOutcome | null>>;
  /** Asks for a CSV file (open dialog), reads and parses it for import; null when cancelled. READ_ONLY_DOCUMENT on a read-only notebook. */
  chooseCsvImport(id: DocumentId): Promise<Envelope<CsvImportFile | null>>;
  previewCsvImport(id: DocumentId, importId: string, settings: CsvImportSettings): Promise<Envelope<CsvImportPreview>>;
  /** Imports the chosen file's rows as measurements: one edit (one undo step), all or nothing. */
  importCsv(id: DocumentId, importId: string, settings: CsvImportSettings): Promise<Envelope<CsvImportOutcome>>;
  /** Forgets a chosen file (the dialog was closed). */
  discardCsvImport(id: DocumentId, importId: string): Promise<Envelope<null>>;
  /**
   * For a notebook from a newer Fieldbook: asks for a destination (save dialog), writes a copy
   * at this version through the way back the notebook carries (a background job; the notebook
   * is only read) and opens the copy in a new window; null when the dialog was cancelled.
   */
  openCopyForThisVersion(id: DocumentId, jobId: JobId): Promise<Envelope<CopyForVersionOutcome | null>>;
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
  'attachFiles',
  'deleteAttachment',
  'attachmentContent',
  'saveAttachment',
  'siteMap',
  'measurementSeries',
  'exportCsv',
  'chooseCsvImport',
  'previewCsvImport',
  'importCsv',
  'discardCsvImport',
  'openCopyForThisVersion',
];
export const channel = (operation: Operation | keyof Events) => `fieldbook:${operation}`;
