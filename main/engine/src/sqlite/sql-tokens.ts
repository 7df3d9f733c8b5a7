/**
 * A small SQLite tokenizer, enough to compare schema SQL independently of whitespace, keyword
 * case and identifier quoting, and to find identifiers inside CREATE statements. It never
 * executes anything and accepts any text (unknown characters become one-character tokens).
 */
export type TokenKind = 'word' | 'ident' | 'string' | 'blob' | 'number' | 'punct' | 'variable';

/** One token of SQL text, with where it stands in the source. */
export interface Token {
  kind: TokenKind;
  /** Normalised text: words and identifiers lower-cased and unquoted; strings keep their quotes. */
  text: string;
  /** Source text as written. */
  raw: string;
  start: number;
  end: number;
}

const WORD_START = /[A-Za-z_\u0080-\uffff]/;
const WORD_PART = /[A-Za-z0-9_$\u0080-\uffff]/;

/** Splits SQL into tokens, dropping whitespace and comments. Never throws: any text is accepted. */
export function tokenizeSql(sql: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const n = sql.length;
  while (i < n) {
    const c = sql[i]!;
    const start = i;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === '-' && sql[i + 1] === '-') {
      while (i < n && sql[i] !== '\n') i++;
      continue;
    }
    if (c === '/' && sql[i + 1] === '*') {
      const close = sql.indexOf('*/', i + 2);
      i = close < 0 ? n : close + 2;
      continue;
    }
    if (c === "'") {
      i = skipQuoted(sql, i, "'");
      const raw = sql.slice(start, i);
      tokens.push({ kind: 'string', text: raw, raw, start, end: i });
      continue;
    }
    if ((c === 'x' || c === 'X') && sql[i + 1] === "'") {
      i = skipQuoted(sql, i + 1, "'");
      const raw = sql.slice(start, i);
      tokens.push({ kind: 'blob', text: raw.toLowerCase(), raw, start, end: i });
      continue;
    }
    if (c === '"' || c === '`') {
      i = skipQuoted(sql, i, c);
      const raw = sql.slice(start, i);
      const inner = raw
        .slice(1, -1)
        .split(c + c)
        .join(c);
      tokens.push({ kind: 'ident', text: inner.toLowerCase(), raw, start, end: i });
      continue;
    }
    if (c === '[') {
      const close = sql.indexOf(']', i + 1);
      i = close < 0 ? n : close + 1;
      const raw = sql.slice(start, i);
      tokens.push({ kind: 'ident', text: raw.slice(1, -1).toLowerCase(), raw, start, end: i });
      continue;
    }
    if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(sql[i + 1] ?? ''))) {
      while (i < n && /[0-9A-Za-z_.]/.test(sql[i]!)) {
        if ((sql[i] === 'e' || sql[i] === 'E') && (sql[i + 1] === '+' || sql[i + 1] === '-')) i++;
        i++;
      }
      const raw = sql.slice(start, i);
      tokens.push({ kind: 'number', text: raw.toLowerCase(), raw, start, end: i });
      continue;
    }
    if (WORD_START.test(c)) {
      while (i < n && WORD_PART.test(sql[i]!)) i++;
      const raw = sql.slice(start, i);
      tokens.push({ kind: 'word', text: raw.toLowerCase(), raw, start, end: i });
      continue;
    }
    if (c === '?' || c === ':' || c === '@' || c === '$') {
      i++;
      while (i < n && WORD_PART.test(sql[i]!)) i++;
      const raw = sql.slice(start, i);
      tokens.push({ kind: 'variable', text: raw, raw, start, end: i });
      continue;
    }
    const two = sql.slice(i, i + 2);
    if (['||', '<=', '>=', '==', '!=', '<>', '<<', '>>', '->'].includes(two)) {
      i += sql.slice(i, i + 3) === '->>' ? 3 : 2;
    } else {
      i++;
    }
    const raw = sql.slice(start, i);
    tokens.push({ kind: 'punct', text: raw, raw, start, end: i });
  }
  return tokens;
}

