import type { SqlExecutor } from '../sqlite/sql-executor';
import { sameName } from '../sqlite/sql-tokens';

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
