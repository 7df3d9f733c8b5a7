import BetterSqlite3 from 'better-sqlite3';
import { registerRecordedFunctions } from '../sqlite/function-registry';

type Connection = BetterSqlite3.Database;

/** The connection settings a reader takes from the connection it reads for (the engine's hardening among them). */
const COPIED_PRAGMAS = ['trusted_schema', 'cell_size_check', 'mmap_size', 'recursive_triggers'] as const;

/**
 * A read-only connection to the file `db` has open, to read the last committed data while `db`
 * is inside a transaction: busy timeout 0 (it never blocks the event loop), `db`'s hardening
 * pragmas (`trusted_schema`, `cell_size_check`, `mmap_size`, ...), and the SQL functions
 * recorded on `db` (recordFunctions). Null where there can be no second connection: an
 * in-memory or temporary database, or a file that cannot be opened again.
 */
export function openReadConnection(db: Connection): Connection | null {
  if (db.memory || db.name === '' || db.name === ':memory:') return null;
  let reader: Connection;
  try {
    reader = new BetterSqlite3(db.name, { readonly: true, fileMustExist: true, timeout: 0 });
  } catch {
    return null;
  }
  try {
    for (const pragma of COPIED_PRAGMAS) {
      const value = db.pragma(pragma, { simple: true });
      if (value !== undefined) reader.pragma(`${pragma} = ${Number(value)}`);
    }
    registerRecordedFunctions(db, reader);
    return reader;
  } catch {
    reader.close();
    return null;
  }
}
