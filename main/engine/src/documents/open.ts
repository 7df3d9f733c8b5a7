import path = require('node:path');
import type { Sequelize } from 'sequelize';
import { classifyForReading, problemError, statDocument, type Classification, type EngineOption } from './classify';
import { openConnection, type Connection } from '../sqlite/connection';
import type { Engine } from '../engine';
import { FieldbookError } from '../errors';
import type { MigrateOptions, MigrateResult } from './migrate';
import { planRead, type ReadPlan } from '../sqlite/read-plan';
import { readVersionTable } from '../migrations/version-table';
import { writeRefusal, type WriteRefusal } from './write-refusal';

/**
 * Runs the upgrade an open needs, somewhere else than openDocument would (a background job), and
 * resolves with upgradeDocument's result. It gets the classification the open made.
 */
export type UpgradeRunner = (classification: Classification) => Promise<MigrateResult>;

/** Options of openDocument: the engine, the upgrade on open, and how to open. */
export interface OpenDocumentOptions extends EngineOption {
  /**
   * Upgrade an outdated or unversioned (0.9) document to head before opening (default true:
   * upgradeDocument, on this thread). An UpgradeRunner runs that upgrade itself. `false` opens
   * such a document as it is, read-only.
   */
  upgrade?: boolean | UpgradeRunner;
  /** Backup setting for that upgrade (see MigrateOptions.backup); not used by an UpgradeRunner. */
  backup?: MigrateOptions['backup'];
  /** Called before each upgrade step (progress); not used by an UpgradeRunner. */
  onStep?: MigrateOptions['onStep'];
  /** Open without write access even when the document could be written. */
  readOnly?: boolean;
  /**
   * What to do with a document from a newer app: open it (default), read-only so nothing this
   * app does can damage what it does not understand unless it is `additive` for this app
   * (Classification.newer: declared so and proven by this app's own schema diff), which opens
   * writable; or refuse with TOO_NEW.
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
  /** True when the document was opened without write access (a newer document that is not additive, or asked for). */
  readonly readOnly: boolean;
  /** What the upgrade on open did, or null when none was needed. */
  readonly upgrade: MigrateResult | null;
  /** The better-sqlite3 connection (foreign keys on, defences for untrusted files on). */
  readonly db: Connection;
  /** A Sequelize instance on the same connection (created on first use). */
  sequelize(): Sequelize;
  /**
   * Runs an edit. A read-only handle refuses it before it runs; a rule of the document that
   * refuses it (a UNIQUE, CHECK, NOT NULL or FOREIGN KEY constraint, a Sequelize validation)
   * becomes INVALID_VALUE, worded by `describe` (default: the error's own message), with the
   * original error as `cause`. Any other error passes through unchanged.
   * @throws FieldbookError READ_ONLY_DOCUMENT, INVALID_VALUE
   */
  write<T>(change: () => Promise<T>, describe?: (refusal: WriteRefusal) => string): Promise<T>;
  close(): void;
}

/**
 * Opens a document for use: classifies it once, upgrades it when outdated (backup first, all or
 * nothing; or lets `upgrade` run that elsewhere), then opens one connection. A read-only handle
 * reads the document as that classification did (the file, or a private copy of its last
 * committed state: see planRead). Several documents can be open at once; nothing global changes.
 * @throws FieldbookError for files that cannot be opened (NOT_FOUND, NOT_SQLITE, NOT_A_FIELDBOOK,
 *   UNKNOWN_SCHEMA, DAMAGED, INCONSISTENT_VERSION, TOO_NEW with `newer: 'refuse'`, LOCKED) and
 *   for failed upgrades (MIGRATION_FAILED, READ_ONLY, BACKUP_FAILED, NO_SPACE, IO_ERROR)
 */
