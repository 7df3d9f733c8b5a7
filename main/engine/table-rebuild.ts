import type { SqlExecutor } from './sql-executor';
import { quoteIdent, sqlMentions, tokenName, tokenizeSql } from './sql-tokens';

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

/**
 * Changes a table in ways ALTER TABLE cannot, with SQLite's generalized 12-step procedure
 * (sqlite.org/lang_altertable.html#otheralter): create the new table under a temporary name,
 * copy every row (row ids kept), drop the old table, rename the new one into place, and recreate
 * the table's indexes and triggers and every view or trigger that mentions it. AUTOINCREMENT
 * counters carry over. Child rows are untouched because the caller runs this inside a
 * transaction begun with `foreign_keys=OFF` (the migration runner does); the runner checks
 * `foreign_key_check` before committing.
 */
export function rebuildTable(x: SqlExecutor, table: string, options: RebuildOptions): void {
  const lower = table.toLowerCase();
  const objects = x.db.prepare(
    "SELECT type, name, tbl_name, sql FROM sqlite_schema WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY rowid",
  ).all() as StoredObject[];
  if (!objects.some((o) => o.type === 'table' && o.name.toLowerCase() === lower)) throw new Error(`rebuildTable: no table ${table}`);
  const dropIndexes = new Set((options.dropIndexes ?? []).map((n) => n.toLowerCase()));
  const own = objects.filter((o) => (o.type === 'index' || o.type === 'trigger') && o.tbl_name.toLowerCase() === lower && !dropIndexes.has(o.name.toLowerCase()));
  const dependents = dependentObjects(objects, lower);

  for (const dep of [...dependents].reverse()) x.exec(`DROP ${dep.type === 'view' ? 'VIEW' : 'TRIGGER'} ${quoteIdent(dep.name)}`);
  const temp = `_rebuild_${table}`;
  x.exec(withTableName(options.create, temp));
  const newColumns = insertableColumns(x, temp);
  const oldColumns = new Set(insertableColumns(x, table).map((c) => c.toLowerCase()));
  const select = new Map(Object.entries(options.select ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
  for (const k of select.keys()) {
    if (!newColumns.some((c) => c.toLowerCase() === k)) throw new Error(`rebuildTable: ${table} has no new column ${k}`);
  }
  const targets = newColumns.filter((c) => select.has(c.toLowerCase()) || oldColumns.has(c.toLowerCase()));
  const exprs = targets.map((c) => select.get(c.toLowerCase()) ?? quoteIdent(c));
  x.exec(`INSERT INTO ${quoteIdent(temp)} (${targets.map(quoteIdent).join(', ')}) SELECT ${exprs.join(', ')} FROM ${quoteIdent(table)}`);
  if (/\bautoincrement\b/i.test(options.create) && hasSequenceTable(x)) {
    // Keep the old counter when it is ahead of the copied rows (rows deleted at the end), so ids are never reused.
    const oldName = `'${table.replace(/'/g, "''")}'`;
    const oldSeq = `(SELECT seq FROM sqlite_sequence WHERE name = ${oldName})`;
    x.exec(`UPDATE sqlite_sequence SET seq = ${oldSeq} WHERE name = '${temp}' AND seq < ${oldSeq}`);
    x.exec(`INSERT INTO sqlite_sequence (name, seq) SELECT '${temp}', seq FROM sqlite_sequence WHERE name = ${oldName} ` +
      `AND NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = '${temp}')`);
  }
  x.exec(`DROP TABLE ${quoteIdent(table)}`);
  x.exec(`ALTER TABLE ${quoteIdent(temp)} RENAME TO ${quoteIdent(table)}`);
  for (const o of [...own, ...dependents].sort((a, b) => objects.indexOf(a) - objects.indexOf(b))) x.exec(o.sql);
}

/** Views and other tables' triggers that mention the table, directly or through such a view. */
function dependentObjects(objects: StoredObject[], lowerTable: string): StoredObject[] {
  const names = new Set([lowerTable]);
  const found = new Set<StoredObject>();
  let grew = true;
  while (grew) {
    grew = false;
    for (const o of objects) {
      if (found.has(o)) continue;
      const candidate = o.type === 'view' || (o.type === 'trigger' && o.tbl_name.toLowerCase() !== lowerTable);
      if (candidate && [...names].some((n) => sqlMentions(o.sql, n))) {
        found.add(o);
        if (o.type === 'view') names.add(o.name.toLowerCase());
        grew = true;
      }
    }
  }
  return objects.filter((o) => found.has(o));
}

function insertableColumns(x: SqlExecutor, table: string): string[] {
  const rows = x.db.prepare(`SELECT name, hidden FROM pragma_table_xinfo(?)`).all(table) as { name: string; hidden: number }[];
  return rows.filter((r) => r.hidden === 0).map((r) => r.name);
}

function hasSequenceTable(x: SqlExecutor): boolean {
  return x.db.prepare("SELECT 1 FROM sqlite_schema WHERE name = 'sqlite_sequence'").get() !== undefined;
}

/** Replaces the table name in a CREATE TABLE statement. */
export function withTableName(createSql: string, name: string): string {
  const tokens = tokenizeSql(createSql);
  let k = tokens.findIndex((t) => t.kind === 'word' && t.text === 'table');
  if (k < 0) throw new Error(`not a CREATE TABLE statement: ${createSql}`);
  k++;
  if (tokens[k]?.text === 'if' && tokens[k + 1]?.text === 'not' && tokens[k + 2]?.text === 'exists') k += 3;
  const nameToken = tokens[k];
  if (!nameToken || tokenName(nameToken) === null) throw new Error(`CREATE TABLE without a name: ${createSql}`);
  let end = nameToken.end;
  if (tokens[k + 1]?.text === '.' && tokens[k + 2]) end = tokens[k + 2]!.end;
  return createSql.slice(0, nameToken.start) + quoteIdent(name) + createSql.slice(end);
}
