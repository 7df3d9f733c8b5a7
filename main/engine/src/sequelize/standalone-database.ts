import fs = require('node:fs');
import path = require('node:path');
import BetterSqlite3 from 'better-sqlite3';
import { QueuedDatabase, type Attempt, type Callback, type Operation } from './queued-database';
import { runStatement } from './run-statement';
import { asSqlite3Error, cantOpen, sqlite3Error } from './sqlite3-errors';
import { fromFirstToken } from './statement-head';
import { tokenizeSql } from '../sqlite/sql-tokens';

/** The `sqlite3` package's open flags (its values, which are SQLite's). */
export const OPEN_FLAGS = {
  OPEN_READONLY: 0x1,
  OPEN_READWRITE: 0x2,
  OPEN_CREATE: 0x4,
  OPEN_FULLMUTEX: 0x10000,
  OPEN_URI: 0x40,
  OPEN_SHAREDCACHE: 0x20000,
  OPEN_PRIVATECACHE: 0x40000,
} as const;

const DEFAULT_MODE = OPEN_FLAGS.OPEN_READWRITE | OPEN_FLAGS.OPEN_CREATE | OPEN_FLAGS.OPEN_FULLMUTEX;
// Tested on the statement from its first token (fromFirstToken): SQLite skips whitespace and comments before it.
const BEGIN = /^BEGIN\b/i;
const COMMIT = /^(COMMIT|END)\b/i;

/** Opens `filename` as sqlite3's `new Database(filename, mode)` would. @throws the open's error, in sqlite3's form */
function openFile(filename: string, mode: number): BetterSqlite3.Database {
  const memory = filename === ':memory:' || filename === '';
  const readonly = !memory && (mode & OPEN_FLAGS.OPEN_READWRITE) === 0;
  if (!memory && !fs.existsSync(path.dirname(path.resolve(filename)))) throw cantOpen();
  let db: BetterSqlite3.Database;
  try {
    db = new BetterSqlite3(filename, { readonly, fileMustExist: readonly || (mode & OPEN_FLAGS.OPEN_CREATE) === 0, timeout: 0 });
  } catch (error) {
    throw (error as { code?: string }).code === 'SQLITE_CANTOPEN' ? cantOpen() : asSqlite3Error(error);
  }
  // SQLite's default, which the sqlite3 package keeps; better-sqlite3's build turns them on.
  // Sequelize turns them on itself unless told `foreignKeys: false`.
  db.pragma('foreign_keys = OFF');
  return db;
}

/**
 * sqlite3's `Database` as its own better-sqlite3 connection, as the `sqlite3` package gives each
 * object its own: Sequelize opens one per transaction on a file (plus one for everything else),
 * so an outside read sees the last committed data at once, and an outside write or a second
 * transaction meets SQLite's locks. Its busy timeout is 0, so SQLite never blocks the event loop:
 * a busy statement is tried again later (QueuedDatabase), like sqlite3's 1 s busy handler.
 */
export class StandaloneDatabase extends QueuedDatabase {
  readonly filename: string;
  readonly mode: number;
  open = false;
  private db: BetterSqlite3.Database | null = null;
  private failure: unknown = null;
  /** The open transaction has read (holds a read lock) / has written or locked (holds a write lock). */
  private hasRead = false;
  private hasWritten = false;

  constructor(filename: string, busyTimeoutMs: number, mode?: number | Callback, callback?: Callback) {
    super(busyTimeoutMs);
    if (typeof mode === 'function') [callback, mode] = [mode, undefined];
    this.filename = filename;
    this.mode = mode ?? DEFAULT_MODE;
    try {
      this.db = openFile(filename, this.mode);
      this.open = true;
    } catch (error) {
      this.failure = error;
    }
    const failure = this.failure instanceof Error ? this.failure : null;
    if (callback) queueMicrotask(() => callback.call(this, failure));
  }

  protected override attempt(op: Operation): Attempt {
    const db = this.db;
    // Closing what never opened or is closed already is done (Sequelize closes every object it made).
    if (db === null) return op.method === 'close' ? { done: null } : { error: this.failure ?? sqlite3Error('SQLITE_MISUSE', 'Database is closed') };
    if (op.method === 'close') {
      db.close();
      this.db = null;
      this.open = false;
      return { done: null };
    }
    try {
      if (op.method === 'exec') {
        db.exec(op.sql);
        this.noteTransaction(db, op.sql, false);
        return { done: null };
      }
      const done = runStatement(db, op.method, op.sql, op.params);
      this.noteTransaction(db, op.sql, !done.readonly);
      return { done };
    } catch (error) {
      const failure = asSqlite3Error(error);
      if ((failure as { code?: string }).code === 'SQLITE_BUSY') {
        // SQLite calls no busy handler for a transaction that holds a read lock and wants to write.
        const deadlock = db.inTransaction && this.hasRead && !this.hasWritten && !COMMIT.test(fromFirstToken(op.sql));
        return { busy: true, retry: !deadlock };
      }
      if (!db.inTransaction) this.hasRead = this.hasWritten = false;
      return { error: failure };
    }
  }

  private noteTransaction(db: BetterSqlite3.Database, sql: string, wrote: boolean): void {
    if (!db.inTransaction) {
      this.hasRead = this.hasWritten = false;
    } else if (BEGIN.test(fromFirstToken(sql))) {
      // BEGIN IMMEDIATE or EXCLUSIVE takes the write lock at once (comments may stand between the words).
      const mode = tokenizeSql(sql)[1];
      this.hasRead = this.hasWritten = mode?.kind === 'word' && (mode.text === 'immediate' || mode.text === 'exclusive');
    } else {
      this.hasRead = true;
      if (wrote) this.hasWritten = true;
    }
  }
}
