import type Database from 'better-sqlite3';

type Connection = Database.Database;

/**
 * What a callback of the `sqlite3` package gets as `this`: Sequelize checks that its constructor
 * is named `Statement` and reads `lastID` and `changes` after an INSERT.
 */
export class Statement {
  lastID = 0;
  changes = 0;
}

/** The sqlite3 methods that run one statement. */
export type StatementMethod = 'run' | 'all' | 'get';

/** One statement's outcome: the callback's `this`, its rows, and whether it could write. */
export interface Executed {
  statement: Statement;
  rows: unknown[];
  readonly: boolean;
}

/**
 * A value as the `sqlite3` package binds it: booleans as 1/0, `undefined` as NULL, integral
 * numbers as 64-bit integers (better-sqlite3 binds every JS number as a double, so `42` would be
 * stored as REAL in an untyped column and as `'42.0'` in a TEXT column), and Dates as ISO text
 * (sqlite3 binds a Date as its milliseconds; Sequelize itself binds dates as text).
 */
function bindable(value: unknown): unknown {
  if (value === undefined) return null;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'number' && Number.isSafeInteger(value) && !Object.is(value, -0)) return BigInt(value);
  return value;
}

/** sqlite3's parameters (an array, or an object keyed `$name`, `:name` or `@name`) as better-sqlite3 takes them. */
function bindings(params: unknown): unknown[] {
  if (params === undefined || params === null) return [];
  if (Array.isArray(params)) return params.length === 0 ? [] : [params.map(bindable)];
  if (typeof params !== 'object') return [bindable(params)];
  // No prototype: a parameter named `__proto__` is a key like any other (better-sqlite3 takes such an object).
  const named = Object.create(null) as Record<string, unknown>;
  for (const [key, value] of Object.entries(params as Record<string, unknown>)) named[key.replace(/^[$:@]/, '')] = bindable(value);
  return Object.keys(named).length === 0 ? [] : [named];
}

/**
 * Runs one statement synchronously as sqlite3's `run`/`all`/`get` would: `run` sets `lastID`
 * and `changes` (also for a statement that returns rows, e.g. `INSERT ... RETURNING`), `all` and
 * `get` return rows (none for a statement that returns no data, which still runs).
 * @throws SqliteError from better-sqlite3 (and RangeError/TypeError for unusable SQL or values)
 */
export function runStatement(db: Connection, method: StatementMethod, sql: string, params: unknown, prepared?: Database.Statement): Executed {
  const statement = new Statement();
  const query = prepared ?? db.prepare(sql);
  const args = bindings(params);
  let rows: unknown[] = [];
  if (query.reader) {
    rows = query.all(...args);
    if (method === 'run') {
      const info = db.prepare('SELECT changes() AS changes, last_insert_rowid() AS id').get() as { changes: number; id: number };
      statement.changes = info.changes;
      statement.lastID = info.id;
    }
  } else {
    const info = query.run(...args);
    statement.changes = info.changes;
    statement.lastID = Number(info.lastInsertRowid);
  }
  return { statement, rows, readonly: query.readonly };
}