function skipQuoted(sql: string, i: number, quote: string): number {
  let j = i + 1;
  while (j < sql.length) {
    if (sql[j] === quote) {
      if (sql[j + 1] === quote) {
        j += 2;
        continue;
      }
      return j + 1;
    }
    j++;
  }
  return sql.length;
}

/** Identifiers and bare words are interchangeable in a normalised form: both compare lower-cased. */
export function tokenName(token: Token): string | null {
  return token.kind === 'word' || token.kind === 'ident' ? token.text : null;
}

/**
 * Canonical text of a statement: tokens joined by single spaces, keywords and identifiers
 * lower-cased and unquoted, string literals kept exactly. Two statements SQLite would parse the
 * same way (up to quoting and case of names) normalise to the same text.
 */
export function normalizeSql(sql: string): string {
  return tokenizeSql(sql)
    .map((t) => t.text)
    .join(' ');
}

/** Quote an identifier for SQLite (always quoted, so any name is safe). */
export function quoteIdent(name: string): string {
  return '"' + name.replace(/"/g, '""') + '"';
}

/** Quote a text literal for SQLite. */
export function quoteString(value: string): string {
  return "'" + value.replace(/'/g, "''") + "'";
}

/** True when `sql` names `identifier` anywhere as a word or quoted identifier. */
export function sqlMentions(sql: string, identifier: string): boolean {
  const wanted = identifier.toLowerCase();
  return tokenizeSql(sql).some((t) => tokenName(t) === wanted);
}

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

/** The column name a CREATE TABLE part defines, or null for a table constraint. */
export function columnNameOfPart(part: string): string | null {
  const first = tokenizeSql(part)[0];
  if (!first) return null;
  if (first.kind === 'word' && CONSTRAINT_STARTS.has(first.text)) return null;
  return tokenName(first);
}

/**
 * A name folded the way SQLite compares identifiers: ASCII letters only (`sqlite3StrICmp`), so
 * `Items` = `ITEMS` but `É` ≠ `é`.
 */
export function foldName(name: string): string {
  return name.replace(/[A-Z]+/g, (s) => s.toLowerCase());
}

/** True when SQLite treats the two identifiers as the same name. */
export function sameName(a: string, b: string): boolean {
  return foldName(a) === foldName(b);
}

/** The identifier a word or quoted-identifier token spells, unquoted and with its case kept; null for other tokens. */
export function identifierOf(token: Token): string | null {
  if (token.kind === 'word') return token.raw;
  if (token.kind !== 'ident') return null;
  const q = token.raw[0]!;
  if (q === '[') return token.raw.slice(1, -1);
  return token.raw
    .slice(1, -1)
    .split(q + q)
    .join(q);
}

/** True when the token is a name (word or quoted identifier) SQLite would read as `name`. */
export function tokenIs(token: Token | undefined, name: string): boolean {
  const id = token ? identifierOf(token) : null;
  return id !== null && sameName(id, name);
}

/** The column a CREATE TABLE part defines, as spelled (unquoted, case kept), or null for a table constraint. */
export function columnOfPart(part: string): string | null {
  const first = tokenizeSql(part)[0];
  return first && columnNameOfPart(part) !== null ? identifierOf(first) : null;
}

/**
 * True when `tokens` (an expression, index or constraint) can refer to the column `name`: a word
 * or quoted identifier spelling it that is not a function name (followed by `(`) and not a
 * collation name (after COLLATE) and not a table or schema qualifier (followed by `.`), so
 * `lower(a)`, `a COLLATE nocase` and `k.b` do not mention columns named `lower`, `nocase` or `k`.
 */
export function mentionsColumn(tokens: readonly Token[], name: string): boolean {
  return tokens.some(
    (t, k) =>
      tokenIs(t, name) &&
      !(t.kind === 'word' && tokens[k + 1]?.text === '(') &&
      tokens[k + 1]?.text !== '.' &&
      !(tokens[k - 1]?.kind === 'word' && tokens[k - 1]!.text === 'collate'),
  );
}
