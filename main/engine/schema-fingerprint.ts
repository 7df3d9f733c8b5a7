import { createHash } from 'node:crypto';
import type { Connection } from './connection';
import { normalizeSql } from './sql-tokens';

/** One object of a document's schema as stored in sqlite_schema. */
export interface SchemaObject {
  type: 'table' | 'index' | 'view' | 'trigger';
  name: string;
  tableName: string;
  sql: string;
}

/**
 * The user-visible schema of a document, in creation order: tables, indexes, views and triggers
 * with their SQL. Left out: SQLite's internal objects (`sqlite_*`), automatic indexes (no SQL),
 * virtual-table shadow tables (their layout belongs to the SQLite build) and the engine's own
 * version table.
 */
export function readSchema(db: Connection, versionTable: string): SchemaObject[] {
  const shadow = new Set(
    (db.prepare("SELECT name FROM pragma_table_list WHERE schema = 'main' AND type = 'shadow'").pluck().all() as string[])
      .map((n) => n.toLowerCase()),
  );
  const rows = db.prepare(
    "SELECT type, name, tbl_name AS tableName, sql FROM main.sqlite_schema WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY rowid",
  ).all() as SchemaObject[];
  const own = versionTable.toLowerCase();
  return rows.filter((r) => !shadow.has(r.name.toLowerCase()) && r.name.toLowerCase() !== own && r.tableName.toLowerCase() !== own);
}

/**
 * A stable hash of a schema: insensitive to whitespace, comments, keyword case, identifier quoting
 * and creation order; sensitive to everything SQLite would parse differently (types, constraints,
 * defaults, collations, FK actions, index columns, trigger bodies).
 */
export function fingerprintOf(schema: readonly SchemaObject[]): string {
  const lines = schema.map(canonicalLine).sort();
  return createHash('sha256').update(lines.join('\n')).digest('hex');
}

export function schemaFingerprint(db: Connection, versionTable: string): string {
  return fingerprintOf(readSchema(db, versionTable));
}

function canonicalLine(o: SchemaObject): string {
  return `${o.type} ${o.name.toLowerCase()}: ${normalizeSql(o.sql)}`;
}

/**
 * Human-readable differences between an expected and an actual schema (missing, extra, changed
 * objects), for errors that must say what is wrong rather than that a hash differs.
 */
export function diffSchemas(expected: readonly SchemaObject[], actual: readonly SchemaObject[]): string[] {
  const key = (o: SchemaObject) => `${o.type} ${o.name.toLowerCase()}`;
  const want = new Map(expected.map((o) => [key(o), normalizeSql(o.sql)]));
  const have = new Map(actual.map((o) => [key(o), normalizeSql(o.sql)]));
  const out: string[] = [];
  for (const [k, sql] of want) {
    if (!have.has(k)) out.push(`missing ${k}`);
    else if (have.get(k) !== sql) out.push(`changed ${k}: expected ${sql} but found ${have.get(k)}`);
  }
  for (const k of have.keys()) if (!want.has(k)) out.push(`unexpected ${k}`);
  return out;
}
