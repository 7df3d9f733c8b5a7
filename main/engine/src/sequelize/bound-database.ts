import type BetterSqlite3 from 'better-sqlite3';
import { QueuedDatabase, type Attempt, type Callback, type Operation } from './queued-database';
import { openReadConnection } from './read-connection';
import { runStatement, type StatementMethod } from './run-statement';
import { asSqlite3Error, sqlite3Error } from './sqlite3-errors';
import { tokenizeSql } from '../sqlite/sql-tokens';
import { fromFirstToken } from './statement-head';

type Connection = BetterSqlite3.Database;

/** What the Database objects of one bound adapter share: the connection, and which object holds its transaction. */
export interface SharedConnection {
  readonly db: Connection;
  /** The object whose statement began the open transaction; null when none (or the connection's owner began it). */
  owner: BoundDatabase | null;
  /** Objects whose next statement waits for the owner's transaction to end. */
  readonly waiting: Set<BoundDatabase>;
  /** The read-only connection that serves other objects' reads while a transaction is open; undefined until needed. */
  reader: Connection | null | undefined;
}

// Tested on the statement from its first token (fromFirstToken): SQLite skips whitespace and comments before it.
const BEGIN = /^BEGIN\b/i;
const ENDING = /^(COMMIT|END|ROLLBACK)\b/i;
const ROLLBACK = /^ROLLBACK\b/i;
const COMMIT = /^(COMMIT|END)\b/i;
const TRANSACTION_CONTROL = /^(BEGIN|COMMIT|END|ROLLBACK|SAVEPOINT|RELEASE)\b/i;
const PRAGMA = /^PRAGMA\b/i;

/** Whether `head` (a statement from its first token) is only COMMIT, END or ROLLBACK, with an optional TRANSACTION and `;` (comments anywhere). */
function endsTransaction(head: string): boolean {
  if (!ENDING.test(head)) return false;
  const tokens = tokenizeSql(head).filter((t) => t.text !== ';');
  return tokens.length === 1 || (tokens.length === 2 && tokens[1]!.kind === 'word' && tokens[1]!.text === 'transaction');
}

const noTransaction = (head: string): Error => sqlite3Error('SQLITE_ERROR', `cannot ${ROLLBACK.test(head) ? 'rollback' : 'commit'} - no transaction is active`);

/**
 * sqlite3's `Database` on a connection it shares with its owner (the engine's document
 * connection, or an app's): every statement runs on `db`, inside whatever transaction `db` is in,
 * so a migration's statements join the engine's transaction and an app's edit sees its TEMP
 * triggers and SQL functions. Sequelize makes one object per transaction (with `storage` a file
 * path), which tells transactions apart. While a transaction begun by one object is open:
 * - another object's read runs on a read-only second connection (openReadConnection) and sees the
 *   last committed data at once; where there can be none (`:memory:`), or the statement needs
 *   what only `db` has (a TEMP table, a function registered before recording began), it waits;
 * - another object's write or BEGIN is busy: it waits for the transaction to end without
 *   blocking the event loop and fails with `SQLITE_BUSY: database is locked` after the busy
 *   timeout (Sequelize's TimeoutError, which Sequelize retries up to `retry.max` times);
 * - a BEGIN from the owning object itself (Sequelize with `':memory:'` storage has one object, so
 *   `sequelize.transaction()` started inside another without `{ transaction }` comes from it)
 *   fails at once with SQLITE_BUSY, and the ROLLBACK Sequelize sends for it is answered "no
 *   transaction is active" without reaching SQLite, so the open transaction is left intact;
 * - COMMIT/ROLLBACK from an object that does not own the transaction fail the same way.
 * A BEGIN while `db` is in a transaction nobody here began (the engine's) is refused. Statements
 * run with `db`'s busy timeout set to 0 (restored after), so SQLite never blocks the event loop.
 */
export class BoundDatabase extends QueuedDatabase {
  readonly filename: string;
  readonly mode: number | undefined;
  open = true;
  /** This object's BEGIN was refused: its next ROLLBACK (Sequelize's cleanup) must not reach SQLite. */
  private refusedBegin = false;

