import { foldName, nameOrTextOf, tokenizeSql } from './sql-tokens';

/* A CREATE TABLE statement's parts: its column definitions and table constraints. */

/**
 * Splits the parenthesised body of a CREATE TABLE statement into its top-level parts
 * (column definitions and table constraints), each as source text. Returns the text before the
 * body, the parts and the text after it (e.g. `WITHOUT ROWID`).
 * Each part, and the head, runs from its first to its last token: comments between parts are
 * left out, so joining parts with `, ` can never leave a `--` comment swallowing a comma or the
 * closing parenthesis. Table constraints SQLite accepts without a separating comma
 * (`UNIQUE (a) CHECK (b > 0)`, parse.y `tconscomma`) are returned as separate parts, and so is a
 * bare `CONSTRAINT name` naming nothing.
 */
export function splitCreateTable(sql: string): { head: string; parts: string[]; tail: string } {
  const tokens = tokenizeSql(sql);
  const open = tokens.findIndex((t) => t.text === '(');
  if (open < 0) throw new Error(`not a CREATE TABLE with a column list: ${sql}`);
  const parts: string[] = [];
  let depth = 0;
  let first = open + 1;
  let close = -1;
  let inConstraints = false;
  const push = (from: number, to: number) => {
    parts.push(to > from ? sql.slice(tokens[from]!.start, tokens[to - 1]!.end) : '');
  };
  for (let k = open + 1; k < tokens.length; k++) {
    const t = tokens[k]!;
    if (t.text === '(') depth++;
    else if (t.text === ')') {
      if (depth === 0) {
        close = k;
        break;
      }
      depth--;
    } else if (t.text === ',' && depth === 0) {
      push(first, k);
      first = k + 1;
    } else if (depth === 0 && t.kind === 'word' && CONSTRAINT_STARTS.has(t.text)) {
      if (k === first) inConstraints = true;
      else if (inConstraints && !(t.text !== 'constraint' && k - first >= 2 && tokens[k - 2]!.kind === 'word' && tokens[k - 2]!.text === 'constraint')) {
        push(first, k);
        first = k;
      }
    }
  }
  if (close < 0) throw new Error(`unbalanced CREATE TABLE: ${sql}`);
  push(first, close);
  return { head: sql.slice(0, open > 0 ? tokens[open - 1]!.end : tokens[open]!.start), parts, tail: sql.slice(tokens[close]!.end).trim() };
}

const CONSTRAINT_STARTS = new Set(['constraint', 'primary', 'unique', 'check', 'foreign']);

/** The column name a CREATE TABLE part defines (folded as SQLite compares names), or null for a table constraint. */
export function columnNameOfPart(part: string): string | null {
  const name = columnOfPart(part);
  return name === null ? null : foldName(name);
}

/** The column a CREATE TABLE part defines, as spelled (unquoted, case kept), or null for a table constraint. */
export function columnOfPart(part: string): string | null {
  const first = tokenizeSql(part)[0];
  if (!first || (first.kind === 'word' && CONSTRAINT_STARTS.has(first.text))) return null;
  // SQLite takes a string literal as the name it spells where only a name can stand: `'a' INT` is column a.
  return nameOrTextOf(first);
}
