import { assertCopiedValuesKept, type CopiedColumn, type RowPairing } from './copied-values';
import type { SqlExecutor } from '../sqlite/sql-executor';
import { assertSchemaCompiles } from './schema-validation';
import { quoteIdent, quoteString, sameName, tokenIs, tokenName, tokenizeSql } from '../sqlite/sql-tokens';

export interface RebuildOptions {
  /** The table's new `CREATE TABLE <name> (...)` statement (the name it carries is replaced). */
  create: string;
  /**
   * SQL expressions over the old table's columns giving each new column's value. A new column
   * not listed here is copied from the old column of the same name, or left to its default
   * when the old table has no such column.
   */
  select?: Record<string, string>;
  /** Indexes on the table to drop instead of recreating (e.g. indexes on a dropped column). */
  dropIndexes?: readonly string[];
}

interface StoredObject {
  type: string;
  name: string;
  tbl_name: string;
  sql: string;
}

/** The names SQLite accepts for a rowid, in the order a rebuild picks one the table does not shadow. */
const ROWID_NAMES = ['rowid', '_rowid_', 'oid'];

/**
 * The exact spelling of a table as stored in sqlite_schema, found the way SQLite finds it
 * (ASCII case-insensitively).
 * @throws Error when the main schema has no such table (views and virtual tables included in the message).
 */
export function storedTableName(x: SqlExecutor, table: string): string {
  const rows = x.db.prepare("SELECT name, sql FROM main.sqlite_schema WHERE type = 'table'").all() as { name: string; sql: string | null }[];
  const row = rows.find((r) => sameName(r.name, table));
  if (!row) throw new Error(`no table ${JSON.stringify(table)}`);
  return row.name;
}

/**
 * Changes a table in ways ALTER TABLE cannot, with SQLite's generalized 12-step procedure
 * (sqlite.org/lang_altertable.html#otheralter): create the new table under a temporary name,
 * copy every row, drop the old table, rename the new one into place, and recreate the table's
 * indexes and triggers and every view or trigger that mentions it; then prove every view and
 * trigger still compiles (assertSchemaCompiles). Promises:
 * - every row keeps its rowid: a rowid table without an INTEGER PRIMARY KEY gets `rowid` copied
 *   explicitly (through whichever of rowid/_rowid_/oid no column shadows), so FTS5
 *   external-content indexes and anything else keyed by rowid stay right; where the new table has
 *   an INTEGER PRIMARY KEY, its value is the rowid (copied from the old column of that name, or
 *   from the old rowid when nothing else gives it a value), and a rebuild whose new INTEGER
 *   PRIMARY KEY values differ from the old rowids (`id INT PRIMARY KEY` → `INTEGER`) is refused;
 *   its values are proven kept like any copied column; WITHOUT ROWID tables have none;
 * - the table keeps the exact name stored in sqlite_schema, whatever the case of `table` or of
 *   the name in `options.create` (use renameTable to rename);
 * - AUTOINCREMENT counters carry over to that exact name, never going back;
 * - generated columns are computed, never copied into;
 * - child rows are untouched because the caller runs this inside a transaction begun with
 *   `foreign_keys=OFF` (the migration runner does); the runner checks `foreign_key_check`.
 * @throws Error when the table does not exist, is virtual, has an index, trigger or view with a
 *   name SQLite reserves (`sqlite_*`, only possible when forged into the file: it could not be
 *   recreated), a `select` key names no new column,
 *   a rowid cannot be reached (rowid, _rowid_ and oid all real columns), or a view or trigger
 *   no longer compiles (naming it); the caller's transaction must then be rolled back.
 */
