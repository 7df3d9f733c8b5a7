import { parseColumnDefinition, type ColumnConstraintKind, type ColumnDefinition } from './column-definition';
import { planColumnDrop } from './column-drop-plan';
import type { SqlExecutor } from '../sqlite/sql-executor';
import { assertSchemaCompiles, schemaError } from './schema-validation';
import { columnOfPart, quoteIdent, sameName, splitCreateTable, tokenizeSql } from '../sqlite/sql-tokens';
import { storedTableName } from './stored-table-name';
import { rebuildTable, type RebuildOptions } from './table-rebuild';
import { assertViewsKeepColumns, viewColumns } from './view-columns';

/** Options of SchemaOperations.alterColumn. */
export interface AlterColumnOptions {
  /**
   * `'keep'` (default): constraints of a kind the new definition does not state are kept (see
   * alterColumn). `'replace'`: the definition is the column's whole new definition.
   */
  constraints?: 'keep' | 'replace';
}

/**
 * Schema changes that keep everything SQLite documents hold: native ALTER TABLE where SQLite
 * supports the change, the generalized 12-step rebuild otherwise (rows with their rowids,
 * indexes, triggers, views, CHECKs, FK actions, AUTOINCREMENT and child rows preserved). Use
 * these instead of Sequelize's changeColumn/removeColumn/renameColumn.
 *
 * Every operation:
 * - finds tables and columns as SQLite does (ASCII case-insensitively) and keeps their stored
 *   spelling; names are quoted with `quoteIdent`, so quotes, spaces and keywords are fine;
 * - ends by proving that every view and trigger still compiles (assertSchemaCompiles), and
 *   otherwise throws naming the object, so the caller's transaction (the migration runner's)
 *   rolls everything back;
 * - must run inside a transaction begun with foreign_keys OFF (the runner does this).
 * What each operation keeps, changes or refuses: docs/schema-operations.md.
 */
export interface SchemaOperations {
  /** `ALTER TABLE ADD COLUMN` (SQLite allows constant defaults, no PRIMARY KEY/UNIQUE; REFERENCES with a NULL default). */
  addColumn(table: string, definition: string): void;
  /**
   * `ALTER TABLE RENAME COLUMN`; SQLite updates indexes, table constraints (PRIMARY KEY, UNIQUE,
   * FOREIGN KEY, CHECK), other tables' REFERENCES, triggers and views that use the column.
   */
  renameColumn(table: string, from: string, to: string): void;
  /**
   * `ALTER TABLE RENAME TO`; SQLite updates references in other tables, triggers and views.
   * A change of case only (`items` → `Items`) goes through a temporary name.
   */
  renameTable(from: string, to: string): void;
  /**
   * Drops a column: natively when SQLite can, otherwise by rebuilding the table without it.
   * Goes with the column: its own inline constraints (NOT NULL, DEFAULT, COLLATE, CHECK, UNIQUE,
   * REFERENCES), a table-level UNIQUE (c) or FOREIGN KEY (c) naming it alone, a table-level CHECK
   * whose expression uses no other column, and indexes (CREATE INDEX) that involve no other column
   * of the table (keys, expressions and WHERE over it alone).
   * @throws Error (nothing changed) when the column does not exist, is the only column or part of
   *   the PRIMARY KEY, is named by a multi-column table constraint or by a table-level CHECK that also uses another column, by
   *   another column's CHECK or generated expression, by another table's (or its own table's)
   *   REFERENCES, by an index together with another column; or when a view or trigger using it would break (naming the object).
   */
  dropColumn(table: string, column: string): void;
  /**
   * Changes one column's definition by rebuilding the table; rows, rowids and everything else of
   * the table are kept, and `valueExpression` (SQL over the old columns) gives the new values.
   * With `constraints: 'keep'` (default), `definition` is merged into the column's current one:
   * its type replaces the old type (no type stated: the old type is kept), and each kind of
   * constraint it states (PRIMARY KEY, NOT NULL/NULL, UNIQUE, CHECK, DEFAULT, COLLATE,
   * REFERENCES, GENERATED) replaces all the old constraints of that kind; kinds it does not state
   * are kept as they were. So `alterColumn('t', 'c', 'REAL')` keeps `REFERENCES p(id) ON DELETE
   * CASCADE`, `NOT NULL`, `DEFAULT` and `CHECK`; `'REAL NULL'` also drops NOT NULL. Table-level
   * constraints naming the column are kept unchanged. With `'replace'`, the definition replaces
   * the whole column definition.
   * @throws Error when the column does not exist or the definition cannot be read; when a view or
   *   trigger no longer compiles; or what SQLite raises copying the rows (CHECK, NOT NULL, UNIQUE).
   */
  alterColumn(table: string, column: string, definition: string, valueExpression?: string, options?: AlterColumnOptions): void;
  /** Rebuilds a table to a new CREATE TABLE statement, copying rows (see RebuildOptions and rebuildTable). */
  rebuildTable(table: string, options: RebuildOptions): void;
}

/**
 * The SchemaOperations (a migration's `ctx.ops`) that run their statements through `x`: executed
 * on its connection, and recorded where `x` records them. Never throws itself; each operation
 * throws as SchemaOperations documents.
 */
