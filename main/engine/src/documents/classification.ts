import type { Engine } from '../engine';
import type { ErrorCode } from '../errors';
import type { AppliedMigration } from '../migrations/version-table';
import type { NewerDocument } from '../travel/newer-document';

/**
 * What a file is to an app: `current` (at its head), `outdated` (an older version: upgrade it),
 * `newer` (from a newer app), `legacy` (the app's, from before versioning), `foreign` (not the
 * app's, or not SQLite) or `damaged` (unreadable, or its schema is not its version's).
 */
export type DocumentStatus = 'current' | 'outdated' | 'newer' | 'legacy' | 'foreign' | 'damaged';

/** What classifyDocument found: the file's status, version, application id and version table, and why it cannot be used as it is. */
export interface Classification {
  /** Absolute path of the document. */
  path: string;
  status: DocumentStatus;
  /** `PRAGMA user_version` (0 for unversioned files), or null when it could not be read. */
  version: number | null;
  /** The newest version this app knows. */
  head: number;
  /** `PRAGMA application_id`, or null when it could not be read. */
  applicationId: number | null;
  /** The version table's rows (empty for unversioned or unreadable files). */
  applied: AppliedMigration[];
  /** Why a `newer`, `foreign` or `damaged` document cannot be upgraded; null otherwise. */
  problem: { code: ErrorCode; message: string } | null;
  /** For a `newer` document: its class for this app and whether it carries a way back (absent otherwise). */
  newer?: NewerDocument;
}

/** Options every command takes: the app's engine (`createEngine`). There is no default engine. */
export interface EngineOption {
  engine: Engine;
}

/** Options of classifyDocument: the engine, and how closely to look at the file's contents. */
export interface ClassifyOptions extends EngineOption {
  /**
   * Also verify the file's contents: `'quick'` runs `PRAGMA quick_check`, `'full'` runs
   * `integrity_check`, and both compare a versioned document's schema with the schema its
   * version must have. The default (`'none'`) reads only the header, two pragmas and the version
   * table, so it stays cheap on large documents; upgrades always verify before writing.
   */
  check?: 'none' | 'quick' | 'full';
}