export async function openDocument(filePath: string, options: OpenDocumentOptions): Promise<DocumentHandle> {
  const engine = options.engine;
  const absolute = path.resolve(filePath);
  const read = classifyForReading(absolute, { engine, check: options.verify ? 'quick' : 'none' });
  let classification = read.classification;
  let plan: ReadPlan | null = read.plan;
  let upgrade: MigrateResult | null = null;
  try {
    if ((classification.status === 'outdated' || classification.status === 'legacy') && options.upgrade !== false && !options.readOnly) {
      plan.dispose();
      plan = null;
      upgrade = await runUpgrade(classification, options);
    }
    const newer = classification.status === 'newer';
    const problem = problemError(classification);
    if (problem && !(newer && options.newer !== 'refuse')) throw problem;
    const current = upgrade ? upgrade.to === classification.head : classification.status === 'current';
    // An additive newer document is this app's to write as it is (its newer parts are left alone).
    const additive = newer && classification.newer?.compatibility === 'additive';
    const readOnly = options.readOnly === true || !(current || additive);
    if (!readOnly) {
      plan?.dispose();
      plan = null;
    }
    // Read-only after an upgrade that stopped short of head (an UpgradeRunner's choice): read as classification does.
    plan ??= readOnly ? planRead(absolute, statDocument(absolute), engine.lockTimeoutMs) : null;
    const db = openConnection(plan?.file ?? absolute, { readonly: readOnly, lockTimeoutMs: engine.lockTimeoutMs });
    try {
      if (upgrade) classification = upgradedClassification(db, engine, classification, upgrade);
    } catch (error) {
      db.close();
      throw error;
    }
    const handle = documentHandle(absolute, classification, readOnly, upgrade, db, plan, engine);
    plan = null;
    return handle;
  } finally {
    plan?.dispose();
  }
}

async function runUpgrade(classification: Classification, options: OpenDocumentOptions): Promise<MigrateResult> {
  if (typeof options.upgrade === 'function') return options.upgrade(classification);
  const { upgradeDocument } = require('./migrate') as typeof import('./migrate');
  // The upgrade takes this classification instead of making its own; it still re-checks under its write lock.
  return upgradeDocument(classification.path, { engine: options.engine, backup: options.backup, onStep: options.onStep, classification });
}

/**
 * The classification of a document just upgraded, read on the connection the handle uses: the
 * upgrade validated the document before committing, so what is left to read is its version
 * table. A version other than the upgrade's means someone changed the file since.
 * @throws FieldbookError LOCKED when the document changed after the upgrade
 */
function upgradedClassification(db: Connection, engine: Engine, before: Classification, upgrade: MigrateResult): Classification {
  const version = db.pragma('user_version', { simple: true }) as number;
  const applied = readVersionTable(db, engine.versionTable);
  if (version !== upgrade.to || applied === null || applied.length !== version) {
    throw new FieldbookError('LOCKED', `${before.path} changed while it was being opened; try again`);
  }
  const status = version === before.head ? 'current' : 'outdated';
  return { ...before, status, version, applicationId: db.pragma('application_id', { simple: true }) as number, applied, problem: null };
}

function documentHandle(
  absolute: string,
  classification: Classification,
  readOnly: boolean,
  upgrade: MigrateResult | null,
  db: Connection,
  plan: ReadPlan | null,
  engine: Engine,
): DocumentHandle {
  let sequelize: Sequelize | undefined;
  return {
    path: absolute,
    classification,
    readOnly,
    upgrade,
    db,
    sequelize() {
      if (sequelize === undefined) {
        const { sequelizeFor } = require('../sequelize/sequelize-for') as typeof import('../sequelize/sequelize-for');
        const { refuseSchemaChanges } = require('../sequelize/preserving-query-interface') as typeof import('../sequelize/preserving-query-interface');
        sequelize = sequelizeFor(db, { busyTimeoutMs: engine.lockTimeoutMs });
        refuseSchemaChanges(sequelize.getQueryInterface());
      }
      return sequelize;
    },
    async write(change, describe) {
      if (readOnly) throw new FieldbookError('READ_ONLY_DOCUMENT', 'this document is open read-only; nothing can be changed');
      try {
        return await change();
      } catch (error) {
        const refusal = writeRefusal(error);
        if (!refusal) throw error;
        throw new FieldbookError('INVALID_VALUE', describe?.(refusal) ?? refusal.message, { cause: error });
      }
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
