import { later } from '../real-timers';
import { busyPollDelay } from './busy-wait';
import { databaseLocked } from './sqlite3-errors';
import { Statement, type Executed, type StatementMethod } from './run-statement';

/** A callback of the `sqlite3` API (`this` is the Statement, or the Database for `exec`/`close`). */
export type Callback = (this: unknown, error: Error | null, result?: unknown) => void;

/** One call waiting its turn on a Database object. */
export interface Operation {
  method: StatementMethod | 'exec' | 'close';
  sql: string;
  params: unknown;
  callback: Callback | undefined;
  /** Busy retries so far (for SQLite's busy-handler schedule). */
  tries: number;
  /** Cancels the timer that ends the busy wait (set at the first busy try; none without a timeout). */
  cancelDeadline?: () => void;
  /** The busy timeout has passed: the next busy try fails. */
  expired?: boolean;
}

/**
 * What one try of an operation gave: a result, an error, or SQLITE_BUSY. A busy operation is
 * tried again later (without blocking the event loop) while `retry` holds and the busy timeout
 * lasts, as SQLite's busy handler would; `retry` is false where SQLite does not call the handler
 * (a transaction that has read and now needs to write, while another connection writes: waiting
 * could only deadlock), so SQLITE_BUSY comes back at once, and Sequelize's retry rules apply.
 */
export type Attempt = { done: Executed | null } | { error: unknown } | { busy: true; retry: boolean };

/** Splits sqlite3's `(sql, [params...], [callback])` arguments. */
function callArguments(rest: unknown[]): { params: unknown; callback: Callback | undefined } {
  const callback = typeof rest.at(-1) === 'function' ? (rest.pop() as Callback) : undefined;
  return { params: rest.length <= 1 ? rest[0] : rest, callback };
}

/**
 * The `sqlite3` package's Database API over better-sqlite3, as far as Sequelize uses it (and a
 * little more): `serialize`, `parallelize`, `run`, `all`, `get`, `exec`, `close`. Every call
 * joins this object's queue and runs, in order, as soon as nothing stops it; better-sqlite3 runs
 * it synchronously and the callback follows in a microtask (never synchronously, never through a
 * timer, so it works under fake timers). Subclasses say where a statement runs (`attempt`).
 */
export abstract class QueuedDatabase {
  private readonly queue: Operation[] = [];
  private cancelRetry: (() => void) | null = null;
  private pumping = false;

  protected constructor(protected readonly busyTimeoutMs: number) {}

  /** sqlite3 runs the statements queued in `fn` one after another; here they always are. */
  serialize(fn?: () => void): this {
    fn?.();
    return this;
  }

  parallelize(fn?: () => void): this {
    fn?.();
    return this;
  }

  run(sql: string, ...rest: unknown[]): this {
    return this.enqueue('run', sql, rest);
  }

  all(sql: string, ...rest: unknown[]): this {
    return this.enqueue('all', sql, rest);
  }

  get(sql: string, ...rest: unknown[]): this {
    return this.enqueue('get', sql, rest);
  }

  exec(sql: string, callback?: Callback): this {
    return this.enqueue('exec', sql, callback ? [callback] : []);
  }

  close(callback?: Callback): void {
    this.enqueue('close', '', callback ? [callback] : []);
  }

  /** One try of `op` (the head of the queue). */
  protected abstract attempt(op: Operation): Attempt;

  /** Tries the head of the queue again now (what it waited for has ended), in a microtask. */
  protected wake(): void {
    if (this.cancelRetry === null) return;
    this.cancelRetry();
    this.cancelRetry = null;
    queueMicrotask(() => this.pump());
  }

  private enqueue(method: Operation['method'], sql: string, rest: unknown[]): this {
    const { params, callback } = callArguments(rest);
    this.queue.push({ method, sql, params, callback, tries: 0 });
    this.pump();
    return this;
  }

  /** Runs queued operations in order until one has to wait. */
  private pump(): void {
    if (this.pumping || this.cancelRetry !== null) return;
    this.pumping = true;
    try {
      while (this.queue.length > 0) {
        const op = this.queue[0]!;
        let outcome: Attempt;
        try {
          outcome = this.attempt(op);
        } catch (error) {
          // e.g. better-sqlite3's TypeError for a connection its owner closed: the caller hears of it.
          outcome = { error };
        }
        if ('busy' in outcome && outcome.retry && this.waitBusy(op)) return;
        this.queue.shift();
        op.cancelDeadline?.();
        this.answer(op, 'busy' in outcome ? databaseLocked() : 'error' in outcome ? outcome.error : null, 'done' in outcome ? outcome.done : null);
      }
    } finally {
      this.pumping = false;
    }
  }

  /**
   * Schedules the next try of a busy `op`, as SQLite's busy handler would sleep; false when the
   * busy timeout has passed. The timeout is one timer set at the first busy try (so it is due
   * before any timer of the same length set after the wait began, as the lock holder's would be).
   */
  private waitBusy(op: Operation): boolean {
    if (op.expired || this.busyTimeoutMs <= 0) return false;
    if (op.cancelDeadline === undefined && Number.isFinite(this.busyTimeoutMs)) {
      op.cancelDeadline = later(this.busyTimeoutMs, () => {
        op.expired = true;
        this.cancelRetry?.();
        this.cancelRetry = null;
        this.pump();
      });
    }
    this.cancelRetry = later(busyPollDelay(op.tries++), () => {
      this.cancelRetry = null;
      this.pump();
    });
    return true;
  }

  private answer(op: Operation, error: unknown, done: Executed | null): void {
    const { callback } = op;
    if (!callback) return;
    const failure = error === null ? null : error instanceof Error ? error : new Error(String(error));
    const statement = done?.statement ?? new Statement();
    if (op.method === 'close' || op.method === 'exec') queueMicrotask(() => callback.call(this, failure));
    else if (op.method === 'get') queueMicrotask(() => callback.call(statement, failure, done?.rows[0]));
    else queueMicrotask(() => callback.call(statement, failure, op.method === 'all' ? (done?.rows ?? []) : undefined));
  }
}
