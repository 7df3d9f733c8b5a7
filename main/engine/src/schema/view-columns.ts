import type { Connection } from '../sqlite/connection';
import { quoteIdent, sameName } from '../sqlite/sql-tokens';

/**
 * The result columns of every view that can be prepared now (main and temp schema), by
 * `schema.name`. Compare with `assertViewsKeepColumns` after an operation.
 */
export function viewColumns(db: Connection): Map<string, string[]> {
  const views = db
    .prepare("SELECT 'main' AS schema, name FROM main.sqlite_schema WHERE type = 'view' UNION ALL SELECT 'temp', name FROM temp.sqlite_schema WHERE type = 'view'")
    .all() as { schema: string; name: string }[];
  const result = new Map<string, string[]>();
  for (const v of views) {
    try {
      result.set(
        `${v.schema}.${v.name}`,
        db
          .prepare(`SELECT * FROM ${v.schema}.${quoteIdent(v.name)} LIMIT 0`)
          .columns()
          .map((c) => c.name),
      );
    } catch {
      // A view that cannot be prepared before the operation is not the operation's doing.
    }
  }
  return result;
}

/**
 * Refuses an operation that took result columns away from a view: a view written `SELECT *`
 * (or `t.*`) still compiles after one of its table's columns is dropped, but it silently means
 * something else (and code reading that column breaks).
 * @throws Error `after <operation>: view "v" would lose its column "c" ...`.
 */
export function assertViewsKeepColumns(db: Connection, before: Map<string, string[]>, operation: string): void {
  const after = viewColumns(db);
  for (const [key, columns] of before) {
    const now = after.get(key);
    if (now === undefined) continue;
    const lost = columns.find((c) => !now.some((n) => sameName(n, c)));
    if (lost !== undefined) {
      const name = key.slice(key.indexOf('.') + 1);
      throw new Error(
        `after ${operation}: view ${JSON.stringify(name)} would lose its column ${JSON.stringify(lost)} ` +
          '(it selects * from the table); rewrite the view to name its columns first',
      );
    }
  }
}
