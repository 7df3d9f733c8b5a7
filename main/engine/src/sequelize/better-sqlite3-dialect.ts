import type BetterSqlite3 from 'better-sqlite3';
import { recordFunctions } from '../sqlite/function-registry';
import { BoundDatabase, type SharedConnection } from './bound-database';
import type { Callback } from './queued-database';
import { OPEN_FLAGS, StandaloneDatabase } from './standalone-database';

/** Options of betterSqlite3Dialect. */
export interface BetterSqlite3DialectOptions {
  /**
   * How long a statement that meets another connection's lock (or, on a shared connection,
   * another Sequelize transaction) keeps trying before it fails with `SQLITE_BUSY: database is
   * locked`, in ms; the event loop runs meanwhile (default 1000, as the `sqlite3` package;
   * `Infinity`: no limit).
   */
  busyTimeoutMs?: number;
  /** The earlier name of `busyTimeoutMs`, still accepted. */
  transactionWaitMs?: number;
}

/** What Sequelize's sqlite dialect takes as `dialectModule`: the part of the `sqlite3` package it uses. */
export interface Sqlite3Module {
  Database: new (filename: string, mode?: number | Callback, callback?: Callback) => object;
  OPEN_READONLY: number;
  OPEN_READWRITE: number;
  OPEN_CREATE: number;
  OPEN_FULLMUTEX: number;
  OPEN_URI: number;
  OPEN_SHAREDCACHE: number;
  OPEN_PRIVATECACHE: number;
}

const isConnection = (value: unknown): value is BetterSqlite3.Database => typeof (value as { prepare?: unknown } | null)?.prepare === 'function';

/**
 * A `dialectModule` for Sequelize v6's sqlite dialect on better-sqlite3, so the process links
 * one SQLite (two copies can corrupt files: sqlite.org howtocorrupt; never install `sqlite3`).
 * It is the `sqlite3` package's API as Sequelize uses it: `new Database(filename, mode, cb)`, the
 * OPEN_* flags, `serialize`, `run/all/get(sql, params, cb)` with `this` a `Statement` holding
 * `lastID` and `changes`, `$`-prefixed named parameters, `exec`, `close`; callbacks come in a
 * microtask, never through a timer, so it works under fake timers. Errors have sqlite3's message
 * form (`SQLITE_BUSY: database is locked`, `SQLITE_CANTOPEN: unable to open database file`) and
 * better-sqlite3's extended `code` (`SQLITE_CONSTRAINT_UNIQUE`). Binding: booleans as 1/0,
 * integral numbers as 64-bit integers, Dates as ISO text, `undefined` as NULL.
 *
 * - `betterSqlite3Dialect([options])`: each `Database` is a better-sqlite3 connection of its own,
 *   as in the `sqlite3` package. Sequelize opens one per transaction on a file, so reads outside a
 *   transaction see the last committed data at once, and writes outside it or a second
 *   transaction meet SQLite's locks: SQLITE_BUSY after the busy timeout, which Sequelize retries.
 *   Connections have busy timeout 0 and wait by trying again later, so the event loop never
 *   blocks. Foreign keys start off (SQLite's default; Sequelize turns them on unless
 *   `foreignKeys: false`).
 * - `betterSqlite3Dialect(db, [options])`: every `Database` runs on `db`, an open better-sqlite3
 *   connection whose owner closes it (closing Sequelize leaves it open): one connection per
 *   document, with its transaction, TEMP objects and SQL functions (BoundDatabase has the rules
 *   while a Sequelize transaction is open; reads outside it use a second, read-only connection).
 *   Give `storage` the file's path so Sequelize makes one `Database` per transaction.
 */
export function betterSqlite3Dialect(options?: BetterSqlite3DialectOptions): Sqlite3Module;
export function betterSqlite3Dialect(db: BetterSqlite3.Database, options?: BetterSqlite3DialectOptions): Sqlite3Module;
export function betterSqlite3Dialect(first?: BetterSqlite3.Database | BetterSqlite3DialectOptions, second?: BetterSqlite3DialectOptions): Sqlite3Module {
  const db = isConnection(first) ? first : null;
  const options = (db ? second : (first as BetterSqlite3DialectOptions | undefined)) ?? {};
  const busyTimeoutMs = options.busyTimeoutMs ?? options.transactionWaitMs ?? 1000;
  if (!(busyTimeoutMs >= 0)) throw new TypeError(`betterSqlite3Dialect: busyTimeoutMs must be a number >= 0, not ${String(busyTimeoutMs)}`);

  if (db === null) {
    class Database extends StandaloneDatabase {
      constructor(filename: string, mode?: number | Callback, callback?: Callback) {
        super(filename, busyTimeoutMs, mode, callback);
      }
    }
    return { Database, ...OPEN_FLAGS };
  }

  recordFunctions(db);
  const shared: SharedConnection = { db, owner: null, waiting: new Set(), reader: undefined };
  class Database extends BoundDatabase {
    constructor(filename: string, mode?: number | Callback, callback?: Callback) {
      super(shared, busyTimeoutMs, filename, mode, callback);
    }
  }
  return { Database, ...OPEN_FLAGS };
}