export function rebuildTable(x: SqlExecutor, table: string, options: RebuildOptions): void {
  const stored = storedTableName(x, table);
  const objects = x.db.prepare(
    "SELECT type, name, tbl_name, sql FROM main.sqlite_schema WHERE sql IS NOT NULL AND NOT (type = 'table' AND name LIKE 'sqlite\\_%' ESCAPE '\\') ORDER BY rowid",
  ).all() as StoredObject[];
  const self = objects.find((o) => o.type === 'table' && o.name === stored);
  if (!self || /^\s*create\s+virtual\b/i.test(self.sql)) throw new Error(`rebuildTable: ${JSON.stringify(stored)} is not an ordinary table`);
  const dropIndexes = options.dropIndexes ?? [];
  const own = objects.filter((o) => (o.type === 'index' || o.type === 'trigger') && sameName(o.tbl_name, stored) && !dropIndexes.some((d) => sameName(d, o.name)));
  const dependents = dependentObjects(objects, stored);
  const reserved = [...own, ...dependents].find((o) => /^sqlite_/i.test(o.name));
  if (reserved) {
    throw new Error(`rebuildTable: ${stored} has ${reserved.type} ${JSON.stringify(reserved.name)}, a name SQLite reserves for itself ` +
      '(written into the file behind SQLite\'s back); it could not be recreated, so the table is not rebuilt');
  }

  for (const dep of [...dependents].reverse()) x.exec(`DROP ${dep.type === 'view' ? 'VIEW' : 'TRIGGER'} main.${quoteIdent(dep.name)}`);
  const temp = temporaryName(objects, stored);
  x.exec(withTableName(withQualifiersRenamed(options.create, stored, temp), temp, 'main'));
  const newColumns = insertableColumns(x, temp);
  const oldColumns = insertableColumns(x, stored);
  const select = Object.entries(options.select ?? {});
  for (const [k] of select) {
    if (!newColumns.some((c) => sameName(c, k))) throw new Error(`rebuildTable: ${stored} has no new column ${k}`);
  }
  const sourceOf = (c: string): string | null => select.find(([k]) => sameName(k, c))?.[1] ?? (oldColumns.some((o) => sameName(o, c)) ? quoteIdent(c) : null);
  const targets: string[] = [];
  const exprs: string[] = [];
  for (const c of newColumns) {
    const source = sourceOf(c);
    if (source !== null) { targets.push(quoteIdent(c)); exprs.push(source); }
  }
  const oldRowid = rowidOf(x, stored);
  const newRowid = rowidOf(x, temp);
  if (oldRowid && newRowid) {
    if (newRowid.alias === null) {
      targets.push(newRowid.name);
      exprs.push(oldRowid.name);
    } else if (sourceOf(newRowid.alias) === null) {
      targets.push(quoteIdent(newRowid.alias));
      exprs.push(oldRowid.name);
    }
  }
  if (oldRowid && newRowid?.alias != null) {
    const source = sourceOf(newRowid.alias);
    if (source !== null && source !== oldRowid.name) assertRowidsKept(x, stored, oldRowid.name, source, newRowid.alias);
  }
  x.exec(`INSERT INTO main.${quoteIdent(temp)} (${targets.join(', ')}) SELECT ${exprs.join(', ')} FROM main.${quoteIdent(stored)}`);
  const copied: CopiedColumn[] = [];
  const oldTypes = declaredTypes(x, stored);
  const newTypes = declaredTypes(x, temp);
  for (const c of newColumns) {
    const from = oldColumns.find((o) => sameName(o, c));
    if (from === undefined || select.some(([k]) => sameName(k, c))) continue;
    const convertible = convertibleClasses(oldTypes.get(from.toLowerCase()) ?? '', newTypes.get(c.toLowerCase()) ?? '');
    if (convertible.length) copied.push({ from, to: c, convertible });
  }
  assertCopiedValuesKept(x, stored, stored, temp, copied, rowPairing(x, temp, oldRowid, newRowid, sourceOf));
  if (tokenizeSql(options.create).some((t) => t.kind === 'word' && t.text === 'autoincrement') && hasSequenceTable(x)) {
    // Keep the old counter when it is ahead of the copied rows (rows deleted at the end), so ids are never reused.
    const oldName = quoteString(stored);
    const tempName = quoteString(temp);
    const oldSeq = `(SELECT seq FROM sqlite_sequence WHERE name = ${oldName})`;
    x.exec(`UPDATE sqlite_sequence SET seq = ${oldSeq} WHERE name = ${tempName} AND seq < ${oldSeq}`);
    x.exec(`INSERT INTO sqlite_sequence (name, seq) SELECT ${tempName}, seq FROM sqlite_sequence WHERE name = ${oldName} ` +
      `AND NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = ${tempName})`);
    // An empty copy leaves a counter of 0 that the old table did not have: sqlite_sequence stays as it was.
    x.exec(`DELETE FROM sqlite_sequence WHERE name = ${tempName} AND seq = 0 AND NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = ${oldName})`);
  }
  x.exec(`DROP TABLE main.${quoteIdent(stored)}`);
  x.exec(`ALTER TABLE main.${quoteIdent(temp)} RENAME TO ${quoteIdent(stored)}`);
  for (const o of [...own, ...dependents].sort((a, b) => objects.indexOf(a) - objects.indexOf(b))) x.exec(inMainSchema(o.sql));
  assertSchemaCompiles(x.db, `rebuilding ${stored}`);
}

