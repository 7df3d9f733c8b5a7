import type { Connection } from '../sqlite/connection';
import { quoteIdent } from '../sqlite/sql-tokens';
import { isCompatibility, type Compatibility } from './compatibility';

/**
 * The companion of the version table that carries a document's way back to older apps: one row
 * per applied version with the class its migration declares and the `down` SQL of that step as
 * the app that applied it rendered it. It sits beside the version table, whose layout other
 * tools read, and is named after it (`<versionTable>_way_back`).
 */
export function wayBackTableName(versionTable: string): string {
  return `${versionTable}_way_back`;
}

/** The way-back table's layout (its rows are written by the version storage alone). */
export function wayBackTableSql(table: string): string {
  return `CREATE TABLE ${quoteIdent(table)} (
  version INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  compatibility TEXT CHECK (compatibility IN ('additive', 'readable', 'breaking')),
  down_sql TEXT
)`;
}

/** One row of a document's way-back table, as an older app reads it (down_sql not loaded). */
export interface WayBackRow {
  version: number;
  name: string;
  /** Null when the migration declared no class (or the row holds something else). */
  compatibility: Compatibility | null;
  /** Length of the recorded down SQL in bytes, or null when the step has none. */
  downBytes: number | null;
}

/**
 * The rows of the way-back table for versions above `above`, read by column name so that a
 * newer app's table with more columns reads the same; null when the document has no such
 * table (or one without these columns). The SQL itself is not loaded (see readDownSql).
 */
export function readWayBack(db: Connection, table: string, above: number): WayBackRow[] | null {
  let rows: { version: unknown; name: unknown; compatibility: unknown; downBytes: unknown }[];
  try {
    rows = db
      .prepare(`SELECT version, name, compatibility, length(CAST(down_sql AS BLOB)) AS downBytes FROM ${quoteIdent(table)} WHERE version > ? ORDER BY version`)
      .all(above) as typeof rows;
  } catch (error) {
    if (/no such (table|column)/.test((error as Error).message)) return null;
    throw error;
  }
  return rows.map((r) => ({
    version: Number(r.version),
    name: String(r.name),
    compatibility: isCompatibility(r.compatibility) ? r.compatibility : null,
    downBytes: typeof r.downBytes === 'number' ? r.downBytes : null,
  }));
}

/** The down SQL recorded for `version` (null when none), read as text whatever its storage class. */
export function readDownSql(db: Connection, table: string, version: number): string | null {
  const value = db
    .prepare(`SELECT CAST(down_sql AS TEXT) FROM ${quoteIdent(table)} WHERE version = ?`)
    .pluck()
    .get(version);
  return typeof value === 'string' ? value : null;
}