export function schemaOperations(x: SqlExecutor): SchemaOperations {
  const tableSql = (stored: string): string => (x.db.prepare("SELECT sql FROM main.sqlite_schema WHERE type = 'table' AND name = ?").get(stored) as { sql: string }).sql;
  const storedColumn = (stored: string, column: string, op: string): string => {
    const names = x.db.prepare("SELECT name FROM pragma_table_xinfo(?, 'main')").pluck().all(stored) as string[];
    const found = names.find((n) => sameName(n, column));
    if (found === undefined) throw new Error(`${op}: table ${JSON.stringify(stored)} has no column ${JSON.stringify(column)}`);
    return found;
  };
  /**
   * A native ALTER TABLE, then the schema check; SQLite's own "error in trigger ..." is reported the
   * same way. `legacy_alter_table` is off while it runs (and restored), so a rename always rewrites
   * the views and triggers that name the table or column, as documented.
   */
  const alter = (sql: string, operation: string, check = true): void => {
    const legacy = x.db.pragma('legacy_alter_table', { simple: true }) as number;
    if (legacy) x.db.pragma('legacy_alter_table = OFF');
    try {
      x.exec(sql);
    } catch (error) {
      throw schemaError(error, operation);
    } finally {
      if (legacy) x.db.pragma('legacy_alter_table = ON');
    }
    if (check) assertSchemaCompiles(x.db, operation);
  };
  const ops: SchemaOperations = {
    addColumn(table, definition) {
      const stored = storedTableName(x, table);
      alter(`ALTER TABLE main.${quoteIdent(stored)} ADD COLUMN ${definition}`, `adding a column to ${stored}`);
    },
    renameColumn(table, from, to) {
      const stored = storedTableName(x, table);
      const column = storedColumn(stored, from, 'renameColumn');
      alter(`ALTER TABLE main.${quoteIdent(stored)} RENAME COLUMN ${quoteIdent(column)} TO ${quoteIdent(to)}`, `renaming ${stored}.${column}`);
    },
    renameTable(from, to) {
      const stored = storedTableName(x, from);
      if (stored === to) return;
      if (sameName(stored, to)) {
        const objects = x.db.prepare('SELECT name FROM main.sqlite_schema').pluck().all() as string[];
        let via = `_rename_${to}`;
        for (let n = 2; objects.some((o) => sameName(o, via)); n++) via = `_rename_${to}_${n}`;
        // Checked after the second step only: the temporary name is no state anyone sees (an FTS index's content= names the table in any case).
        alter(`ALTER TABLE main.${quoteIdent(stored)} RENAME TO ${quoteIdent(via)}`, `renaming ${stored}`, false);
        alter(`ALTER TABLE main.${quoteIdent(via)} RENAME TO ${quoteIdent(to)}`, `renaming ${stored}`);
      } else {
        alter(`ALTER TABLE main.${quoteIdent(stored)} RENAME TO ${quoteIdent(to)}`, `renaming ${stored}`);
      }
    },
    dropColumn(table, column) {
      const stored = storedTableName(x, table);
      const name = storedColumn(stored, column, 'dropColumn');
      const plan = planColumnDrop(x, stored, name);
      const views = viewColumns(x.db);
      if (plan.native) alter(`ALTER TABLE main.${quoteIdent(stored)} DROP COLUMN ${quoteIdent(name)}`, `dropping ${stored}.${name}`);
      else rebuildTable(x, stored, { create: plan.create, dropIndexes: plan.dropIndexes });
      assertViewsKeepColumns(x.db, views, `dropping ${stored}.${name}`);
    },
    alterColumn(table, column, definition, valueExpression, options = {}) {
      const stored = storedTableName(x, table);
      const name = storedColumn(stored, column, 'alterColumn');
      const { head, parts, tail } = splitCreateTable(tableSql(stored));
      const replaced = parts.map((p) => {
        const own = columnOfPart(p);
        if (own === null || !sameName(own, name)) return p;
        const old = parseColumnDefinition(p);
        return options.constraints === 'replace' ? `${old.nameSql} ${withoutOuterComments(definition)}`.trimEnd() : mergedDefinition(old, parseColumnDefinition(definition, false));
      });
      const views = viewColumns(x.db);
      rebuildTable(x, stored, {
        create: `${head} (${replaced.join(', ')})${tail ? ' ' + tail : ''}`,
        select: valueExpression ? { [name]: valueExpression } : undefined,
      });
      assertViewsKeepColumns(x.db, views, `altering ${stored}.${name}`);
    },
    rebuildTable(table, options) {
      const views = viewColumns(x.db);
      rebuildTable(x, table, options);
      assertViewsKeepColumns(x.db, views, `rebuilding ${storedTableName(x, table)}`);
    },
  };
  return ops;
}

/** SQL from its first to its last token, so a trailing `-- comment` cannot swallow what is written after it. */
function withoutOuterComments(sql: string): string {
  const tokens = tokenizeSql(sql);
  return tokens.length ? sql.slice(tokens[0]!.start, tokens[tokens.length - 1]!.end) : '';
}

/** The old column definition with the new type and the new constraints of each kind the new one states. */
function mergedDefinition(old: ColumnDefinition, update: ColumnDefinition): string {
  const stated = new Set<ColumnConstraintKind>(update.constraints.map((c) => c.kind));
  const kept: string[] = [];
  const placed = new Set<ColumnConstraintKind>();
  for (const c of old.constraints) {
    if (!stated.has(c.kind)) {
      kept.push(c.text);
      continue;
    }
    if (placed.has(c.kind)) continue;
    placed.add(c.kind);
    kept.push(...update.constraints.filter((u) => u.kind === c.kind).map((u) => u.text));
  }
  for (const u of update.constraints) if (!placed.has(u.kind)) kept.push(u.text);
  return [old.nameSql, update.type || old.type, ...kept].filter((s) => s !== '').join(' ');
}
