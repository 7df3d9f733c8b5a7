import path = require('node:path');
import { backupFolderSetting } from './backup';
import { assertRoomToMigrate, versionsFor } from './migration-bounds';
import { classifyDocument, classifyForReading, inspectDocument, type Classification, type EngineOption } from './classify';
import { openConnection, sqliteFailure, type Connection } from '../sqlite/connection';
import type { Engine } from '../engine';
import { assertWritable } from '../sqlite/file-access';
import { FieldbookError } from '../errors';
import { privateCopyFailure } from '../sqlite/file-system-failure';
import { dataLossError, lostData, uncoveredLoss, type LostData } from './lost-data';
import { lockForWriting, refuseUnusable } from '../migrations/lock-for-writing';
import { abortPoint, runMigration } from '../migrations/run-migration';
import type { Target } from '../migrations/targets';
import { removeDocumentFiles, tempDocumentPath } from '../sqlite/temp-files';

export { validate } from '../migrations/version-validation';

/** Options of upgradeDocument (and, with `to` required, of downgradeDocument). */
export interface MigrateOptions extends EngineOption {
  /** Target version (default: head for upgrades; required for downgrades). */
  to?: Target;
  /**
   * Back up before changing anything (default true). `false` skips it; a string is the backup
   * folder to use instead of the engine's.
   */
  backup?: boolean | string;
  /** Called before each step. */
  onStep?: (step: { name: string; version: number; direction: 'up' | 'down'; index: number; total: number }) => void;
  /** Receives every SQL statement the migrations run, in order (for scripts and benchmarks). */
  sqlLog?: string[];
  /**
   * Cancels the migration (checked before locking, between steps and before committing): the
   * transaction is rolled back, the document stays at its old version, and ABORTED is thrown.
   */
  signal?: AbortSignal;
  /**
   * The document's classification, when the caller has just made it (openDocument hands its own
   * to an upgrade it runs elsewhere): the read-only pass is skipped. The check under the write
   * lock still runs, and a document that changed since (another version or status) is refused
   * with LOCKED. Ignored when it is of another path.
   */
  classification?: Classification;
}

/** One step a migration ran: which migration, which way, and how long it took (also recorded in the version table). */
export interface MigrationStep {
  version: number;
  name: string;
  direction: 'up' | 'down';
  durationMs: number;
}

/** What upgradeDocument did: the versions before and after, the backup, the steps. */
export interface MigrateResult {
  path: string;
  from: number;
  to: number;
  /** Path of the backup taken before migrating, or null (nothing to do, or backups off). */
  backup: string | null;
  /** The steps run, in order (empty when the document was already at the target). */
  applied: MigrationStep[];
  /** True when an unversioned (0.9-style) document was adopted before upgrading. */
  adopted: boolean;
}

/**
 * Moves a document to a target version, all or nothing:
 * classify (read-only) → take the write lock → re-check under the lock (quick_check, schema) →
 * back up with the online backup API → run every step in one transaction with foreign keys off,
 * recording each in the version table → validate (foreign_key_check, schema fingerprint of the
 * target version, version table) → commit. Any failure rolls the transaction back, which leaves
 * the file's bytes exactly as they were.
 * @throws FieldbookError NOT_FOUND, NOT_SQLITE, NOT_A_FIELDBOOK, UNKNOWN_SCHEMA, TOO_NEW, DAMAGED,
 *   INCONSISTENT_VERSION, READ_ONLY, LOCKED, BAD_TARGET, BACKUP_FAILED; MigrationError (MIGRATION_FAILED)
 */
export async function upgradeDocument(filePath: string, options: MigrateOptions): Promise<MigrateResult> {
  return migrateDocument(filePath, 'up', options, false);
}

/** Options of downgradeDocument: a target is required, and the loss it may cause must be accepted. */
export interface DowngradeOptions extends MigrateOptions {
  to: Target;
  /**
   * The loss the caller accepts: `true` any; a list (typically planDowngrade's `lost`, which
   * the user confirmed) at most that — the same tables and columns with no more rows. Default:
   * none, so a downgrade that would lose data throws DATA_LOSS before writing anything.
   */
  acceptLoss?: boolean | readonly LostData[];
}

/** What downgradeDocument did, with what it dropped. */
export interface DowngradeResult extends MigrateResult {
  /** What the downgrade dropped (empty when nothing was lost), as exportDocument reports it. */
  lost: LostData[];
}

/** What planDowngrade found: the versions and what the downgrade would lose. */
export interface DowngradePlan {
  path: string;
  from: number;
  to: number;
  /** What downgrading to `to` would lose, computed on a private copy; empty when nothing. */
  lost: LostData[];
}

/**
 * Moves a document back to an earlier version through the `down` migrations, with the same
 * safety as upgradeDocument. Before anything is written, the same steps run on a private copy
 * taken under the same check as the real run (`PRAGMA data_version` proves the document did not
 * change between the copy and the write lock), and the copy is compared with the document:
 * what the downgrade would drop (rows of tables or columns later versions added, data issue
 * records, see lostData) must be accepted with `acceptLoss`, else nothing is written.
 * @throws FieldbookError DATA_LOSS (details.lost), and upgradeDocument's codes
 */