/**
 * Proves that giving the new table's INTEGER PRIMARY KEY `alias` its values from `source` (SQL
 * over the old table) keeps every row's rowid: an INTEGER PRIMARY KEY is the rowid, so a column
 * that was not the rowid before (`id INT PRIMARY KEY`, `id TEXT PRIMARY KEY`, an expression)
 * would otherwise renumber the rows and FTS5 external-content indexes would return other rows.
 * @throws Error naming the first row whose rowid would change (NULL keys included: SQLite would
 *   assign new rowids to them).
 */
function assertRowidsKept(x: SqlExecutor, table: string, oldRowid: string, source: string, alias: string): void {
  const row = x.db.prepare(
    `SELECT ${oldRowid} AS was, quote(${source}) AS becomes FROM main.${quoteIdent(table)} WHERE ${source} IS NOT ${oldRowid} LIMIT 1`,
  ).get() as { was: number | bigint; becomes: string } | undefined;
  if (row) {
    throw new Error(`rebuildTable: making ${JSON.stringify(alias)} the INTEGER PRIMARY KEY of ${table} would change rowids ` +
      `(the row with rowid ${String(row.was)} would get ${row.becomes === 'NULL' ? 'a new rowid' : `rowid ${row.becomes}`}), and FTS5 ` +
      'indexes and anything else keyed by rowid would then point at other rows; keep a key that is not the rowid (e.g. INT PRIMARY KEY)');
  }
}

/**
 * How the copied rows correspond to the old ones: through the new table's rowid (an INTEGER
 * PRIMARY KEY takes its value from its source, else from the old rowid), or through a new
 * WITHOUT ROWID table's primary key; null when the new rows cannot be matched.
 */
function rowPairing(
  x: SqlExecutor, temp: string, oldRowid: ReturnType<typeof rowidOf>, newRowid: ReturnType<typeof rowidOf>, sourceOf: (c: string) => string | null,
): RowPairing | null {
  if (newRowid?.alias != null) {
    const source = sourceOf(newRowid.alias);
    if (source !== null) return { old: [source], new: [quoteIdent(newRowid.alias)] };
    return oldRowid ? { old: [oldRowid.name], new: [quoteIdent(newRowid.alias)] } : null;
  }
  if (newRowid) return oldRowid ? { old: [oldRowid.name], new: [newRowid.name] } : null;
  const keys = x.db.prepare('SELECT name FROM pragma_table_xinfo(?, \'main\') WHERE pk > 0 ORDER BY pk').pluck().all(temp) as string[];
  const sources = keys.map(sourceOf);
  if (keys.length === 0 || sources.some((s) => s === null)) return null;
  return { old: sources as string[], new: keys.map(quoteIdent) };
}

