import fs = require('node:fs');
import { isOpenInThisProcess, openConnection } from './connection';
import { FieldbookError } from '../errors';
import type * as FileSystemFailure from './file-system-failure';
import { readOnlyReason } from './file-access';
import { hasHotJournal, statOrNull, isHeaderProblem, readSqliteHeader, type HeaderProblem, type SqliteHeader } from './sqlite-header';
import type * as TempFiles from './temp-files';

/**
 * How to read a document without changing its bytes or leaving files beside it (planRead).
 * `dispose()` removes the private copy, if there is one.
 */
export interface ReadPlan {
  /** The file to open read-only: the document itself, or a private copy of its last committed state. */
  file: string;
  /** True when `file` is a private copy in the temp folder (rollback-journal mode, no journal), owned by the plan. */
  copy: boolean;
  /**
   * The header of `file` read with fs, to judge before opening it; null when it must not be
   * read with fs (a connection in this process has the document open).
   */
  header: SqliteHeader | HeaderProblem | null;
  dispose(): void;
}

/**
 * Decides how to read a document so that reading changes nothing (sqlite.org wal.html, "Read-Only
 * Databases"; better-sqlite3 cannot pass `immutable=1` or `mode=ro` URIs):
 * - open in this process: read it through SQLite only (its `-wal`/`-shm`, if any, are ours);
 * - a hot journal (a program died inside a transaction): SQLite rolls it back where the file and
 *   folder may be written (the one write a read allows: it restores the last committed state);
 *   otherwise the file and journal are copied and rolled back privately;
 * - WAL mode with `-wal` and `-shm` present (another program may have it open): a read-only
 *   connection, which uses them as they are and creates nothing;
 * - WAL mode otherwise: a read-only connection would create `-wal`/`-shm` (or fail in a read-only
 *   folder) and a writable one would checkpoint on close, so the file (and a `-wal` with frames)
 *   is copied with plain reads and the copy, turned into rollback-journal mode, is read instead;
 * - rollback-journal mode: the document itself (the cheap, normal path: nothing is copied);
 * - a folder (or anything but a regular file) where the `-journal`, `-wal` or `-shm` goes: SQLite
 *   cannot open the document at all, so its file and its regular companions are copied.
 * A copy is taken only while no connection of this process has the file open, and is retaken if
 * the files change while they are copied.
 * @throws FieldbookError LOCKED (the files keep changing, or a writer holds the lock), NO_SPACE,
 *   NOT_SQLITE / DAMAGED (SQLite refuses the file or its copy)
 */
export function planRead(absolute: string, stat: fs.Stats, lockTimeoutMs: number): ReadPlan {
  return planReadAttempt(absolute, stat, lockTimeoutMs, 0);
}

