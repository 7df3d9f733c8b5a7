import type { Connection } from '../connection';

/**
 * A `dialectModule` for Sequelize v6's sqlite dialect that runs on an existing better-sqlite3
 * connection, so the process links exactly one SQLite (two copies can corrupt files:
 * sqlite.org howtocorrupt) and Sequelize shares the engine's connection, locks and transaction.
 *
 * Sequelize expects the `sqlite3` package's callback API; this implements the part it uses:
 * `new Database(filename, mode, cb)` (callback called asynchronously), the OPEN_* flags,
 * `serialize(fn)`, `run/all(sql, params, cb)` with `this` a `Statement`-named object holding
 * `lastID` and `changes`, `$`-prefixed named parameters, and `close(cb)`, which leaves the shared
 * connection open (its owner closes it).
 */
export function betterSqlite3Dialect(db: Connection): object {
  class Statement {
    lastID = 0;
    changes = 0;
  }

  type Callback = (this: Statement, error: Error | null, rows?: unknown[]) => void;

  const toBindable = (value: unknown): unknown => {
    if (value === undefined) return null;
    if (typeof value === 'boolean') return value ? 1 : 0;
    if (value instanceof Date) return value.toISOString();
    return value;
  };

  const bindings = (params: unknown): unknown[] => {
    if (params === undefined || params === null) return [];
    if (Array.isArray(params)) return [params.map(toBindable)];
    const named: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(params as Record<string, unknown>)) named[key.replace(/^[$:@]/, '')] = toBindable(value);
    return [named];
  };

  const execute = (method: 'run' | 'all', sql: string, params: unknown, callback?: Callback): void => {
    const statement = new Statement();
    let rows: unknown[] = [];
    let failure: Error | null = null;
    try {
      const prepared = db.prepare(sql);
      const args = bindings(params);
      if (prepared.reader) {
        rows = prepared.all(...args);
        if (method === 'run') {
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
    if (callback) callback.call(statement, failure, method === 'all' ? rows : undefined);
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
      if (typeof params === 'function') execute('run', sql, undefined, params as Callback);
      else execute('run', sql, params, callback);
      return this;
    }

    all(sql: string, params?: unknown, callback?: Callback): this {
      if (typeof params === 'function') execute('all', sql, undefined, params as Callback);
      else execute('all', sql, params, callback);
      return this;
    }

    close(callback?: (error: Error | null) => void): void {
      if (callback) setImmediate(() => callback(null));
    }
  }

  return { Database, OPEN_READONLY: 1, OPEN_READWRITE: 2, OPEN_CREATE: 4 };
}
