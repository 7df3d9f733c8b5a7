import Database from 'better-sqlite3';

type Connection = Database.Database;

/** One `db.function(...)` or `db.aggregate(...)` call, with its arguments. */
interface Registration {
  kind: 'function' | 'aggregate';
  args: unknown[];
}

const registrations = new WeakMap<Connection, Registration[]>();

function record(db: Connection, kind: Registration['kind'], args: unknown[]): void {
  let list = registrations.get(db);
  if (list === undefined) registrations.set(db, (list = []));
  list.push({ kind, args });
}

type Register = (this: Connection, ...args: unknown[]) => Connection;

/**
 * Records the SQL functions and aggregates registered on `db` from now on (calling it again
 * changes nothing; a RecordingDatabase records already), so that `registerRecordedFunctions` can
 * give another connection to the same file the same ones: a second connection that reads for
 * the first must understand the same SQL (an app's `ORDER BY natural_key(name)`). Functions
 * registered before the first call are not known.
 */
export function recordFunctions(db: Connection): void {
  if (db instanceof RecordingDatabase || registrations.has(db)) return;
  registrations.set(db, []);
  db.function = recording('function', db.function as unknown as Register) as unknown as Connection['function'];
  db.aggregate = recording('aggregate', db.aggregate as unknown as Register) as unknown as Connection['aggregate'];
}

/** The wrappers that record, by the method they wrap (the same for every connection of a class). */
const wrappers = new WeakMap<Register, Register>();

/** A method that calls `register` and records the call (kind `kind`) for the connection it is called on. */
function recording(kind: Registration['kind'], register: Register): Register {
  let wrapper = wrappers.get(register);
  if (!wrapper) {
    wrapper = function (this: Connection, ...args: unknown[]): Connection {
      const result = register.apply(this, args);
      record(this, kind, args);
      return result;
    };
    wrappers.set(register, wrapper);
  }
  return wrapper;
}

/**
 * A better-sqlite3 connection that records the SQL functions and aggregates registered on it
 * (see recordFunctions), in its class: the engine's own connections are made of it, and opening
 * one (every classification does) sets no property on the connection. Its methods are the
 * recording wrappers recordFunctions gives other connections.
 */
export class RecordingDatabase extends (Database as unknown as new (filename: string, options?: Database.Options) => Connection) {}
RecordingDatabase.prototype.function = recording('function', Database.prototype.function as unknown as Register) as unknown as Connection['function'];
RecordingDatabase.prototype.aggregate = recording('aggregate', Database.prototype.aggregate as unknown as Register) as unknown as Connection['aggregate'];

/** Registers on `to` every function and aggregate recorded on `from` (see recordFunctions). */
export function registerRecordedFunctions(from: Connection, to: Connection): void {
  for (const { kind, args } of registrations.get(from) ?? []) (to[kind] as (...args: unknown[]) => Connection)(...args);
}
