import BetterSqlite3 from 'better-sqlite3';
import type { Connection } from '../sqlite/connection';

/** Options of betterSqlite3Dialect. */
export interface BetterSqlite3DialectOptions {
  /** How long a statement may wait for another transaction on the connection (ms, default 5000; Infinity: no limit). */
  transactionWaitMs?: number;
}

type Callback = (this: object, error: Error | null, rows?: unknown[]) => void;

interface Pending {
  source: object;
  method: 'run' | 'all';
  sql: string;
  params: unknown;
  callback: Callback | undefined;
  begins: boolean;
  timer?: NodeJS.Timeout;
}

const BEGIN = /^\s*BEGIN\b/i;
const PLAIN_ROLLBACK = /^\s*ROLLBACK(\s+TRANSACTION)?\s*;?\s*$/i;

/**
 * A `dialectModule` for Sequelize v6's sqlite dialect that runs on an existing better-sqlite3
 * connection, so the process links exactly one SQLite (two copies can corrupt files:
 * sqlite.org howtocorrupt) and Sequelize shares the engine's connection, locks and transaction.
 *
 * Sequelize expects the `sqlite3` package's callback API; this implements the part it uses:
 * `new Database(filename, mode, cb)` (callback called asynchronously), the OPEN_* flags,
 * `serialize(fn)`, `run/all(sql, params, cb)` with `this` a `Statement`-named object holding
 * `lastID` and `changes`, `$`-prefixed named parameters, and `close(cb)`, which leaves the shared
 * connection open (its owner closes it). `filename` and `mode` are ignored: every `Database`
 * object runs on `db`.
 *
 * Binding: booleans as 1/0, Dates as ISO text, `undefined` as NULL, and integral numbers as
 * 64-bit integers. (better-sqlite3 binds every JS number as a double, so `42` would be stored as
 * REAL in an untyped column and as the text `'42.0'` in a TEXT column; `sqlite3` binds it as an
 * integer.)
 *
 * Transactions. Sequelize gives each transaction its own connection and assumes statements of
 * different transactions cannot meet; here they all meet on `db`. Left alone, a second
 * `sequelize.transaction()` started while one is open fails its BEGIN, and Sequelize then sends
 * ROLLBACK, which ends the FIRST transaction; that one's later writes are committed one by one
 * and its COMMIT fails. So while a transaction begun through this adapter is open:
 * - a BEGIN waits until it ends (COMMIT, ROLLBACK, or SQLite ending it after an error);
 * - statements from other `Database` objects wait too. Sequelize creates one object per
 *   transaction only when its `storage` is not `':memory:'`; with `':memory:'` it has a single
 *   object, so a statement sent without `{ transaction }` cannot be told apart and runs inside
 *   whichever transaction is open.
 * A statement that waits longer than `transactionWaitMs` fails with `SQLITE_BUSY` (Sequelize's
 * TimeoutError), e.g. a `sequelize.transaction()` started inside another one without
 * `{ transaction: outer }`. A BEGIN that is refused (timed out, or the connection is already in
 * a transaction this adapter did not begin) also swallows the ROLLBACK Sequelize sends for it
 * right after, so the transaction that is open is left intact.
 */
