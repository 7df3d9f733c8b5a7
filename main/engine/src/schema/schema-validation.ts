import type { Connection } from '../sqlite/connection';
import { identifierOf, quoteIdent, sameName, tokenizeSql, type Token } from '../sqlite/sql-tokens';

interface SchemaObject {
  schema: 'main' | 'temp';
  type: 'view' | 'trigger';
  name: string;
  tbl_name: string;
  sql: string;
}

/** Errors that say the object cannot be used on this connection, not that the schema broke it. */
const NOT_A_SCHEMA_PROBLEM = /no such function|unsafe use of/i;

/**
 * Proves that every view and trigger (main and temp schema) still compiles against the current
 * schema, and throws naming the first that does not. SQLite accepts a view or trigger naming a
 * dropped column and fails only when it is used, so after a schema change:
 * - each view is prepared (`SELECT * FROM v LIMIT 0`);
 * - the whole schema is re-resolved the way ALTER TABLE RENAME does it (a scratch table is created,
 *   renamed and dropped, with legacy_alter_table off): that resolves trigger WHEN clauses and
 *   bodies, `new.`/`old.` columns, views on views and INSTEAD OF triggers;
 * - what that resolution skips is checked here: the columns of `UPDATE OF`, of `UPDATE ... SET`
 *   (and upsert `DO UPDATE SET`) and of `INSERT INTO t (columns)` must exist in their table.
 * Nothing of this is logged or kept: it runs on the connection directly, inside the caller's
 * transaction (the scratch table is gone again afterwards).
 * - every FTS4/FTS5 external-content index must still read its content table: SQLite rewrites
 *   neither its `content=` table nor its column names on ALTER TABLE, so a dropped or renamed
 *   column, a renamed table or a rowid that is gone (WITHOUT ROWID) breaks every later search.
 * @throws Error `after <operation>: view|trigger|full-text index "name" ...` for the first object that fails.
 */
export function assertSchemaCompiles(db: Connection, operation: string): void {
  assertFullTextContentReadable(db, operation);
  const objects = db.prepare(
    "SELECT 'main' AS schema, type, name, tbl_name, sql FROM main.sqlite_schema WHERE type IN ('view', 'trigger') AND sql IS NOT NULL " +
    "UNION ALL SELECT 'temp', type, name, tbl_name, sql FROM temp.sqlite_schema WHERE type IN ('view', 'trigger') AND sql IS NOT NULL",
  ).all() as SchemaObject[];
  if (objects.length === 0) return;
  for (const v of objects.filter((o) => o.type === 'view')) {
    try {
      db.prepare(`SELECT * FROM ${v.schema}.${quoteIdent(v.name)} LIMIT 0`);
    } catch (error) {
      const message = (error as Error).message;
      if (!NOT_A_SCHEMA_PROBLEM.test(message)) throw new Error(`after ${operation}: view ${JSON.stringify(v.name)} no longer works: ${message}`);
    }
  }
  resolveWholeSchema(db, operation);
  for (const t of objects.filter((o) => o.type === 'trigger')) {
    const problem = triggerColumnProblem(db, t);
    if (problem) throw new Error(`after ${operation}: trigger ${JSON.stringify(t.name)} no longer works: ${problem}`);
  }
  compileTriggerPrograms(db, objects.filter((o) => o.type === 'trigger'), operation);
}

/**
 * The content table, its rowid column and the columns an FTS4/FTS5 external-content index reads
 * (`CREATE VIRTUAL TABLE f USING fts5(a, b UNINDEXED, content='t', content_rowid='id')`); null
 * for other virtual tables and for FTS indexes that keep their own content or none (`content=''`).
 */
export function fullTextContent(sql: string): { module: string; content: string; rowid: string; columns: string[] } | null {
  const tokens = tokenizeSql(sql);
  const using = tokens.findIndex((t) => word(t, 'using'));
  const module = tokens[using + 1]?.text;
  if (using < 0 || (module !== 'fts5' && module !== 'fts4') || tokens[using + 2]?.text !== '(') return null;
  const args: Token[][] = [[]];
  let depth = 0;
  for (const t of tokens.slice(using + 3)) {
    if (t.text === '(') depth++;
    else if (t.text === ')' && depth-- === 0) break;
    if (t.text === ',' && depth === 0) args.push([]);
    else args[args.length - 1]!.push(t);
  }
  const options = new Map<string, string>();
  const columns: string[] = [];
  const value = (t: Token): string => (t.kind === 'string' ? t.raw.slice(1, -1).split("''").join("'") : identifierOf(t) ?? t.raw);
  for (const arg of args) {
    if (arg.length === 0) continue;
    if (arg[1]?.text === '=' && arg[2] && arg[0]!.kind === 'word') options.set(arg[0]!.text, value(arg[2]));
    else if (word(arg[0], 'tokenize')) continue; // FTS3/FTS4 also accept `tokenize porter` without `=`
    else if (identifierOf(arg[0]!) !== null || arg[0]!.kind === 'string') columns.push(value(arg[0]!));
  }
  const content = options.get('content');
  if (!content) return null;
  const languageId = module === 'fts4' ? options.get('languageid') : undefined; // FTS4 reads it from the content table too
  return { module, content, rowid: module === 'fts5' ? options.get('content_rowid') ?? 'rowid' : 'rowid', columns: languageId ? [...columns, languageId] : columns };
}

