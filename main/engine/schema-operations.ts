import type { SqlExecutor } from './sql-executor';
import { columnNameOfPart, quoteIdent, splitCreateTable, tokenizeSql } from './sql-tokens';
import { rebuildTable, type RebuildOptions } from './table-rebuild';

/**
 * Schema changes that keep everything SQLite documents hold: native ALTER TABLE where SQLite
 * supports the change, the generalized 12-step rebuild otherwise (indexes, triggers, views,
 * CHECKs, FK actions, AUTOINCREMENT and child rows preserved). Use these instead of Sequelize's
 * changeColumn/removeColumn/renameColumn.
 */
export interface SchemaOperations {
  /** `ALTER TABLE ADD COLUMN` (SQLite allows constant defaults, no PRIMARY KEY/UNIQUE; REFERENCES with a NULL default). */
  addColumn(table: string, definition: string): void;
  /** `ALTER TABLE RENAME COLUMN`; SQLite updates indexes, triggers and views that use the column. */
  renameColumn(table: string, from: string, to: string): void;
  /** `ALTER TABLE RENAME TO`; SQLite updates references in other tables, triggers and views. */
  renameTable(from: string, to: string): void;
  /**
   * Drops a column: natively when SQLite can (not indexed, constrained, a key, or used by a
   * view/trigger), otherwise by rebuilding the table without it (indexes on it are dropped).
   */
  dropColumn(table: string, column: string): void;
  /** Replaces a column's definition (type, constraints, default) by rebuilding the table. */
  alterColumn(table: string, column: string, definition: string, valueExpression?: string): void;
  /** Rebuilds a table to a new CREATE TABLE statement, copying rows (see RebuildOptions). */
  rebuildTable(table: string, options: RebuildOptions): void;
}

export function schemaOperations(x: SqlExecutor): SchemaOperations {
  const tableSql = (table: string): string => {
    const row = x.db.prepare("SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = ? COLLATE NOCASE").get(table) as { sql: string } | undefined;
    if (!row) throw new Error(`no table ${table}`);
    return row.sql;
  };
  const ops: SchemaOperations = {
    addColumn(table, definition) {
      x.exec(`ALTER TABLE ${quoteIdent(table)} ADD COLUMN ${definition}`);
    },
    renameColumn(table, from, to) {
      x.exec(`ALTER TABLE ${quoteIdent(table)} RENAME COLUMN ${quoteIdent(from)} TO ${quoteIdent(to)}`);
    },
    renameTable(from, to) {
      x.exec(`ALTER TABLE ${quoteIdent(from)} RENAME TO ${quoteIdent(to)}`);
    },
    dropColumn(table, column) {
      if (canDropNatively(x, table, column)) {
        x.exec(`ALTER TABLE ${quoteIdent(table)} DROP COLUMN ${quoteIdent(column)}`);
        return;
      }
      const { head, parts, tail } = splitCreateTable(tableSql(table));
      const kept = parts.filter((p) => columnNameOfPart(p)?.toLowerCase() !== column.toLowerCase());
      const indexes = x.db.prepare(
        "SELECT DISTINCT il.name FROM pragma_index_list(?) il JOIN pragma_index_info(il.name) ii WHERE ii.name = ? COLLATE NOCASE AND il.origin = 'c'",
      ).pluck().all(table, column) as string[];
      rebuildTable(x, table, { create: `${head} (${kept.join(', ')})${tail ? ' ' + tail : ''}`, dropIndexes: indexes });
    },
    alterColumn(table, column, definition, valueExpression) {
      const { head, parts, tail } = splitCreateTable(tableSql(table));
      let found = false;
      const replaced = parts.map((p) => {
        if (columnNameOfPart(p)?.toLowerCase() !== column.toLowerCase()) return p;
        found = true;
        return `${quoteIdent(column)} ${definition}`;
      });
      if (!found) throw new Error(`alterColumn: ${table} has no column ${column}`);
      rebuildTable(x, table, {
        create: `${head} (${replaced.join(', ')})${tail ? ' ' + tail : ''}`,
        select: valueExpression ? { [column]: valueExpression } : undefined,
      });
    },
    rebuildTable(table, options) {
      rebuildTable(x, table, options);
    },
  };
  return ops;
}

/**
 * SQLite's own conditions for ALTER TABLE DROP COLUMN (lang_altertable "ALTER TABLE DROP
 * COLUMN"): not a PRIMARY KEY or UNIQUE column, not indexed, not in a foreign key, CHECK or
 * generated column, not used by a view or trigger.
 */
function canDropNatively(x: SqlExecutor, table: string, column: string): boolean {
  const col = column.toLowerCase();
  const info = x.db.prepare('SELECT name, pk FROM pragma_table_xinfo(?)').all(table) as { name: string; pk: number }[];
  if (info.some((c) => c.name.toLowerCase() === col && c.pk > 0)) return false;
  const indexed = x.db.prepare(
    'SELECT 1 FROM pragma_index_list(?) il JOIN pragma_index_info(il.name) ii WHERE ii.name = ? COLLATE NOCASE',
  ).get(table, column);
  if (indexed) return false;
  const fk = x.db.prepare('SELECT 1 FROM pragma_foreign_key_list(?) WHERE "from" = ? COLLATE NOCASE').get(table, column);
  if (fk) return false;
  const sql = (x.db.prepare("SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = ? COLLATE NOCASE").get(table) as { sql: string }).sql;
  const { parts } = splitCreateTable(sql);
  for (const part of parts) {
    const tokens = tokenizeSql(part);
    const mentions = tokens.some((t) => (t.kind === 'word' || t.kind === 'ident') && t.text === col);
    const own = columnNameOfPart(part)?.toLowerCase() === col;
    if (own && tokens.some((t) => t.kind === 'word' && ['unique', 'check', 'generated', 'as'].includes(t.text))) return false;
    if (!own && mentions) return false;
  }
  const users = x.db.prepare(
    "SELECT sql FROM sqlite_schema WHERE type IN ('view', 'trigger') AND sql IS NOT NULL",
  ).pluck().all() as string[];
  return !users.some((s) => tokenizeSql(s).some((t) => (t.kind === 'word' || t.kind === 'ident') && t.text === col));
}
