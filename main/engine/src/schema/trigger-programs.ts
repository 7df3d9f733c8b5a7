import type { Connection } from '../sqlite/connection';
import { quoteIdent, tokenizeSql, type Token } from '../sqlite/sql-tokens';
import { failsOnlyOnThisConnection, type ViewOrTrigger } from './views-and-triggers';

const word = (t: Token | undefined, w: string) => t?.kind === 'word' && t.text === w;

type TriggerEvent = 'insert' | 'update' | 'delete';

/** The event a CREATE TRIGGER statement fires on, or null when the statement cannot be read. */
function triggerEvent(sql: string): TriggerEvent | null {
  const tokens = tokenizeSql(sql);
  let k = tokens.findIndex((t) => word(t, 'trigger'));
  if (k < 0) return null;
  k++;
  if (word(tokens[k], 'if') && word(tokens[k + 1], 'not') && word(tokens[k + 2], 'exists')) k += 3;
  k += tokens[k + 1]?.text === '.' ? 3 : 1;
  if (word(tokens[k], 'before') || word(tokens[k], 'after')) k++;
  else if (word(tokens[k], 'instead') && word(tokens[k + 1], 'of')) k += 2;
  const event = tokens[k]?.text;
  return event === 'insert' || event === 'update' || event === 'delete' ? event : null;
}

/**
 * Compiles every trigger the way SQLite does when a statement that fires it is prepared: for each
 * table or view with triggers, `INSERT ... DEFAULT VALUES`, `UPDATE ... SET` every column and
 * `DELETE ... WHERE 0` are prepared, never run. Preparing codes each trigger's program, so what the
 * schema-wide resolution cannot see fails here: a body's `INSERT INTO log SELECT * FROM t` that
 * no longer has as many values as `log` has columns, a column missing from a target table.
 * @throws Error naming the trigger (or the triggers of that event) whose program no longer compiles.
 */
export function compileTriggerPrograms(db: Connection, triggers: ViewOrTrigger[], operation: string): void {
  const targets = new Map<string, { target: string; schema: 'main' | 'temp'; table: string; triggers: ViewOrTrigger[] }>();
  for (const t of triggers) {
    const schema =
      t.schema === 'main' || db.prepare("SELECT 1 FROM temp.sqlite_schema WHERE name = ? COLLATE NOCASE AND type IN ('table', 'view')").get(t.tbl_name) ? t.schema : 'main';
    const target = `${schema}.${quoteIdent(t.tbl_name)}`;
    const key = `${schema}.${t.tbl_name.toLowerCase()}`;
    if (!targets.has(key)) targets.set(key, { target, schema, table: t.tbl_name, triggers: [] });
    targets.get(key)!.triggers.push(t);
  }
  for (const { target, schema, table, triggers: own } of targets.values()) {
    // A view's duplicate result names are listed as `a:1`, which no statement can name: only columns that resolve are set.
    const columns = (db.prepare('SELECT name FROM pragma_table_xinfo(?, ?) WHERE hidden = 0').pluck().all(table, schema) as string[])
      .map(quoteIdent)
      .filter((c) => resolves(db, `SELECT ${c} FROM ${target} LIMIT 0`));
    const statements: Record<TriggerEvent, string> = {
      insert: `INSERT INTO ${target} DEFAULT VALUES`,
      update: `UPDATE ${target} SET ${columns.map((c) => `${c} = ${c}`).join(', ')} WHERE 0`,
      delete: `DELETE FROM ${target} WHERE 0`,
    };
    for (const event of ['insert', 'update', 'delete'] as const) {
      const firing = own.filter((t) => triggerEvent(t.sql) === event || triggerEvent(t.sql) === null);
      if (firing.length === 0 || (event === 'update' && columns.length === 0)) continue;
      try {
        db.prepare(statements[event]);
      } catch (error) {
        const message = (error as Error).message;
        if (failsOnlyOnThisConnection(message) || /because it is a view/.test(message)) continue;
        const names = firing.map((t) => JSON.stringify(t.name)).join(', ');
        throw new Error(
          `after ${operation}: trigger${firing.length > 1 ? 's' : ''} ${names} (${event.toUpperCase()} on ${JSON.stringify(table)}) no longer work${firing.length > 1 ? '' : 's'}: ${message}`,
          { cause: error },
        );
      }
    }
  }
}

/** True when `sql` prepares on `db`. */
function resolves(db: Connection, sql: string): boolean {
  try {
    db.prepare(sql);
    return true;
  } catch {
    return false;
  }
}