/** `_rebuild_<table>`, or with a number added when a schema object already has that name. */
function temporaryName(objects: readonly StoredObject[], table: string): string {
  const taken = (name: string) => objects.some((o) => sameName(o.name, name));
  let name = `_rebuild_${table}`;
  for (let n = 2; taken(name); n++) name = `_rebuild_${table}_${n}`;
  return name;
}

/**
 * How to read or write a table's rowid: `alias` is its INTEGER PRIMARY KEY column (null when it
 * has none) and `name` an expression naming the rowid (the alias quoted, or the first of
 * rowid/_rowid_/oid that is not a column). Null for a WITHOUT ROWID table.
 * @throws Error when the table has no alias and shadows all three rowid names.
 */
function rowidOf(x: SqlExecutor, table: string): { alias: string | null; name: string } | null {
  const listed = x.db.prepare('SELECT wr FROM pragma_table_list WHERE schema = ? AND name = ?').get('main', table) as { wr: number } | undefined;
  if (listed?.wr) return null;
  const info = x.db.prepare('SELECT name, pk FROM pragma_table_xinfo(?, \'main\')').all(table) as { name: string; pk: number }[];
  const keys = info.filter((c) => c.pk > 0);
  const pkIndex = x.db.prepare("SELECT 1 FROM pragma_index_list(?, 'main') WHERE origin = 'pk'").get(table);
  // An INTEGER PRIMARY KEY is the rowid and has no index of its own; any other primary key has one.
  if (keys.length === 1 && !pkIndex) return { alias: keys[0]!.name, name: quoteIdent(keys[0]!.name) };
  const free = ROWID_NAMES.find((r) => !info.some((c) => sameName(c.name, r)));
  if (!free) throw new Error(`rebuildTable: ${table} has columns named rowid, _rowid_ and oid, so its rowids cannot be kept`);
  return { alias: null, name: free };
}

/** Views and other tables' triggers that mention the table, directly or through such a view. */
function dependentObjects(objects: StoredObject[], table: string): StoredObject[] {
  const names = [table];
  const found = new Set<StoredObject>();
  let grew = true;
  while (grew) {
    grew = false;
    for (const o of objects) {
      if (found.has(o)) continue;
      const candidate = o.type === 'view' || (o.type === 'trigger' && !sameName(o.tbl_name, table));
      if (candidate && names.some((n) => mentionsName(o.sql, n))) {
        found.add(o);
        if (o.type === 'view') names.push(o.name);
        grew = true;
      }
    }
  }
  return objects.filter((o) => found.has(o));
}

function mentionsName(sql: string, name: string): boolean {
  return tokenizeSql(sql).some((t) => tokenIs(t, name));
}

/** Declared types of a table's columns, by lower-cased name. */
function declaredTypes(x: SqlExecutor, table: string): Map<string, string> {
  const rows = x.db.prepare(`SELECT name, type FROM pragma_table_xinfo(?, 'main')`).all(table) as { name: string; type: string }[];
  return new Map(rows.map((r) => [r.name.toLowerCase(), r.type]));
}

/** A column's type affinity by SQLite's rules (datatype3.html, "Determination Of Column Affinity"). */
export function columnAffinity(declaredType: string): 'integer' | 'text' | 'blob' | 'real' | 'numeric' {
  const t = declaredType.toUpperCase();
  if (t.includes('INT')) return 'integer';
  if (t.includes('CHAR') || t.includes('CLOB') || t.includes('TEXT')) return 'text';
  if (t.includes('BLOB') || t.trim() === '') return 'blob';
  if (t.includes('REAL') || t.includes('FLOA') || t.includes('DOUB')) return 'real';
  return 'numeric';
}

/**
 * The storage classes whose values copying a column into its new declaration can convert, so
 * those rows must be proven kept (assertCopiedValuesKept); empty when nothing can change. A
 * BLOB-affinity (untyped) column converts nothing; TEXT affinity converts numbers (a TEXT
 * column copied from a TEXT column holds none); INTEGER and NUMERIC convert TEXT and REAL (TEXT
 * '007' → 7, and SQLite 3.53 reads an older file's TEXT '5\0x' as 5); REAL converts TEXT and
 * INTEGER (beyond 2^53 digits are lost). NULL and BLOB values are never converted.
 */