  constructor(
    private readonly shared: SharedConnection,
    busyTimeoutMs: number,
    filename: string,
    mode?: number | Callback,
    callback?: Callback,
  ) {
    super(busyTimeoutMs);
    if (typeof mode === 'function') [callback, mode] = [mode, undefined];
    this.filename = filename;
    this.mode = mode;
    if (callback) queueMicrotask(() => callback.call(this, null));
  }

  protected override attempt(op: Operation): Attempt {
    const s = this.shared;
    if (s.owner !== null && !s.db.inTransaction) this.endTransaction();
    if (op.method === 'close') {
      if (s.owner === this) {
        s.db.exec('ROLLBACK');
        this.endTransaction();
      }
      this.open = false;
      return { done: null };
    }
    const head = fromFirstToken(op.sql);
    const begins = BEGIN.test(head);
    const ends = endsTransaction(head);
    if (this.refusedBegin) {
      this.refusedBegin = false;
      if (ends && ROLLBACK.test(head)) return { error: noTransaction(head) };
    }
    if (ends && s.owner !== this && s.db.inTransaction) return { error: noTransaction(head) };
    if (s.owner === this && begins) {
      this.refusedBegin = true;
      return { busy: true, retry: false };
    }
    if (s.owner !== null && s.owner !== this) {
      const read = begins ? null : this.readElsewhere(op);
      if (read) return read;
      s.waiting.add(this);
      return { busy: true, retry: true };
    }
    if (s.owner === null && s.db.inTransaction && begins) {
      this.refusedBegin = true;
      return { error: sqlite3Error('SQLITE_ERROR', 'cannot begin a Sequelize transaction: the connection is in a transaction that Sequelize did not begin') };
    }
    return this.runOnConnection(op);
  }

  private runOnConnection(op: Operation): Attempt {
    const { db } = this.shared;
    const wasInTransaction = db.inTransaction;
    const busyTimeout = db.pragma('busy_timeout', { simple: true }) as number;
    if (busyTimeout !== 0) db.pragma('busy_timeout = 0');
    try {
      if (op.method === 'exec') {
        db.exec(op.sql);
        return { done: null };
      }
      return { done: runStatement(db, op.method as StatementMethod, op.sql, op.params) };
    } catch (error) {
      const failure = asSqlite3Error(error);
      if ((failure as { code?: string }).code === 'SQLITE_BUSY') return { busy: true, retry: !db.inTransaction || COMMIT.test(fromFirstToken(op.sql)) };
      return { error: failure };
    } finally {
      if (busyTimeout !== 0) db.pragma(`busy_timeout = ${busyTimeout}`);
      if (!wasInTransaction && db.inTransaction) this.shared.owner = this;
      if (this.shared.owner === this && !db.inTransaction) this.endTransaction();
    }
  }

  /** Runs a read on the read connection; null when it must run on `db` (then it waits). */
  private readElsewhere(op: Operation): Attempt | null {
    const head = fromFirstToken(op.sql);
    if (op.method === 'exec' || TRANSACTION_CONTROL.test(head)) return null;
    // Pragmas that read or set the connection's own state belong to `db`; schema pragmas (`table_info(t)`) read the file.
    if (PRAGMA.test(head) && (!op.sql.includes('(') || op.sql.includes('='))) return null;
    const s = this.shared;
    if (s.reader === undefined) s.reader = openReadConnection(s.db);
    if (s.reader === null) return null;
    let prepared: BetterSqlite3.Statement;
    try {
      prepared = s.reader.prepare(op.sql);
    } catch {
      return null;
    }
    if (!prepared.readonly) return null;
    try {
      return { done: runStatement(s.reader, op.method as StatementMethod, op.sql, op.params, prepared) };
    } catch (error) {
      const failure = asSqlite3Error(error);
      return (failure as { code?: string }).code === 'SQLITE_BUSY' ? { busy: true, retry: true } : { error: failure };
    }
  }

  /** The owner's transaction ended: close the read connection and let the waiting objects try again. */
  private endTransaction(): void {
    const s = this.shared;
    s.owner = null;
    s.reader?.close();
    s.reader = undefined;
    for (const waiting of s.waiting) waiting.wake();
    s.waiting.clear();
  }
}
