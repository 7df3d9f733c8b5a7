import type { Connection } from '../sqlite/connection';
import { sha256 } from '../sqlite/hashing';
import { normalizeSql } from '../sqlite/sql-canonical';
import { foldName, isAscii, quoteIdent } from '../sqlite/sql-tokens';
import { versionTableSql } from '../migrations/version-table';
import { wayBackTableName, wayBackTableSql } from '../travel/way-back-table';

/** One object of a document's schema as stored in sqlite_schema. */
export interface SchemaObject {
  type: 'table' | 'index' | 'view' | 'trigger';
  name: string;
  tableName: string;
  sql: string;
}

/**
 * The schema of a document that must match its version's, in creation order: every object in
 * `sqlite_schema` except SQLite's own internal ones (see `isInternalObject`) and the engine's
 * version table and its way-back companion (way-back-table.ts) when each is exactly the table
 * the engine creates. Objects are matched on what
 * they are, never on their name alone: a trigger or view forged with a `sqlite_` name (possible
 * with `PRAGMA writable_schema`), an index or trigger on the version table, a version table of
 * another shape, a table that merely looks like a shadow table: all are part of the result, so
 * a schema carrying code the app did not create never matches a version's.
 */
export function readSchema(db: Connection, versionTable: string): SchemaObject[] {
  const rows = db.prepare('SELECT type, name, tbl_name AS tableName, sql FROM main.sqlite_schema ORDER BY rowid').all() as StoredRow[];
  const tables = new Set(rows.filter((r) => r.type === 'table' && r.sql !== null && !isVirtual(r.sql)).map((r) => foldName(r.name)));
  return schemaOf(db, rows, versionTable, (name) => tables.has(name));
}

type StoredRow = { type: SchemaObject['type']; name: string; tableName: string; sql: string | null };

const isVirtual = (sql: string) => /^\s*create\s+virtual\b/i.test(sql);

/** readSchema's filter over some rows of sqlite_schema; `isTable` says whether a (folded) name is a real, non-virtual table. */
function schemaOf(db: Connection, rows: readonly StoredRow[], versionTable: string, isTable: (folded: string) => boolean): SchemaObject[] {
  const names = versionTableNames(versionTable);
  const tables = { has: isTable };
  let shadow: Set<string> | undefined;
  const schema: SchemaObject[] = [];
  for (const r of rows) {
    if (isInternalObject(r, tables)) continue;
    if (r.type === 'table' && r.sql !== null) {
      if (isOwnTable(names, foldName(r.name), r.sql)) continue;
      shadow ??= new Set((db.prepare("SELECT name FROM pragma_table_list WHERE schema = 'main' AND type = 'shadow'").pluck().all() as string[]).map((n) => foldName(n)));
      if (shadow.has(foldName(r.name))) continue;
    }
    schema.push({ type: r.type, name: r.name, tableName: r.tableName, sql: r.sql ?? '' });
  }
  return schema;
}

/** What schemaOf and forgedObjects compare with for a version table: its and its way-back table's names (folded) and SQL as the engine writes it. */
type VersionTableNames = { own: string; wayBack: string; exactSql: string; exactWayBack: string };

/** By version table name: every classification asks. */
const namesByTable = new Map<string, VersionTableNames>();

function versionTableNames(versionTable: string): VersionTableNames {
  let names = namesByTable.get(versionTable);
  if (names === undefined) {
    const wayBack = wayBackTableName(versionTable);
    names = { own: foldName(versionTable), wayBack: foldName(wayBack), exactSql: versionTableSql(versionTable), exactWayBack: wayBackTableSql(wayBack) };
    namesByTable.set(versionTable, names);
  }
  return names;
}

/** Whether a table (its folded name and stored SQL) is exactly the version table or the way-back table the engine creates. */
function isOwnTable(names: VersionTableNames, name: string, sql: string): boolean {
  // The text the engine wrote, as SQLite stores it: the same table, without tokenizing.
  const exact = name === names.own ? names.exactSql : name === names.wayBack ? names.exactWayBack : null;
  return exact !== null && (sql === exact || normalizedOnce(sql) === normalizedOnce(exact));
}

/**
 * Stored SQL already normalised, by its text: an upgrade fingerprints the schema before it and
 * after every step, and most objects' SQL is the same text each time (and in every document
 * this engine made). Bounded; the same text always normalises the same.
 */
