import { assertCopiedValuesKept, convertibleCopies } from './copied-values';
import { inMainSchema, withQualifiersRenamed, withTableName } from './create-statements';
import { dependentObjects, type StoredObject } from './dependent-objects';
import { assertRowidsKept, rowidOf, rowPairing } from './rebuild-rowids';
import { assertSchemaCompiles } from './schema-validation';
import { storedTableName } from './stored-table-name';
import type { SqlExecutor } from '../sqlite/sql-executor';
import { quoteIdent, quoteString, sameName, tokenizeSql } from '../sqlite/sql-tokens';

/** What rebuildTable makes of a table: its new statement, where new columns get their values, indexes to leave out. */
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
  const objects = x.db
    .prepare("SELECT type, name, tbl_name, sql FROM main.sqlite_schema WHERE sql IS NOT NULL AND NOT (type = 'table' AND name LIKE 'sqlite\\_%' ESCAPE '\\') ORDER BY rowid")
    .all() as StoredObject[];
  const self = objects.find((o) => o.type === 'table' && o.name === stored);
  if (!self || /^\s*create\s+virtual\b/i.test(self.sql)) throw new Error(`rebuildTable: ${JSON.stringify(stored)} is not an ordinary table`);
  const dropIndexes = options.dropIndexes ?? [];
  const own = objects.filter((o) => (o.type === 'index' || o.type === 'trigger') && sameName(o.tbl_name, stored) && !dropIndexes.some((d) => sameName(d, o.name)));
  const dependents = dependentObjects(objects, stored);
  const reserved = [...own, ...dependents].find((o) => /^sqlite_/i.test(o.name));
  if (reserved) {
    throw new Error(
      `rebuildTable: ${stored} has ${reserved.type} ${JSON.stringify(reserved.name)}, a name SQLite reserves for itself ` +
        "(written into the file behind SQLite's back); it could not be recreated, so the table is not rebuilt",
    );
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
    if (source !== null) {
      targets.push(quoteIdent(c));
      exprs.push(source);
    }
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
  const copied = convertibleCopies(x, stored, temp, oldColumns, newColumns, (c) => select.some(([k]) => sameName(k, c)));
  assertCopiedValuesKept(x, stored, stored, temp, copied, rowPairing(x, temp, oldRowid, newRowid, sourceOf));
  if (tokenizeSql(options.create).some((t) => t.kind === 'word' && t.text === 'autoincrement') && hasSequenceTable(x)) {
    // Keep the old counter when it is ahead of the copied rows (rows deleted at the end), so ids are never reused.
    const oldName = quoteString(stored);
    const tempName = quoteString(temp);
    const oldSeq = `(SELECT seq FROM sqlite_sequence WHERE name = ${oldName})`;
    x.exec(`UPDATE sqlite_sequence SET seq = ${oldSeq} WHERE name = ${tempName} AND seq < ${oldSeq}`);
    x.exec(
      `INSERT INTO sqlite_sequence (name, seq) SELECT ${tempName}, seq FROM sqlite_sequence WHERE name = ${oldName} ` +
        `AND NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = ${tempName})`,
    );
    // An empty copy leaves a counter of 0 that the old table did not have: sqlite_sequence stays as it was.
    x.exec(`DELETE FROM sqlite_sequence WHERE name = ${tempName} AND seq = 0 AND NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = ${oldName})`);
  }
  x.exec(`DROP TABLE main.${quoteIdent(stored)}`);
  x.exec(`ALTER TABLE main.${quoteIdent(temp)} RENAME TO ${quoteIdent(stored)}`);
  for (const o of [...own, ...dependents].sort((a, b) => objects.indexOf(a) - objects.indexOf(b))) x.exec(inMainSchema(o.sql));
  assertSchemaCompiles(x.db, `rebuilding ${stored}`);
}

/** `_rebuild_<table>`, or with a number added when a schema object already has that name. */
function temporaryName(objects: readonly StoredObject[], table: string): string {
  const taken = (name: string) => objects.some((o) => sameName(o.name, name));
  let name = `_rebuild_${table}`;
  for (let n = 2; taken(name); n++) name = `_rebuild_${table}_${n}`;
  return name;
}

/** The columns an INSERT can name (generated and hidden columns left out). */
function insertableColumns(x: SqlExecutor, table: string): string[] {
  const rows = x.db.prepare(`SELECT name, hidden FROM pragma_table_xinfo(?, 'main')`).all(table) as { name: string; hidden: number }[];
  return rows.filter((r) => r.hidden === 0).map((r) => r.name);
}

/** True when the document has sqlite_sequence (some table uses AUTOINCREMENT). */
function hasSequenceTable(x: SqlExecutor): boolean {
  return x.db.prepare("SELECT 1 FROM sqlite_schema WHERE name = 'sqlite_sequence'").get() !== undefined;
}
