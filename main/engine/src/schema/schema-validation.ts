import type { Connection } from '../sqlite/connection';
import { quoteIdent } from '../sqlite/sql-tokens';
import { assertFullTextContentReadable } from './full-text-content';
import { triggerColumnProblem } from './trigger-columns';
import { compileTriggerPrograms } from './trigger-programs';
import { failsOnlyOnThisConnection, viewsAndTriggers } from './views-and-triggers';

/**
 * Proves that every view and trigger (main and temp schema) still compiles against the current
 * schema, and throws naming the first that does not. SQLite accepts a view or trigger naming a
 * dropped column and fails only when it is used, so after a schema change:
 * - each view is prepared (`SELECT * FROM v LIMIT 0`);
 * - the whole schema is re-resolved the way ALTER TABLE RENAME does it (a scratch table is created,
 *   renamed and dropped, with legacy_alter_table off): that resolves trigger WHEN clauses and
 *   bodies, `new.`/`old.` columns, views on views and INSTEAD OF triggers;
 * - what that resolution skips is checked here: the columns of `UPDATE OF`, of `UPDATE ... SET`
 *   (and upsert `DO UPDATE SET`) and of `INSERT INTO t (columns)` must exist in their table
 *   (trigger-columns.ts), and every trigger's program must still compile (trigger-programs.ts);
 * - every FTS4/FTS5 external-content index must still read its content table: SQLite rewrites
 *   neither its `content=` table nor its column names on ALTER TABLE, so a dropped or renamed
 *   column, a renamed table or a rowid that is gone (WITHOUT ROWID) breaks every later search
 *   (full-text-content.ts).
 * Nothing of this is logged or kept: it runs on the connection directly, inside the caller's
 * transaction (the scratch table is gone again afterwards).
 * @throws Error `after <operation>: view|trigger|full-text index "name" ...` for the first object that fails.
 */
export function assertSchemaCompiles(db: Connection, operation: string): void {
  assertFullTextContentReadable(db, operation);
  const objects = viewsAndTriggers(db);
  if (objects.length === 0) return;
  for (const v of objects.filter((o) => o.type === 'view')) {
    try {
      db.prepare(`SELECT * FROM ${v.schema}.${quoteIdent(v.name)} LIMIT 0`);
    } catch (error) {
      const message = (error as Error).message;
      if (!failsOnlyOnThisConnection(message)) throw new Error(`after ${operation}: view ${JSON.stringify(v.name)} no longer works: ${message}`);
    }
  }
  resolveWholeSchema(db, operation);
  for (const t of objects.filter((o) => o.type === 'trigger')) {
    const problem = triggerColumnProblem(db, t);
    if (problem) throw new Error(`after ${operation}: trigger ${JSON.stringify(t.name)} no longer works: ${problem}`);
  }
  compileTriggerPrograms(
    db,
    objects.filter((o) => o.type === 'trigger'),
    operation,
  );
}

/** Runs SQLite's own schema-wide resolution (the check ALTER TABLE RENAME makes) on a scratch table. */
function resolveWholeSchema(db: Connection, operation: string): void {
  const taken = new Set((db.prepare('SELECT name FROM main.sqlite_schema').pluck().all() as string[]).map((n) => n.toLowerCase()));
  let n = 1;
  while (taken.has(`fieldbook_schema_probe_${n}`) || taken.has(`fieldbook_schema_probe_${n}_renamed`)) n++;
  const probe = `fieldbook_schema_probe_${n}`;
  const legacy = db.pragma('legacy_alter_table', { simple: true }) as number;
  if (legacy) db.pragma('legacy_alter_table = OFF');
  db.exec(`CREATE TABLE main.${quoteIdent(probe)} (x)`);
  try {
    db.exec(`ALTER TABLE main.${quoteIdent(probe)} RENAME TO ${quoteIdent(`${probe}_renamed`)}`);
  } catch (error) {
    db.exec(`DROP TABLE main.${quoteIdent(probe)}`);
    throw schemaError(error, operation);
  } finally {
    if (legacy) db.pragma('legacy_alter_table = ON');
  }
  db.exec(`DROP TABLE main.${quoteIdent(`${probe}_renamed`)}`);
}

/**
 * SQLite's "error in trigger X[ after drop column]: ..." (from ALTER TABLE's schema check) as
 * `after <operation>: trigger "X" no longer works: ...`; other errors are returned unchanged.
 */
export function schemaError(error: unknown, operation: string): Error {
  const message = error instanceof Error ? error.message : String(error);
  const named = /^error in (view|trigger) (.+?)(?: after (?:rename|drop column))?: (.*)$/s.exec(message);
  if (!named) return error instanceof Error ? error : new Error(message);
  return new Error(`after ${operation}: ${named[1]} ${JSON.stringify(named[2])} no longer works: ${named[3]}`, { cause: error });
}