function convertibleClasses(oldType: string, newType: string): string[] {
  switch (columnAffinity(newType)) {
    case 'blob': return [];
    case 'text': return columnAffinity(oldType) === 'text' ? [] : ['integer', 'real'];
    case 'real': return ['text', 'integer'];
    default: return ['text', 'real'];
  }
}

function insertableColumns(x: SqlExecutor, table: string): string[] {
  const rows = x.db.prepare(`SELECT name, hidden FROM pragma_table_xinfo(?, 'main')`).all(table) as { name: string; hidden: number }[];
  return rows.filter((r) => r.hidden === 0).map((r) => r.name);
}

function hasSequenceTable(x: SqlExecutor): boolean {
  return x.db.prepare("SELECT 1 FROM sqlite_schema WHERE name = 'sqlite_sequence'").get() !== undefined;
}

/**
 * A stored CREATE INDEX / TRIGGER / VIEW statement with its object name qualified `main.`, so it is
 * recreated in the main schema against the main table even when the connection has a TEMP table
 * of the same name (an unqualified trigger or index would attach to that one).
 */
function inMainSchema(sql: string): string {
  const tokens = tokenizeSql(sql);
  let k = tokens.findIndex((t) => t.kind === 'word' && (t.text === 'index' || t.text === 'trigger' || t.text === 'view'));
  if (k < 0) return sql;
  k++;
  if (tokens[k]?.text === 'if' && tokens[k + 1]?.text === 'not' && tokens[k + 2]?.text === 'exists') k += 3;
  const name = tokens[k];
  if (!name || tokens[k + 1]?.text === '.') return sql;
  return sql.slice(0, name.start) + 'main.' + sql.slice(name.start);
}

/**
 * The CREATE TABLE statement with every `table.column` qualifier in its body (a CHECK may write
 * `CHECK (t.a <> t.b)`, and `main.t.a`) naming `to` instead of `table`, so the copy created under
 * a temporary name accepts it; SQLite's RENAME TO then writes the table's own name back.
 * Schema names (`main.` before `t.`), REFERENCES targets and string literals are left alone.
 */
function withQualifiersRenamed(createSql: string, table: string, to: string): string {
  const tokens = tokenizeSql(createSql);
  const open = tokens.findIndex((t) => t.text === '(');
  let out = '';
  let at = 0;
  for (let k = Math.max(open, 0) + 1; k < tokens.length; k++) {
    const t = tokens[k]!;
    if (!tokenIs(t, table) || tokens[k + 1]?.text !== '.' || tokens[k + 2] === undefined || tokens[k + 3]?.text === '.') continue;
    out += createSql.slice(at, t.start) + quoteIdent(to);
    at = t.end;
  }
  return out + createSql.slice(at);
}

/** Replaces the table name in a CREATE TABLE statement (qualified with `schema` when given). */
export function withTableName(createSql: string, name: string, schema?: string): string {
  const tokens = tokenizeSql(createSql);
  let k = tokens.findIndex((t) => t.kind === 'word' && t.text === 'table');
  if (k < 0) throw new Error(`not a CREATE TABLE statement: ${createSql}`);
  k++;
  if (tokens[k]?.text === 'if' && tokens[k + 1]?.text === 'not' && tokens[k + 2]?.text === 'exists') k += 3;
  const nameToken = tokens[k];
  if (!nameToken || tokenName(nameToken) === null) throw new Error(`CREATE TABLE without a name: ${createSql}`);
  let end = nameToken.end;
  if (tokens[k + 1]?.text === '.' && tokens[k + 2]) end = tokens[k + 2]!.end;
  return createSql.slice(0, nameToken.start) + (schema ? `${schema}.` : '') + quoteIdent(name) + createSql.slice(end);
}
