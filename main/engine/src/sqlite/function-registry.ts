import type Database from 'better-sqlite3';

type Connection = Database.Database;

/** One `db.function(...)` or `db.aggregate(...)` call, with its arguments. */
interface Registration {
  kind: 'function' | 'aggregate';
  args: unknown[];
}

const registrations = new WeakMap<Connection, Registration[]>();

/**
 * Records the SQL functions and aggregates registered on `db` from now on (calling it again
 * changes nothing), so that `registerRecordedFunctions` can give another connection to the same
 * file the same ones: a second connection that reads for the first must understand the same SQL
 * (an app's `ORDER BY natural_key(name)`). Functions registered before the first call are not
 * known; the engine records from the moment it opens a connection.
 */
export function recordFunctions(db: Connection): void {
  if (registrations.has(db)) return;
  const list: Registration[] = [];
  registrations.set(db, list);
  for (const kind of ['function', 'aggregate'] as const) {
    const register = (db[kind] as (...args: unknown[]) => Connection).bind(db);
    Object.assign(db, {
      [kind]: (...args: unknown[]) => {
        const result = register(...args);
        list.push({ kind, args });
        return result;
      },
    });
  }
}

/** Registers on `to` every function and aggregate recorded on `from` (see recordFunctions). */
export function registerRecordedFunctions(from: Connection, to: Connection): void {
  for (const { kind, args } of registrations.get(from) ?? []) (to[kind] as (...args: unknown[]) => Connection)(...args);
}
