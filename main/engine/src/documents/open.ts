import * as path from 'node:path';
import type { Sequelize } from 'sequelize';
import { classifyDocument, problemError, statDocument, type Classification, type EngineOption } from './classify';
import { openConnection, type Connection } from '../sqlite/connection';
import { upgradeDocument, type MigrateOptions, type MigrateResult } from './migrate';
import { planRead } from '../sqlite/read-plan';
import { refuseSchemaChanges } from '../sequelize/preserving-query-interface';
import { sequelizeFor } from '../sequelize/sequelize-for';

export interface OpenDocumentOptions extends EngineOption {
  /** Upgrade an outdated or unversioned (0.9) document to head before opening (default true). */
  upgrade?: boolean;
  /** Backup setting for that upgrade (see MigrateOptions.backup). */
  backup?: MigrateOptions['backup'];
  /** Called before each upgrade step (progress). */
  onStep?: MigrateOptions['onStep'];
  /** Open without write access even when the document could be written. */
  readOnly?: boolean;
  /**
   * What to do with a document from a newer app: open it read-only (default), so nothing this
   * app does can damage what it does not understand, or refuse with TOO_NEW.
   */
  newer?: 'read-only' | 'refuse';
  /** Run quick_check (and the schema check) before opening a current document (default false: opening stays cheap). */
  verify?: boolean;
}

/** An open document: one connection, shared by raw SQL and Sequelize. Close it when done. */
export interface DocumentHandle {
  readonly path: string;
  /** The classification after any upgrade. */
  readonly classification: Classification;
  /** True when the document was opened without write access (newer document, or asked for). */
  readonly readOnly: boolean;
  /** What the upgrade on open did, or null when none was needed. */
  readonly upgrade: MigrateResult | null;
  /** The better-sqlite3 connection (foreign keys on, defences for untrusted files on). */
  readonly db: Connection;
  /** A Sequelize instance on the same connection (created on first use). */
  sequelize(): Sequelize;
  close(): void;
}

/**
 * Opens a document for use: classifies it, upgrades it when outdated (backup first, all or
 * nothing), then opens one connection. Several documents can be open at once; nothing global
 * is changed.
 * @throws FieldbookError for files that cannot be opened (NOT_FOUND, NOT_SQLITE, NOT_A_FIELDBOOK,
 *   UNKNOWN_SCHEMA, DAMAGED, INCONSISTENT_VERSION, TOO_NEW with `newer: 'refuse'`, LOCKED) and
 *   for failed upgrades (MIGRATION_FAILED, READ_ONLY, BACKUP_FAILED)
 */
export async function openDocument(filePath: string, options: OpenDocumentOptions): Promise<DocumentHandle> {
  const engine = options.engine;
  const absolute = path.resolve(filePath);
  let classification = classifyDocument(absolute, { engine, check: options.verify ? 'quick' : 'none' });
  let upgrade: MigrateResult | null = null;
  const wantsUpgrade = options.upgrade !== false && !options.readOnly;
  if ((classification.status === 'outdated' || classification.status === 'legacy') && wantsUpgrade) {
    upgrade = await upgradeDocument(absolute, { engine, backup: options.backup, onStep: options.onStep });
    classification = classifyDocument(absolute, { engine });
  }
  const newer = classification.status === 'newer';
  const problem = problemError(classification);
  if (problem && !(newer && options.newer !== 'refuse')) throw problem;
  const readOnly = newer || options.readOnly === true || classification.status !== 'current';
  // A read-only handle reads as classification does (planRead): a read-only connection on a WAL
  // document would leave -wal/-shm behind (or fail in a read-only folder), so such a document
  // is read from a private copy of its last committed state, removed on close.
  const plan = readOnly ? planRead(absolute, statDocument(absolute), engine.lockTimeoutMs) : null;
  let db: Connection;
  try {
    db = openConnection(plan?.file ?? absolute, { readonly: readOnly, lockTimeoutMs: engine.lockTimeoutMs });
  } catch (error) {
    plan?.dispose();
    throw error;
  }
  let sequelize: Sequelize | undefined;
  return {
    path: absolute,
    classification,
    readOnly,
    upgrade,
    db,
    sequelize() {
      if (sequelize === undefined) {
        sequelize = sequelizeFor(db, { transactionWaitMs: engine.lockTimeoutMs });
        refuseSchemaChanges(sequelize.getQueryInterface());
      }
      return sequelize;
    },
    close() {
      try {
        db.close();
      } finally {
        plan?.dispose();
      }
    },
  };
}