const normalizedStored = new Map<string, string>();

function normalizedOnce(sql: string): string {
  let normalized = normalizedStored.get(sql);
  if (normalized === undefined) {
    if (normalizedStored.size >= 1024) normalizedStored.clear();
    normalized = normalizeSql(sql);
    normalizedStored.set(sql, normalized);
  }
  return normalized;
}

/**
 * `forgedObjects(readSchema(db, versionTable), versionTable)` without reading the whole schema:
 * only the rows that could be forged (a `sqlite_` name, or the version table's name or table)
 * are read, then judged exactly as readSchema and forgedObjects judge them. Cheap enough for
 * every classification.
 *
 * The one judgement that needs another row, "is an autoindex's table a real, non-virtual
 * table", is made by SQLite itself: loading a schema (which this query does first) refuses an
 * index row without SQL unless a real table's UNIQUE or PRIMARY KEY constraint made an index of
 * that very name ("orphan index", SQLITE_CORRUPT), and virtual tables make none. A name that
 * passes isInternalObject's pattern then names that table exactly, so the table's own row need
 * not be read. The argument needs SQLite's case folding (ASCII) to be JavaScript's: rows with
 * other names are judged by reading their tables' rows, as readSchema does.
 */
export function findForgedObjects(db: Connection, versionTable: string): SchemaObject[] {
  const rows = db
    .prepare(
      'SELECT type, name, tbl_name AS tableName, sql FROM main.sqlite_schema ' +
        "WHERE name LIKE 'sqlite\\_%' ESCAPE '\\' OR name = @vt COLLATE NOCASE OR tbl_name = @vt COLLATE NOCASE OR name = @wb COLLATE NOCASE OR tbl_name = @wb COLLATE NOCASE ORDER BY rowid",
    )
    .all({ vt: versionTable, wb: wayBackTableName(versionTable) }) as StoredRow[];
  if (rows.length === 0) return [];
  const autoindexes = rows.filter((r) => r.type === 'index' && r.sql === null);
  const tables = autoindexes.every((r) => isAscii(r.name) && isAscii(r.tableName))
    ? new Set(autoindexes.map((r) => foldName(r.tableName)))
    : realTablesNamed(
        db,
        autoindexes.map((r) => r.tableName),
      );
  return forgedObjects(
    schemaOf(db, rows, versionTable, (name) => tables.has(name)),
    versionTable,
  );
}

/** The folded names among `names` of real, non-virtual tables, matched as SQLite matches names. */
function realTablesNamed(db: Connection, names: readonly string[]): Set<string> {
  const found = new Set<string>();
  const lookUp = db.prepare("SELECT sql FROM main.sqlite_schema WHERE type = 'table' AND name = ? COLLATE NOCASE AND sql IS NOT NULL").pluck();
  for (const name of names) {
    const sql = lookUp.get(name) as string | undefined;
    if (sql !== undefined && !isVirtual(sql)) found.add(foldName(name));
  }
  return found;
}

/**
 * The objects of a schema (as readSchema returns it) that neither a migration nor a user could
 * have made through SQL: a `sqlite_`-named object that is not SQLite's own, and anything that is
 * the version table (or its way-back companion) or hangs on it without being exactly what the engine creates (another
 * shape, a view in its place, an index or a trigger on it). Writing the version table of such a
 * document could run code the app did not create, so every write path refuses it.
 */
export function forgedObjects(schema: readonly SchemaObject[], versionTable: string): SchemaObject[] {
  const { own, wayBack } = versionTableNames(versionTable);
  const isOwn = (folded: string) => folded === own || folded === wayBack;
  return schema.filter((o) => {
    const name = foldName(o.name);
    return name.startsWith('sqlite_') || isOwn(name) || isOwn(foldName(o.tableName));
  });
}

/** Describes objects for an error message, names quoted as SQL would: `trigger "x" on "t", view "sqlite_v"`. */
export function describeObjects(objects: readonly SchemaObject[]): string {
  return objects.map((o) => `${o.type} ${quoteIdent(o.name)}${o.type === 'index' || o.type === 'trigger' ? ` on ${quoteIdent(o.tableName)}` : ''}`).join(', ');
}

