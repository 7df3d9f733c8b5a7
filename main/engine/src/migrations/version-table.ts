import type { Connection } from '../sqlite/connection';
import { quoteIdent } from '../sqlite/sql-tokens';

/** How a version came to be recorded. */
export type AppliedMethod = 'migrate' | 'create' | 'stamp' | 'adopt';

/** One row of the version table: a migration a document has had applied. */
export interface AppliedMigration {
  version: number;
  name: string;
  checksum: string;
  /** ISO-8601 UTC time. */
  appliedAt: string;
  appVersion: string;
  /** How long the step took (null when the version was created or stamped rather than migrated). */
  durationMs: number | null;
  method: AppliedMethod;
}

/**
 * The version table's layout. It lives in every versioned document and must agree with
 * `PRAGMA user_version` (= its highest version, versions 1..N all present); its rows are
 * written by the version storage (version-storage.ts) alone.
 */
export function versionTableSql(table: string): string {
  return `CREATE TABLE ${quoteIdent(table)} (
  version INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  checksum TEXT NOT NULL,
  applied_at TEXT NOT NULL,
  app_version TEXT NOT NULL,
  duration_ms REAL,
  method TEXT NOT NULL CHECK (method IN ('migrate', 'create', 'stamp', 'adopt'))
)`;
}

/** readVersionTable's query, by version table name (every classification reads the table). */
const readSql = new Map<string, string>();

/** The applied migrations in version order, or null when the document has no version table. @throws SqliteError other than a missing table */
export function readVersionTable(db: Connection, table: string): AppliedMigration[] | null {
  let sql = readSql.get(table);
  if (sql === undefined) {
    sql = `SELECT version, name, checksum, applied_at AS appliedAt, app_version AS appVersion, duration_ms AS durationMs, method FROM ${quoteIdent(table)} ORDER BY version`;
    readSql.set(table, sql);
  }
  let rows: AppliedMigration[];
  try {
    rows = db.prepare(sql).all() as AppliedMigration[];
  } catch (error) {
    if (/no such table/.test((error as Error).message)) return null;
    throw error;
  }
  return rows;
}