export async function downgradeDocument(filePath: string, options: DowngradeOptions): Promise<DowngradeResult> {
  const result = await migrateDocument(filePath, 'down', options, false);
  return { ...result, lost: result.lost ?? [] };
}

/**
 * What downgradeDocument would lose, without writing the document: the `down` steps run on a
 * private copy (online backup API), which is compared with the document. Show it, then pass
 * it as `acceptLoss` to downgradeDocument.
 * @throws FieldbookError BAD_TARGET, MIGRATION_FAILED and the document's codes (NOT_FOUND, TOO_NEW, ...)
 */
export async function planDowngrade(filePath: string, options: EngineOption & { to: Target }): Promise<DowngradePlan> {
  const engine = options.engine;
  const absolute = path.resolve(filePath);
  // Read as classification reads (planRead): the document, or a private copy of its last
  // committed state when reading it in place would create, checkpoint or need files beside it.
  const { classification: before, plan } = classifyForReading(absolute, { engine });
  try {
    refuseUnusable(before);
    const { from, to } = versionsFor(before, engine, 'down', options.to);
    if (to === from && before.status !== 'legacy') return { path: absolute, from, to, lost: [] };
    engine.migrations.verify();
    const db = openConnection(plan.file, { readonly: true, lockTimeoutMs: engine.lockTimeoutMs });
    try {
      try {
        refuseUnusable(inspectDocument(db, engine, absolute, 'quick'));
      } catch (error) {
        throw sqliteFailure(error, absolute, 'check');
      }
      return { path: absolute, from, to, lost: await trialLoss(db, plan.file, to, engine) };
    } finally {
      db.close();
    }
  } finally {
    plan.dispose();
  }
}

/**
 * Downgrades a private copy that the caller owns and compares with its source itself (the
 * loss measurement of downgradeDocument, exportDocument): no backup, and no loss measured or
 * refused here, so the `down` steps run once.
 */
export async function downgradePrivateCopy(file: string, options: EngineOption & { to: Target; signal?: AbortSignal }): Promise<MigrateResult> {
  return migrateDocument(file, 'down', { ...options, backup: false }, true);
}

/**
 * Runs the `down` steps to `to` on a private copy of the document `db` is connected to (not
 * inside a transaction) and returns what the copy lost (lostData). Only reads the document.
 */
async function trialLoss(db: Connection, absolute: string, to: number, engine: Engine): Promise<LostData[]> {
  const trial = tempDocumentPath('trial');
  // lostData ATTACHes the original through a writable connection, which could checkpoint a WAL
  // document read in place (another program's -wal and -shm): compare with a second copy then.
  const original = db.readonly && db.pragma('journal_mode', { simple: true }) === 'wal' ? tempDocumentPath('trial') : null;
  try {
    await db.backup(trial, { progress: () => 1 << 30 });
    if (original) await db.backup(original, { progress: () => 1 << 30 });
    await downgradePrivateCopy(trial, { engine, to });
    return lostData(trial, original ?? absolute, engine);
  } catch (error) {
    throw privateCopyFailure(error, trial, absolute);
  } finally {
    removeDocumentFiles(trial);
    if (original) removeDocumentFiles(original);
  }
}

/** `trial`: a run on a private copy (downgradePrivateCopy) that measures and refuses no loss itself. */
async function migrateDocument(
  filePath: string,
  direction: 'up' | 'down',
  options: MigrateOptions & { acceptLoss?: DowngradeOptions['acceptLoss'] },
  trial: boolean,
): Promise<MigrateResult & { lost?: LostData[] }> {
  const engine = options.engine;
  const absolute = path.resolve(filePath);
  const before = options.classification?.path === absolute ? options.classification : classifyDocument(absolute, { engine });
  refuseUnusable(before);
  const { from, to } = versionsFor(before, engine, direction, options.to);
  if (to === from && before.status !== 'legacy') return { path: absolute, from, to, backup: null, applied: [], adopted: false, ...(direction === 'down' ? { lost: [] } : {}) };

  engine.migrations.verify();
  assertWritable(absolute);
  const backupDir = backupFolderSetting(options.backup, engine.backupDir);
  assertRoomToMigrate(absolute, backupDir, direction);
  const db = openConnection(absolute, { lockTimeoutMs: engine.lockTimeoutMs });
  try {
    db.pragma('foreign_keys = OFF');
    // A downgrade measures its loss on a private copy before the backup and the lock, and refuses there if it was not accepted.
    const measureLoss =
      direction === 'down' && !trial
        ? async () => {
            const lost = await trialLoss(db, absolute, to, engine);
            const uncovered = uncoveredLoss(lost, options.acceptLoss);
            if (uncovered.length) throw dataLossError(`downgrading ${absolute} from version ${from} to ${to}`, lost, uncovered);
            return lost;
          }
        : undefined;
    const { backup, state, lost } = await lockForWriting(db, engine, absolute, backupDir, measureLoss);
    await abortPoint(options.signal, absolute);
    if (state.version !== before.version || state.status !== before.status) {
      throw new FieldbookError('LOCKED', `${absolute} changed while it was being opened; try again`);
    }
    const result = await runMigration(db, engine, state, to, backup, options);
    return lost === undefined ? result : { ...result, lost };
  } finally {
    if (db.inTransaction) db.exec('ROLLBACK');
    db.close();
  }
}
