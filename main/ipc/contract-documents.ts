/**
 * The IPC contract's views of documents and jobs: what a window shows of its notebook (its
 * state, status and banners, its info), and what exports, salvages and jobs report. Part of the
 * contract (contract.ts re-exports it): types only, importing only the contract's other parts.
 */
import type { Compatibility } from './contract-travel';

export type DocumentId = string;
export type JobId = string;

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
  /** For a notebook from a newer Fieldbook: how it meets this version (null: not newer, or unknown), and whether a copy for this version can be made. */
  compatibility: Compatibility | null;
  canOpenCopy: boolean;
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
