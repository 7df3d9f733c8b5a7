import { describeConstraint, parseColumnDefinition, parseTableConstraint } from './column-definition';
import type { SqlExecutor } from '../sqlite/sql-executor';
import { columnOfPart, splitCreateTable } from '../sqlite/create-table-parts';
import { mentionsColumn, sameName, tokenizeSql, type Token } from '../sqlite/sql-tokens';

/** How dropColumn drops a column: natively (ALTER TABLE DROP COLUMN) or by a rebuild to `create` without it. */
export interface DropPlan {
  /** SQLite's own DROP COLUMN can do it: nothing but the column's NOT NULL, DEFAULT or COLLATE goes with it. */
  native: boolean;
  /** The table's CREATE TABLE statement without the column and the constraints that go with it. */
  create: string;
  /** The indexes (on that column alone) the rebuild leaves out. */
  dropIndexes: string[];
}

/**
 * Decides how `dropColumn` drops `column` of `table` (both stored spellings), or refuses.
 * Refusals name the constraint, column, index or table that still needs the column; constraints
 * that concern the dropped column alone go with it.
 */
export function planColumnDrop(x: SqlExecutor, table: string, column: string): DropPlan {
  const refuse = (why: string) => new Error(`dropColumn: cannot drop ${table}.${column}: ${why}`);
  const named = (tokens: readonly Token[]) => mentionsColumn(tokens, column);
  const mentions = (sql: string) => named(tokenizeSql(sql));
  const sql = (x.db.prepare("SELECT sql FROM main.sqlite_schema WHERE type = 'table' AND name = ?").get(table) as { sql: string }).sql;
  const { head, parts, tail } = splitCreateTable(sql);
  const info = x.db.prepare("SELECT name, pk FROM pragma_table_xinfo(?, 'main')").all(table) as { name: string; pk: number }[];
  if (info.length === 1) throw refuse("it is the table's only column");
  if (info.some((c) => c.name === column && c.pk > 0)) throw refuse('it is (part of) the PRIMARY KEY; rebuild the table with rebuildTable to choose another key');

  const kept: string[] = [];
  let native = true;
  for (const part of parts) {
    const own = columnOfPart(part);
    if (own !== null) {
      const def = parseColumnDefinition(part);
      if (sameName(own, column)) {
        if (def.constraints.some((c) => c.kind !== 'nullability' && c.kind !== 'default' && c.kind !== 'collate')) native = false;
        continue;
      }
      if (def.constraints.some((c) => (c.kind === 'check' || c.kind === 'generated') && mentions(c.text))) {
        throw refuse(`column ${JSON.stringify(own)} uses it (${part})`);
      }
      kept.push(part);
      continue;
    }
    const c = parseTableConstraint(part);
    const listed = c.columns.some((n) => sameName(n, column));
    if (c.kind === 'check' && named(c.tokens)) {
      const others = info.filter((o) => o.name !== column && mentionsColumn(c.tokens, o.name));
      if (others.length === 0) {
        native = false;
        continue;
      } // about this column alone (SQLAlchemy's Boolean/Enum CHECKs): it goes with it
      throw refuse(
        `the table-level ${describeConstraint(c)} uses it together with ${others.map((o) => JSON.stringify(o.name)).join(', ')}; rebuild the table with rebuildTable to rewrite the CHECK`,
      );
    }
    if (listed && c.columns.length > 1) throw refuse(`it is one of the columns of ${describeConstraint(c)}; dropping it would change what the constraint means`);
    if (listed) {
      native = false;
      continue;
    }
    if (c.kind === 'foreign key' && mentions(c.text)) native = false;
    kept.push(part);
  }

  const referencing = x.db
    .prepare(
      'SELECT s.name AS child, f."from" AS col, f."to" AS parent_col, f."table" AS parent FROM main.sqlite_schema s, pragma_foreign_key_list(s.name, \'main\') f WHERE s.type = \'table\'',
    )
    .all() as { child: string; col: string; parent_col: string | null; parent: string }[];
  for (const r of referencing) {
    if (!sameName(r.parent, table) || r.parent_col === null || !sameName(r.parent_col, column)) continue;
    if (r.child === table && sameName(r.col, column)) continue;
    throw refuse(`${JSON.stringify(r.child)}.${JSON.stringify(r.col)} REFERENCES it`);
  }

  const indexes = x.db
    .prepare("SELECT il.name, il.origin, s.sql FROM pragma_index_list(?, 'main') il LEFT JOIN main.sqlite_schema s ON s.type = 'index' AND s.name = il.name")
    .all(table) as { name: string; origin: string; sql: string | null }[];
  const dropIndexes: string[] = [];
  for (const index of indexes) {
    const keys = x.db.prepare("SELECT name FROM pragma_index_info(?, 'main')").all(index.name) as { name: string | null }[];
    const onColumn = keys.some((k) => k.name !== null && sameName(k.name, column));
    const all = index.sql === null ? [] : tokenizeSql(index.sql);
    const body = all.slice(all.findIndex((t) => t.text === '('));
    const inSql = index.sql !== null && named(body);
    if (!onColumn && !inSql) continue;
    native = false;
    if (index.origin !== 'c') continue; // UNIQUE constraints: decided above with their constraint
    const others = info.filter((c) => c.name !== column && mentionsColumn(body, c.name));
    if (others.length)
      throw refuse(`index ${JSON.stringify(index.name)} uses it together with ${others.map((c) => JSON.stringify(c.name)).join(', ')}; drop or rewrite the index first`);
    dropIndexes.push(index.name);
  }

  if (native) {
    const users = x.db.prepare("SELECT sql FROM main.sqlite_schema WHERE type IN ('view', 'trigger') AND sql IS NOT NULL").pluck().all() as string[];
    if (users.some(mentions)) native = false;
  }
  return { native, create: `${head} (${kept.join(', ')})${tail ? ' ' + tail : ''}`, dropIndexes };
}
