import { quoteIdent, tokenIs, tokenName, tokenizeSql } from '../sqlite/sql-tokens';

/**
 * A stored CREATE INDEX / TRIGGER / VIEW statement with its object name qualified `main.`, so it is
 * recreated in the main schema against the main table even when the connection has a TEMP table
 * of the same name (an unqualified trigger or index would attach to that one).
 */
export function inMainSchema(sql: string): string {
  const tokens = tokenizeSql(sql);
  let k = tokens.findIndex((t) => t.kind === 'word' && (t.text === 'index' || t.text === 'trigger' || t.text === 'view'));
  if (k < 0) return sql;
  k++;
  if (tokens[k]?.text === 'if' && tokens[k + 1]?.text === 'not' && tokens[k + 2]?.text === 'exists') k += 3;
  const name = tokens[k];
  if (!name || tokens[k + 1]?.text === '.') return sql;
  return sql.slice(0, name.start) + 'main.' + sql.slice(name.start);
}

/**
 * The CREATE TABLE statement with every `table.column` qualifier in its body (a CHECK may write
 * `CHECK (t.a <> t.b)`, and `main.t.a`) naming `to` instead of `table`, so the copy created under
 * a temporary name accepts it; SQLite's RENAME TO then writes the table's own name back.
 * Schema names (`main.` before `t.`), REFERENCES targets and string literals are left alone.
 */
export function withQualifiersRenamed(createSql: string, table: string, to: string): string {
  const tokens = tokenizeSql(createSql);
  const open = tokens.findIndex((t) => t.text === '(');
  let out = '';
  let at = 0;
  for (let k = Math.max(open, 0) + 1; k < tokens.length; k++) {
    const t = tokens[k]!;
    if (!tokenIs(t, table) || tokens[k + 1]?.text !== '.' || tokens[k + 2] === undefined || tokens[k + 3]?.text === '.') continue;
    out += createSql.slice(at, t.start) + quoteIdent(to);
    at = t.end;
  }
  return out + createSql.slice(at);
}

/** Replaces the table name in a CREATE TABLE statement (qualified with `schema` when given). */
export function withTableName(createSql: string, name: string, schema?: string): string {
  const tokens = tokenizeSql(createSql);
  let k = tokens.findIndex((t) => t.kind === 'word' && t.text === 'table');
  if (k < 0) throw new Error(`not a CREATE TABLE statement: ${createSql}`);
  k++;
  if (tokens[k]?.text === 'if' && tokens[k + 1]?.text === 'not' && tokens[k + 2]?.text === 'exists') k += 3;
  const nameToken = tokens[k];
  if (!nameToken || tokenName(nameToken) === null) throw new Error(`CREATE TABLE without a name: ${createSql}`);
  let end = nameToken.end;
  if (tokens[k + 1]?.text === '.' && tokens[k + 2]) end = tokens[k + 2]!.end;
  return createSql.slice(0, nameToken.start) + (schema ? `${schema}.` : '') + quoteIdent(name) + createSql.slice(end);
}