/**
 * Prepares, for every FTS4/FTS5 external-content index of the main schema, the read it makes of
 * its content table (its rowid and each of its columns by name).
 * @throws Error naming the index and what it can no longer read.
 */
function assertFullTextContentReadable(db: Connection, operation: string): void {
  const virtuals = db.prepare(
    "SELECT name, sql FROM main.sqlite_schema WHERE type = 'table' AND sql LIKE 'CREATE VIRTUAL TABLE%'",
  ).all() as { name: string; sql: string }[];
  for (const v of virtuals) {
    const fts = fullTextContent(v.sql);
    if (fts === null) continue;
    const read = [fts.rowid, ...fts.columns].map(quoteIdent).join(', ');
    try {
      db.prepare(`SELECT ${read} FROM main.${quoteIdent(fts.content)} LIMIT 0`);
    } catch (error) {
      throw new Error(`after ${operation}: full-text index ${JSON.stringify(v.name)} no longer works: it reads ${[fts.rowid, ...fts.columns].map((c) => JSON.stringify(c)).join(', ')} ` +
        `of its content table ${JSON.stringify(fts.content)} (${(error as Error).message}); SQLite does not rewrite a full-text index on ALTER TABLE`, { cause: error });
    }
  }
}

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
function compileTriggerPrograms(db: Connection, triggers: SchemaObject[], operation: string): void {
  const targets = new Map<string, { target: string; schema: 'main' | 'temp'; table: string; triggers: SchemaObject[] }>();
  for (const t of triggers) {
    const schema = t.schema === 'main' || db.prepare('SELECT 1 FROM temp.sqlite_schema WHERE name = ? COLLATE NOCASE AND type IN (\'table\', \'view\')').get(t.tbl_name) ? t.schema : 'main';
    const target = `${schema}.${quoteIdent(t.tbl_name)}`;
    const key = `${schema}.${t.tbl_name.toLowerCase()}`;
    if (!targets.has(key)) targets.set(key, { target, schema, table: t.tbl_name, triggers: [] });
    targets.get(key)!.triggers.push(t);
  }
  for (const { target, schema, table, triggers: own } of targets.values()) {
    // A view's duplicate result names are listed as `a:1`, which no statement can name: only columns that resolve are set.
    const columns = (db.prepare('SELECT name FROM pragma_table_xinfo(?, ?) WHERE hidden = 0').pluck().all(table, schema) as string[])
      .map(quoteIdent).filter((c) => resolves(db, `SELECT ${c} FROM ${target} LIMIT 0`));
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
        if (NOT_A_SCHEMA_PROBLEM.test(message) || /because it is a view/.test(message)) continue;
        const names = firing.map((t) => JSON.stringify(t.name)).join(', ');
        throw new Error(`after ${operation}: trigger${firing.length > 1 ? 's' : ''} ${names} (${event.toUpperCase()} on ${JSON.stringify(table)}) no longer work${firing.length > 1 ? '' : 's'}: ${message}`, { cause: error });
      }
    }
  }
}

function resolves(db: Connection, sql: string): boolean {
  try {
    db.prepare(sql);
    return true;
  } catch {
    return false;
  }
}

/**
 * The result columns of every view that can be prepared now (main and temp schema), by
 * `schema.name`. Compare with `assertViewsKeepColumns` after an operation.
 */
