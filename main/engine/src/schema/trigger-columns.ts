import type { Connection } from '../sqlite/connection';
import { identifierOf, sameName, tokenizeSql, type Token } from '../sqlite/sql-tokens';
import type { ViewOrTrigger } from './views-and-triggers';

/** The names that reach a rowid table's rowid without being columns. */
const ROWID_NAMES = ['rowid', 'oid', '_rowid_'];
const word = (t: Token | undefined, w: string) => t?.kind === 'word' && t.text === w;

/** A qualified or plain table name at `k`: its last part and the index after it. */
function tableNameAt(tokens: readonly Token[], k: number): { name: string | null; schema: string | null; end: number } {
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
export function triggerColumnProblem(db: Connection, trigger: ViewOrTrigger): string | null {
  const tokens = tokenizeSql(trigger.sql);
  const columnsCache = new Map<string, string[] | null>();
  const columnsOf = (table: string, schema: string | null): string[] | null => {
    const key = `${schema ?? ''}.${table.toLowerCase()}`;
    if (!columnsCache.has(key)) {
      const inSchema = schema ?? (trigger.schema === 'temp' ? null : 'main');
      const rows = (
        inSchema === null
          ? db.prepare('SELECT name FROM pragma_table_xinfo(?)').pluck().all(table)
          : db.prepare('SELECT name FROM pragma_table_xinfo(?, ?)').pluck().all(table, inSchema)
      ) as string[];
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
    if (word(t, 'into') && insertTarget === null) {
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
function listNames(tokens: readonly Token[], k: number): string[] {
  const names: string[] = [];
  for (let j = k + 1; j < tokens.length && tokens[j]!.text !== ')'; j++) {
    const id = identifierOf(tokens[j]!);
    if (id !== null) names.push(id);
  }
  return names;
}

/** The columns assigned by `SET a = ..., (b, c) = ...` starting after SET. */
function assignedNames(tokens: readonly Token[], k: number): string[] {
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