function planReadAttempt(absolute: string, stat: fs.Stats, lockTimeoutMs: number, attempt: number): ReadPlan {
  if (isOpenInThisProcess(stat)) return direct(absolute, null);
  // Each companion is looked at once (a classification's hot path: one stat each, no Error built
  // for a missing one).
  const journal = statOrNull(`${absolute}-journal`);
  const wal = statOrNull(`${absolute}-wal`);
  const shm = statOrNull(`${absolute}-shm`);
  const hotJournal = journal !== null && journal.isFile() && hasHotJournal(absolute, journal);
  const walSize = wal !== null && wal.isFile() ? wal.size : null;
  if ((journal !== null && !journal.isFile()) || (wal !== null && walSize === null) || (shm !== null && !shm.isFile())) {
    // SQLite cannot open the document while a folder (or device) sits where its journal, WAL or
    // shared memory goes; what is there holds no transaction, so the file and its regular
    // companions are its last committed state.
    const companions: string[] = [];
    if (hotJournal) companions.push('-journal');
    if ((walSize ?? 0) > 0) companions.push('-wal');
    return privateCopy(absolute, companions, lockTimeoutMs);
  }
  if (hotJournal) {
    if (readOnlyReason(absolute) === null) {
      try {
        rollBackInPlace(absolute, lockTimeoutMs);
        // SQLite rolls back only a journal no connection holds a RESERVED lock for: one that
        // still looks hot belongs to a live writer that has not touched the file yet (with
        // synchronous=OFF its journal header is complete from the start). The file is its last
        // committed state, but only SQLite's locks can tell for how long: let SQLite judge it.
        if (attempt > 0 || hasHotJournal(absolute)) return direct(absolute, null);
        return planReadAttempt(absolute, fs.statSync(absolute), lockTimeoutMs, attempt + 1);
      } catch (error) {
        if (!(error instanceof FieldbookError && error.code === 'READ_ONLY')) throw error;
      }
    }
    return privateCopy(absolute, ['-journal'], lockTimeoutMs);
  }
  const header = readSqliteHeader(absolute, walSize !== null && walSize > 0 ? null : stat.size);
  if (isHeaderProblem(header) || header.writeVersion !== 2) return direct(absolute, header);
  if (walSize !== null && shm !== null) return direct(absolute, header);
  return privateCopy(absolute, walSize !== null && walSize > 0 ? ['-wal'] : [], lockTimeoutMs);
}

function direct(file: string, header: SqliteHeader | HeaderProblem | null): ReadPlan {
  return { file, copy: false, header, dispose() {} };
}

/** Lets SQLite roll back a hot journal: its first read on a writable connection does. */
function rollBackInPlace(absolute: string, lockTimeoutMs: number): void {
  const db = openConnection(absolute, { lockTimeoutMs });
  try {
    db.pragma('schema_version', { simple: true });
  } finally {
    db.close();
  }
}

/** What identifies a file's content for "did it change while it was copied". */
function fingerprintFiles(files: string[]): string {
  return files
    .map((f) => {
      try {
        const s = fs.statSync(f);
        return `${s.ino}:${s.size}:${s.mtimeMs}`;
      } catch {
        return '-';
      }
    })
    .join('|');
}

/**
 * Copies the document and its `companions` (`-journal`, `-wal`) into a private temp file with
 * plain reads, lets SQLite recover the copy (roll back the journal or replay the WAL) and turns
 * it into rollback-journal mode, so the copy is a self-contained file at the document's last
 * committed state.
 */
function privateCopy(absolute: string, companions: string[], lockTimeoutMs: number): ReadPlan {
  // Loaded here, not at the top: a document read in place (nearly all) needs neither.
  const { removeDocumentFiles, tempDocumentPath } = require('./temp-files') as typeof TempFiles;
  const { privateCopyFailure } = require('./file-system-failure') as typeof FileSystemFailure;
  const sources = [absolute, ...companions.map((s) => absolute + s)];
  for (let attempt = 0; attempt < 3; attempt++) {
    const copy = tempDocumentPath('snapshot');
    try {
      const before = fingerprintFiles(sources);
      fs.copyFileSync(absolute, copy);
      for (const suffix of companions) fs.copyFileSync(absolute + suffix, copy + suffix);
      if (fingerprintFiles(sources) !== before) {
        removeDocumentFiles(copy);
        continue;
      }
      const db = openConnection(copy, { lockTimeoutMs });
      try {
        db.pragma('journal_mode = DELETE');
      } finally {
        db.close();
      }
      return { file: copy, copy: true, header: readSqliteHeader(copy, fs.statSync(copy).size), dispose: () => removeDocumentFiles(copy) };
    } catch (error) {
      removeDocumentFiles(copy);
      if (error instanceof FieldbookError) {
        throw new FieldbookError(error.code, error.message.split(copy).join(absolute), { cause: error.cause ?? error, details: error.details });
      }
      throw privateCopyFailure(error, copy, absolute);
    }
  }
  throw new FieldbookError('LOCKED', `${absolute} keeps being changed by another program; try again when it has finished`);
}
