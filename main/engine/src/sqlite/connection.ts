import fs = require('node:fs');
import Database from 'better-sqlite3';
import { FieldbookError, describeCause } from '../errors';
import type * as FileSystemFailure from './file-system-failure';
import { RecordingDatabase } from './function-registry';
import { sqliteAddon } from './native-addon';

/** A better-sqlite3 connection to a document, as the engine opens it (openConnection). */
export type Connection = Database.Database;

/** Options of openConnection. */
export interface OpenOptions {
  /** Open without write access (default false). */
  readonly?: boolean;
  /** How long to wait for another connection's lock before failing with LOCKED (ms, default 3000). */
  lockTimeoutMs?: number;
  /** The file's stat, when the caller already has it (saves a system call on hot paths). */
  stat?: fs.Stats;
}

/**
 * Files this process has a connection to, by device and inode. While a file is open here, its
 * bytes must not be read with fs (a close() on any descriptor of the file drops SQLite's POSIX
 * locks on it), so classification falls back to PRAGMAs for those. This is a safety registry of
 * the process, like SQLite's own inode list; it holds no configuration.
 */
const openFiles = new Map<string, number>();

function fileKey(stat: fs.Stats): string {
  return `${stat.dev}:${stat.ino}`;
}

/**
 * Declares that another thread of this process has the file open (the registry is per thread):
 * from now on this thread reads it only through SQLite. Worker threads that work on documents
 * the main thread has open call this first.
 */
export function declareOpenElsewhereInProcess(filePath: string): void {
  try {
    const key = fileKey(fs.statSync(filePath));
    openFiles.set(key, (openFiles.get(key) ?? 0) + 1);
  } catch {
    // A missing file is reported by whatever opens it next.
  }
}

/** True when this thread has a connection to the file (or was told another thread has: declareOpenElsewhereInProcess). */
export function isOpenInThisProcess(stat: fs.Stats): boolean {
  return (openFiles.get(fileKey(stat)) ?? 0) > 0;
}

/**
 * Opens an existing document with the defences sqlite.org recommends for files from elsewhere:
 * `trusted_schema=OFF` (schema triggers and views cannot call app functions or unsafe virtual
 * tables), `cell_size_check=ON`, no memory-mapped I/O. Foreign keys are enforced on
 * writable connections.
 * @throws FieldbookError NOT_FOUND, NOT_SQLITE, DAMAGED, LOCKED, READ_ONLY
 */
export function openConnection(filePath: string, options: OpenOptions = {}): Connection {
  let db: Connection;
  try {
    db = new EngineConnection(filePath, {
      readonly: options.readonly ?? false,
      fileMustExist: true,
      timeout: options.lockTimeoutMs ?? 3000,
      ...nativeBinding(),
    });
  } catch (error) {
    throw sqliteFailure(error, filePath, 'open');
  }
  try {
    // One exec: these run on every open, including the cheap classification path.
    db.exec(`PRAGMA trusted_schema = OFF; PRAGMA cell_size_check = ON; PRAGMA mmap_size = 0;${options.readonly ? '' : ' PRAGMA foreign_keys = ON;'}`);
  } catch (error) {
    db.close();
    throw sqliteFailure(error, filePath, 'open');
  }
  track(db, filePath, options.stat);
  return db;
}

/** Creates a new, empty database file (the caller makes sure nothing exists at the path). */
export function createConnection(filePath: string): Connection {
  let db: Connection;
  try {
    db = new EngineConnection(filePath, nativeBinding());
  } catch (error) {
    throw sqliteFailure(error, filePath, 'create');
  }
  db.pragma('trusted_schema = OFF');
  db.pragma('foreign_keys = ON');
  track(db, filePath);
  return db;
}

/** better-sqlite3's option giving it its addon (sqliteAddon), when the engine has it; its typings know only a path. */
function nativeBinding(): Database.Options {
  const addon = sqliteAddon();
  return addon === null ? {} : ({ nativeBinding: addon } as unknown as Database.Options);
}

/** The registry key of each open engine connection (closing it releases the key once). */
const keys = new WeakMap<Connection, string>();

/**
 * The engine's connections: they record their SQL functions (RecordingDatabase) and leave the
 * registry of open files when closed, in their class (every classification opens one).
 */
class EngineConnection extends RecordingDatabase {
  override close(): this {
    const key = keys.get(this);
    if (key !== undefined) {
      keys.delete(this);
      const left = (openFiles.get(key) ?? 1) - 1;
      if (left > 0) openFiles.set(key, left);
      else openFiles.delete(key);
    }
    return super.close();
  }
}

/** Registers an open connection in the registry of open files. */
function track(db: Connection, filePath: string, known?: fs.Stats): void {
  let key: string;
  try {
    key = fileKey(known ?? fs.statSync(filePath));
  } catch {
    return;
  }
  openFiles.set(key, (openFiles.get(key) ?? 0) + 1);
  keys.set(db, key);
}

/**
 * Maps an error from better-sqlite3 to a FieldbookError; other errors are returned unchanged.
 * DAMAGED only for SQLITE_CORRUPT (and NOT_SQLITE for SQLITE_NOTADB); read-only, full-disk,
 * cannot-open and I/O errors are explained by fileSystemFailure (READ_ONLY, NO_SPACE,
 * NOT_FOUND, IO_ERROR), since a failed write says nothing about the file's health.
 */
export function sqliteFailure(error: unknown, filePath: string, doing: string): unknown {
  if (error instanceof FieldbookError) return error;
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') return error;
  const why = describeCause(error);
  if (code === 'SQLITE_NOTADB') return new FieldbookError('NOT_SQLITE', `${filePath} is not an SQLite database`, { cause: error });
  if (code.startsWith('SQLITE_CORRUPT')) return new FieldbookError('DAMAGED', `${filePath} is damaged (${why})`, { cause: error });
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
    return new FieldbookError('LOCKED', `${filePath} is locked by another program or window; try again when it has finished`, { cause: error });
  }
  if (code.startsWith('SQLITE_READONLY')) return new FieldbookError('READ_ONLY', `${filePath} cannot be written (${why})`, { cause: error });
  // Loaded on a failure only: an open that works never needs it.
  if (code.startsWith('SQLITE_')) return (require('./file-system-failure') as typeof FileSystemFailure).fileSystemFailure(error, filePath, doing);
  return error;
}
