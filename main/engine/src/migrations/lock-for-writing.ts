import { backupDocument, discardBackup } from '../documents/backup';
import { inspectDocument, problemError, type Classification } from '../documents/classify';
import type { Engine } from '../engine';
import { FieldbookError } from '../errors';
import { sqliteFailure, type Connection } from '../sqlite/connection';

/**
 * Refuses a document no migration may touch: anything but a current, outdated or legacy one.
 * @throws FieldbookError the classification's problem (NOT_FOUND, TOO_NEW, DAMAGED, ...), else DAMAGED
 */
export function refuseUnusable(c: Classification): void {
  if (c.status === 'current' || c.status === 'outdated' || c.status === 'legacy') return;
  throw problemError(c) ?? new FieldbookError('DAMAGED', `${c.path} cannot be migrated (${c.status})`);
}

/**
 * Checks the document (quick_check, and its schema against its version's), runs `measure` (a
 * downgrade's loss, which may refuse), backs it up, then takes SQLite's exclusive lock (other
 * processes wait, then get LOCKED). The backup API cannot copy from a connection inside its own
 * write transaction, so the check and the copies come first and `PRAGMA data_version` proves
 * nobody committed between them and the lock; if someone did, everything is redone. Returns the
 * state that was checked and what `measure` returned.
 * @throws FieldbookError LOCKED, the document's problem (refuseUnusable), BACKUP_FAILED, and what `measure` throws
 */
export async function lockForWriting<T>(db: Connection, engine: Engine, absolute: string, backupDir: string | null, measure?: () => Promise<T>): Promise<{ backup: string | null; state: Classification; lost: T | undefined }> {
  for (let attempt = 0; attempt < 3; attempt++) {
    const seen = db.pragma('data_version', { simple: true });
    let state: Classification;
    try {
      state = inspectDocument(db, engine, absolute, 'quick');
    } catch (error) {
      throw sqliteFailure(error, absolute, 'check');
    }
    refuseUnusable(state);
    const lost = measure ? await measure() : undefined;
    let backup: string | null = null;
    if (backupDir) {
      try {
        backup = await backupDocument(db, absolute, state.version ?? 0, backupDir, engine.keepBackups, engine.documentExtension);
      } catch (error) {
        const busy = sqliteFailure((error as { cause?: unknown }).cause, absolute, 'back up');
        throw busy instanceof FieldbookError && busy.code === 'LOCKED' ? busy : error;
      }
    }
    try {
      db.exec('BEGIN EXCLUSIVE');
    } catch (error) {
      throw sqliteFailure(error, absolute, 'lock');
    }
    if (db.pragma('data_version', { simple: true }) === seen) return { backup, state, lost };
    db.exec('ROLLBACK');
    if (backup) discardBackup(backup);
  }
  throw new FieldbookError('LOCKED', `${absolute} keeps being changed by another program; try again when it has finished`);
}