/** The stored SQL of SQLite's AUTOINCREMENT counter table. */
const SEQUENCE_TABLE_SQL = 'CREATE TABLE sqlite_sequence(name,seq)';

/** The stored SQL of SQLite's statistics tables (ANALYZE), by name (a Map: a user's table may be named `constructor`). */
const STAT_TABLE_SQL = new Map([
  ['sqlite_stat1', 'CREATE TABLE sqlite_stat1(tbl,idx,stat)'],
  ['sqlite_stat2', 'CREATE TABLE sqlite_stat2(tbl,idx,sampleno,sample)'],
  ['sqlite_stat3', 'CREATE TABLE sqlite_stat3(tbl,idx,neq,nlt,ndlt,sample)'],
  ['sqlite_stat4', 'CREATE TABLE sqlite_stat4(tbl,idx,neq,nlt,ndlt,sample)'],
]);

/**
 * Whether a row of sqlite_schema is one SQLite makes itself: the `sqlite_sequence` table
 * (AUTOINCREMENT), the `sqlite_stat1`..`sqlite_stat4` tables (ANALYZE), each with exactly the SQL
 * SQLite writes, and `sqlite_autoindex_<table>_<N>` indexes (UNIQUE / PRIMARY KEY constraints)
 * with no SQL on a real, non-virtual table. `tables` holds the folded names of those tables.
 * Anything else named `sqlite_*` was forged.
 */
export function isInternalObject(row: { type: string; name: string; tableName: string; sql: string | null }, tables: { has(folded: string): boolean }): boolean {
  const name = foldName(row.name);
  if (row.type === 'table' && row.sql !== null) {
    const own = name === 'sqlite_sequence' ? SEQUENCE_TABLE_SQL : STAT_TABLE_SQL.get(name);
    return own !== undefined && (row.sql === own || normalizedOnce(row.sql) === normalizedOnce(own));
  }
  if (row.type === 'index' && row.sql === null) {
    const table = foldName(row.tableName);
    return name.startsWith(`sqlite_autoindex_${table}_`) && /^[1-9][0-9]*$/.test(name.slice(`sqlite_autoindex_${table}_`.length)) && tables.has(table);
  }
  return false;
}

/**
 * A stable hash of a schema: insensitive to whitespace, comments, keyword case, identifier quoting
 * and creation order; sensitive to everything SQLite would parse differently (types, constraints,
 * defaults, collations, FK actions, index columns, trigger bodies).
 */
export function fingerprintOf(schema: readonly SchemaObject[]): string {
  const lines = schema.map(canonicalLine).sort();
  return sha256(lines.join('\n'));
}

/**
 * The fingerprint (fingerprintOf) of the document's schema as readSchema reads it (the engine's
 * own version table `versionTable` left out): what a manifest records for each version.
 */
export function schemaFingerprint(db: Connection, versionTable: string): string {
  return fingerprintOf(readSchema(db, versionTable));
}

function canonicalLine(o: SchemaObject): string {
  return `${o.type} ${foldName(o.name)}: ${normalizedOnce(o.sql)}`;
}

/**
 * Human-readable differences between an expected and an actual schema (missing, extra, changed
 * objects), for errors that must say what is wrong rather than that a hash differs.
 */
export function diffSchemas(expected: readonly SchemaObject[], actual: readonly SchemaObject[]): string[] {
  const key = (o: SchemaObject) => `${o.type} ${foldName(o.name)}`;
  // Names as spelled in the schema, quoted as SQL would when they are not plain identifiers.
  const label = (o: SchemaObject) => `${o.type} ${/^[A-Za-z_][A-Za-z0-9_]*$/.test(o.name) ? o.name : quoteIdent(o.name)}`;
  const want = new Map(expected.map((o) => [key(o), o]));
  const have = new Map(actual.map((o) => [key(o), o]));
  const out: string[] = [];
  for (const [k, o] of want) {
    const found = have.get(k);
    if (!found) out.push(`missing ${label(o)}`);
    else if (normalizeSql(found.sql) !== normalizeSql(o.sql)) out.push(`changed ${label(found)}: expected ${normalizeSql(o.sql)} but found ${normalizeSql(found.sql)}`);
  }
  for (const [k, o] of have) if (!want.has(k)) out.push(`unexpected ${label(o)}`);
  return out;
}
