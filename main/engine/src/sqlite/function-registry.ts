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
  registrations.set(db, []);
  // Shared functions, not closures per connection: every classification opens one.
  db.function = recording('function', db.function as unknown as Register) as unknown as Connection['function'];
  db.aggregate = recording('aggregate', db.aggregate as unknown as Register) as unknown as Connection['aggregate'];
}

type Register = (this: Connection, ...args: unknown[]) => Connection;

/** The wrappers that record, by the method they wrap (the same for every connection of a class). */
const wrappers = new WeakMap<Register, Register>();

/** A method that calls `register` and records the call (kind `kind`) for the connection it is called on. */
function recording(kind: Registration['kind'], register: Register): Register {
  let wrapper = wrappers.get(register);
  if (!wrapper) {
    wrapper = function (this: Connection, ...args: unknown[]): Connection {
      const result = register.apply(this, args);
      registrations.get(this)?.push({ kind, args });
      return result;
    };
    wrappers.set(register, wrapper);
  }
  return wrapper;
}

/** Registers on `to` every function and aggregate recorded on `from` (see recordFunctions). */
export function registerRecordedFunctions(from: Connection, to: Connection): void {
  for (const { kind, args } of registrations.get(from) ?? []) (to[kind] as (...args: unknown[]) => Connection)(...args);
}
