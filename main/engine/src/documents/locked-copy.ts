import fs = require('node:fs');
import type { Connection } from '../sqlite/connection';
import { isHeaderProblem, readSqliteHeader } from '../sqlite/sqlite-header';

/**
 * Copies a document's file, as a consistent snapshot, with the system's file copier (`cp`:
 * copy_file_range, or a reflink where the file system has them) while `db` holds SQLite's read
 * lock on it: no writer can change the file meanwhile. The copy runs in a child process because
 * this process must not open the document with `fs`: closing any descriptor of a file drops all
 * of the process's POSIX locks on it, SQLite's included. The copy (a different file) is then
 * checked: its size is the document's page count times its page size, and its header is a
 * healthy SQLite header with the document's page size, page count, user_version and
 * application_id. Not fsynced here (the caller does).
 *
 * Returns false, leaving nothing at `destination`, when this way is not open and the caller
 * must use SQLite's online backup API: a WAL document (its last commits may be in the `-wal`,
 * which a copy of the file alone would miss), a connection already inside a transaction, a
 * platform other than Linux or macOS, no `cp`, or any failure of the copy or its check.
 * @throws SqliteError when SQLite cannot take the read lock (LOCKED for the caller to report)
 */
export function copyUnderReadLock(db: Connection, destination: string): boolean {
  const flags = COPY_FLAGS[process.platform];
  if (!flags || db.inTransaction || db.memory) return false;
  if (String(db.pragma('journal_mode', { simple: true })).toLowerCase() === 'wal') return false;
  db.exec('BEGIN');
  try {
    // The first read takes the SHARED lock (and rolls back a hot journal first), which the
    // transaction keeps until COMMIT: writers wait for it before they may write the file.
    const pageSize = db.pragma('page_size', { simple: true }) as number;
    const pageCount = db.pragma('page_count', { simple: true }) as number;
    const userVersion = db.pragma('user_version', { simple: true }) as number;
    const applicationId = db.pragma('application_id', { simple: true }) as number;
    // Loaded here, not with the module: backup.ts needs this file, and an upgrade without a backup never copies.
    const { spawnSync } = require('node:child_process') as typeof import('node:child_process');
    const copied = spawnSync('cp', [...flags, '--', db.name, destination], { stdio: ['ignore', 'ignore', 'pipe'], timeout: 10 * 60 * 1000 });
    if (copied.status !== 0 || copied.error) return discard(destination);
    const size = fs.statSync(destination, { throwIfNoEntry: false })?.size;
    const header = readSqliteHeader(destination, size ?? 0);
    const healthy =
      size === pageSize * pageCount &&
      !isHeaderProblem(header) &&
      header.pageSize === pageSize &&
      (header.pageCount === null || header.pageCount === pageCount) &&
      header.userVersion === userVersion &&
      header.applicationId === applicationId;
    return healthy ? true : discard(destination);
  } catch (error) {
    discard(destination);
    // SQLite's own failures (a writer holding the lock past the timeout, a damaged file) would
    // stop the backup API too: the caller reports them. Anything else: the backup API's turn.
    if (String((error as { code?: unknown } | null)?.code ?? '').startsWith('SQLITE_')) throw error;
    return false;
  } finally {
    db.exec('COMMIT');
  }
}

/** How `cp` is told to clone where it can and copy otherwise, per platform (macOS: clonefile with -c fails on other volumes, and is then retried by the caller's fallback). */
const COPY_FLAGS: Partial<Record<NodeJS.Platform, string[]>> = {
  linux: ['--reflink=auto'],
  darwin: ['-c'],
};

function discard(destination: string): false {
  fs.rmSync(destination, { force: true });
  return false;
}