export function viewColumns(db: Connection): Map<string, string[]> {
  const views = db.prepare(
    "SELECT 'main' AS schema, name FROM main.sqlite_schema WHERE type = 'view' UNION ALL SELECT 'temp', name FROM temp.sqlite_schema WHERE type = 'view'",
  ).all() as { schema: string; name: string }[];
  const result = new Map<string, string[]>();
  for (const v of views) {
    try {
      result.set(`${v.schema}.${v.name}`, db.prepare(`SELECT * FROM ${v.schema}.${quoteIdent(v.name)} LIMIT 0`).columns().map((c) => c.name));
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
      throw new Error(`after ${operation}: view ${JSON.stringify(name)} would lose its column ${JSON.stringify(lost)} ` +
        '(it selects * from the table); rewrite the view to name its columns first');
    }
  }
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
    const message = (error as Error).message;
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

const ROWID_NAMES = ['rowid', 'oid', '_rowid_'];
const word = (t: Token | undefined, w: string) => t?.kind === 'word' && t.text === w;

/** A qualified or plain table name at `k`: its last part and the index after it. */
function tableNameAt(tokens: Token[], k: number): { name: string | null; schema: string | null; end: number } {
  const first = tokens[k] ? identifierOf(tokens[k]!) : null;
  if (first === null) return { name: null, schema: null, end: k };
  if (tokens[k + 1]?.text === '.' && tokens[k + 2]) return { name: identifierOf(tokens[k + 2]!), schema: first, end: k + 3 };
  return { name: first, schema: null, end: k + 1 };
}

/**
 * The columns a trigger names in places SQLite resolves only when the trigger fires: UPDATE OF,
 * UPDATE/upsert SET targets, INSERT column lists. Returns a description of the first column that
 * its table does not have, or null.
 */
function triggerColumnProblem(db: Connection, trigger: SchemaObject): string | null {
  const tokens = tokenizeSql(trigger.sql);
  const columnsCache = new Map<string, string[] | null>();
  const columnsOf = (table: string, schema: string | null): string[] | null => {
    const key = `${schema ?? ''}.${table.toLowerCase()}`;
    if (!columnsCache.has(key)) {
      const inSchema = schema ?? (trigger.schema === 'temp' ? null : 'main');
      const rows = (inSchema === null
        ? db.prepare('SELECT name FROM pragma_table_xinfo(?)').pluck().all(table)
        : db.prepare('SELECT name FROM pragma_table_xinfo(?, ?)').pluck().all(table, inSchema)) as string[];
      columnsCache.set(key, rows.length ? rows : null);
    }
    return columnsCache.get(key)!;
  };
  const missing = (table: string, schema: string | null, names: string[], where: string): string | null => {
    const columns = columnsOf(table, schema);
    if (!columns) return null;
    for (const name of names) {
      if (columns.some((c) => sameName(c, name))) continue;
      if (ROWID_NAMES.some((r) => sameName(r, name))) continue;
      return `no such column: ${table}.${name} (in ${where})`;
    }
    return null;
  };
  const begin = tokens.findIndex((t) => word(t, 'begin'));
  if (begin < 0) return null;
  const of = tokens.findIndex((t, i) => i < begin && word(t, 'of') && word(tokens[i - 1], 'update'));
  if (of >= 0) {
    const names: string[] = [];
    for (let j = of + 1; j < begin && !word(tokens[j], 'on'); j++) {
      const id = identifierOf(tokens[j]!);
      if (id !== null && tokens[j]!.text !== ',') names.push(id);
    }
    const problem = missing(trigger.tbl_name, null, names, 'UPDATE OF');
    if (problem) return problem;
  }
  let insertTarget: { name: string; schema: string | null } | null = null;
  for (let k = begin + 1; k < tokens.length; k++) {
    const t = tokens[k]!;
    if (t.text === ';') insertTarget = null;
    if (word(t, 'into') && (insertTarget === null)) {
      const target = tableNameAt(tokens, k + 1);
      if (target.name === null) continue;
      insertTarget = { name: target.name, schema: target.schema };
      let j = target.end;
      if (word(tokens[j], 'as')) j += 2;
      if (tokens[j]?.text === '(') {
        const names = listNames(tokens, j);
        const problem = missing(target.name, target.schema, names, 'INSERT column list');
        if (problem) return problem;
      }
    } else if (word(t, 'update') && !word(tokens[k - 1], 'on') && !word(tokens[k + 1], 'of')) {
      let target: { name: string | null; schema: string | null; end: number };
      if (word(tokens[k - 1], 'do')) {
        if (!insertTarget) continue;
        target = { ...insertTarget, end: k + 1 };
      } else {
        let j = k + 1;
        if (word(tokens[j], 'or')) j += 2;
        target = tableNameAt(tokens, j);
      }
      if (target.name === null) continue;
      const set = tokens.findIndex((x, i) => i >= target.end && word(x, 'set'));
      if (set < 0) continue;
      const problem = missing(target.name, target.schema, assignedNames(tokens, set + 1), 'UPDATE ... SET');
      if (problem) return problem;
    }
  }
  return null;
}

/** The names of a parenthesised list `(a, "b", c)` starting at `k`. */
function listNames(tokens: Token[], k: number): string[] {
  const names: string[] = [];
  for (let j = k + 1; j < tokens.length && tokens[j]!.text !== ')'; j++) {
    const id = identifierOf(tokens[j]!);
    if (id !== null) names.push(id);
  }
  return names;
}

/** The columns assigned by `SET a = ..., (b, c) = ...` starting after SET. */
function assignedNames(tokens: Token[], k: number): string[] {
  const names: string[] = [];
  let depth = 0;
  let expectTarget = true;
  for (let j = k; j < tokens.length; j++) {
    const t = tokens[j]!;
    if (depth === 0 && (t.text === ';' || word(t, 'from') || word(t, 'where') || word(t, 'returning'))) break;
    if (expectTarget && depth === 0) {
      if (t.text === '(') {
        names.push(...listNames(tokens, j));
        while (j < tokens.length && tokens[j]!.text !== ')') j++;
      } else {
        const id = identifierOf(t);
        if (id !== null) names.push(id);
      }
      expectTarget = false;
      continue;
    }
    if (t.text === '(' || word(t, 'case')) depth++;
    else if (t.text === ')' || word(t, 'end')) {
      if (--depth < 0) break;
    } else if (t.text === ',' && depth === 0) expectTarget = true;
  }
  return names;
}
