/** An error shaped as the `sqlite3` package makes them: `code` plus a message `CODE: text`. */
export interface Sqlite3Error extends Error {
  code: string;
}

/** The primary result code of an extended one: `SQLITE_CONSTRAINT` for `SQLITE_CONSTRAINT_UNIQUE`. */
const primaryCode = (code: string): string => /^SQLITE_[A-Z]+/.exec(code)?.[0] ?? code;

/**
 * Gives an error from better-sqlite3 the message form of the `sqlite3` package, which Sequelize
 * and its users match on: `SQLITE_BUSY: database is locked` (Sequelize retries exactly that
 * message), `SQLITE_CANTOPEN: unable to open database file`. `code` stays better-sqlite3's
 * extended code (`SQLITE_CONSTRAINT_UNIQUE`, which Sequelize maps like `SQLITE_CONSTRAINT`), except
 * that the SQLITE_BUSY family is `SQLITE_BUSY` (Sequelize's TimeoutError). Errors that are not
 * SQLite's (a TypeError for a bad binding) are returned unchanged.
 */
export function asSqlite3Error(error: unknown): unknown {
  const code = (error as { code?: unknown } | null)?.code;
  if (!(error instanceof Error) || typeof code !== 'string' || !code.startsWith('SQLITE_')) return error;
  const primary = primaryCode(code);
  if (!error.message.startsWith(`${primary}: `)) error.message = `${primary}: ${error.message}`;
  if (primary === 'SQLITE_BUSY') (error as Sqlite3Error).code = 'SQLITE_BUSY';
  return error;
}

/** A new error with `code` and the message `CODE: text`. */
export function sqlite3Error(code: string, text: string): Sqlite3Error {
  return Object.assign(new Error(`${primaryCode(code)}: ${text}`), { code });
}

/** What SQLite says when a file cannot be opened (missing with no OPEN_CREATE, or in a missing folder). */
export const cantOpen = (): Sqlite3Error => sqlite3Error('SQLITE_CANTOPEN', 'unable to open database file');

/** What another connection's lock makes a statement fail with once its busy timeout is used up. */
export const databaseLocked = (): Sqlite3Error => sqlite3Error('SQLITE_BUSY', 'database is locked');