export function betterSqlite3Dialect(db: Connection, options: BetterSqlite3DialectOptions = {}): object {
  const waitMs = options.transactionWaitMs ?? 5000;

  class Statement {
    lastID = 0;
    changes = 0;
  }

  const toBindable = (value: unknown): unknown => {
    if (value === undefined) return null;
    if (typeof value === 'boolean') return value ? 1 : 0;
    if (value instanceof Date) return value.toISOString();
    if (typeof value === 'number' && Number.isSafeInteger(value) && !Object.is(value, -0)) return BigInt(value);
    return value;
  };

  const bindings = (params: unknown): unknown[] => {
    if (params === undefined || params === null) return [];
    if (Array.isArray(params)) return [params.map(toBindable)];
    const named: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(params as Record<string, unknown>)) named[key.replace(/^[$:@]/, '')] = toBindable(value);
    return [named];
  };

  /** The `Database` object whose statement opened the current transaction, if one did. */
  let owner: object | null = null;
  const waiting: Pending[] = [];
  /** Refused BEGINs whose ROLLBACK (sent by Sequelize in the same tick) must not reach SQLite. */
  let refusedBegins = 0;

  const answer = (callback: Callback | undefined, statement: Statement, error: Error | null, rows?: unknown[]): void => {
    if (callback) callback.call(statement, error, rows);
  };

  const refuse = (pending: Pending, error: Error): void => {
    if (pending.begins) {
      if (refusedBegins++ === 0)
        setImmediate(() => {
          refusedBegins = 0;
        });
    }
    answer(pending.callback, new Statement(), error);
  };

  const execute = (pending: Pending): void => {
    const statement = new Statement();
    let rows: unknown[] = [];
    let failure: Error | null = null;
    const wasInTransaction = db.inTransaction;
    try {
      const prepared = db.prepare(pending.sql);
      const args = bindings(pending.params);
      if (prepared.reader) {
        rows = prepared.all(...args);
        if (pending.method === 'run') {
          const info = db.prepare('SELECT changes() AS changes, last_insert_rowid() AS id').get() as { changes: number; id: number };
          statement.changes = info.changes;
          statement.lastID = info.id;
        }
      } else {
        const info = prepared.run(...args);
        statement.changes = info.changes;
        statement.lastID = Number(info.lastInsertRowid);
      }
    } catch (error) {
      failure = error as Error;
    }
    const ended = wasInTransaction && !db.inTransaction;
    if (!wasInTransaction && db.inTransaction) owner = pending.source;
    if (ended) owner = null;
    answer(pending.callback, statement, failure, pending.method === 'all' ? rows : undefined);
    if (ended) drain();
  };

  const mustWait = (pending: Pending): boolean => owner !== null && (pending.begins || pending.source !== owner);

  /** Runs, refuses or queues one statement (the single entry point for run/all). */
  const dispatch = (pending: Pending): void => {
    releaseIfEndedElsewhere();
    if (refusedBegins > 0 && PLAIN_ROLLBACK.test(pending.sql)) {
      refusedBegins--;
      answer(pending.callback, new Statement(), null, []);
      return;
    }
    if (pending.begins && owner === null && db.inTransaction) {
      refuse(pending, new BetterSqlite3.SqliteError('cannot begin a Sequelize transaction: the connection is in a transaction that Sequelize did not begin', 'SQLITE_ERROR'));
      return;
    }
    if (!mustWait(pending)) {
      execute(pending);
      return;
    }
    if (Number.isFinite(waitMs)) {
      pending.timer = setTimeout(() => {
        releaseIfEndedElsewhere();
        const index = waiting.indexOf(pending);
        if (index < 0) return;
        waiting.splice(index, 1);
        refuse(
          pending,
          new BetterSqlite3.SqliteError(
            `another transaction on this document stayed open for more than ${waitMs} ms (a transaction started inside another needs { transaction: outer })`,
            'SQLITE_BUSY',
          ),
        );
      }, waitMs);
    }
    waiting.push(pending);
  };

  /** A transaction ended by SQL that did not pass through here (e.g. `db.exec('COMMIT')`) releases too. */
  function releaseIfEndedElsewhere(): void {
    if (owner === null || db.inTransaction) return;
    owner = null;
    drain();
  }

  /** After a transaction ends: runs the waiting statements, in order, until one begins another. */
  function drain(): void {
    for (;;) {
      const index = waiting.findIndex((pending) => !mustWait(pending));
      if (index < 0) return;
      const [pending] = waiting.splice(index, 1);
      clearTimeout(pending!.timer);
      dispatch(pending!);
    }
  }

  const submit = (source: object, method: 'run' | 'all', sql: string, params: unknown, callback?: Callback): void => {
    if (typeof params === 'function') dispatch({ source, method, sql, params: undefined, callback: params as Callback, begins: BEGIN.test(sql) });
    else dispatch({ source, method, sql, params, callback, begins: BEGIN.test(sql) });
  };

  class Database {
    readonly filename: string;

    constructor(filename: string, _mode?: number, callback?: (error: Error | null) => void) {
      this.filename = filename;
      if (callback) setImmediate(() => callback(null));
    }

    serialize(fn?: () => void): void {
      fn?.();
    }

    run(sql: string, params?: unknown, callback?: Callback): this {
      submit(this, 'run', sql, params, callback);
      return this;
    }

    all(sql: string, params?: unknown, callback?: Callback): this {
      submit(this, 'all', sql, params, callback);
      return this;
    }

    close(callback?: (error: Error | null) => void): void {
      if (callback) setImmediate(() => callback(null));
    }
  }

  return { Database, OPEN_READONLY: 1, OPEN_READWRITE: 2, OPEN_CREATE: 4 };
}
