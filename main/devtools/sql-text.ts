import { quoteIdent, quoteString, tokenizeSql, type Token } from '@fieldbook/engine/tooling';

/**
 * Canonical SQL text for comparing schemas semantically (types, defaults, CHECK and index
 * expressions), and the small renderers that write SQL and TypeScript literals into generated
 * migrations.
 */

/** Tokens joined so that `varchar ( 255 )` and `VARCHAR(255)` read the same: `VARCHAR(255)`. */
function joinTokens(tokens: readonly Token[], text: (t: Token) => string): string {
  let out = '';
  let previous: Token | undefined;
  for (const t of tokens) {
    const tight = previous === undefined || t.text === '(' || t.text === ')' || t.text === ',' || previous.text === '(';
    out += (tight ? '' : ' ') + text(t);
    if (t.text === ',') out += ' ';
    previous = t;
  }
  return out.replace(/ {2,}/g, ' ').trim();
}

/**
 * A declared column type as SQLite records it, canonical: upper case, single spaces, no spaces
 * inside the parentheses (`varchar( 255 )` → `VARCHAR(255)`); `''` for an untyped column.
 */
export function canonicalType(declared: string | null | undefined): string {
  if (!declared) return '';
  return joinTokens(tokenizeSql(declared), (t) => t.raw.toUpperCase())
    .replace(/\(\s+/g, '(')
    .replace(/, /g, ',');
}

/** SQLite's column affinity of a declared type (sqlite.org/datatype3.html, section 3.1). */
export function typeAffinity(declared: string): 'INTEGER' | 'TEXT' | 'BLOB' | 'REAL' | 'NUMERIC' {
  const t = declared.toUpperCase();
  if (t.includes('INT')) return 'INTEGER';
  if (t.includes('CHAR') || t.includes('CLOB') || t.includes('TEXT')) return 'TEXT';
  if (t.includes('BLOB') || t === '') return 'BLOB';
  if (t.includes('REAL') || t.includes('FLOA') || t.includes('DOUB')) return 'REAL';
  return 'NUMERIC';
}

/** Removes parentheses that enclose the whole token list (`((x))` → `x`). */
function unwrap(tokens: readonly Token[]): readonly Token[] {
  for (;;) {
    if (tokens.length < 2 || tokens[0]!.text !== '(' || tokens.at(-1)!.text !== ')') return tokens;
    let depth = 0;
    for (let k = 0; k < tokens.length; k++) {
      if (tokens[k]!.text === '(') depth++;
      else if (tokens[k]!.text === ')') depth--;
      if (depth === 0 && k < tokens.length - 1) return tokens;
    }
    tokens = tokens.slice(1, -1);
  }
}

/**
 * Canonical text of an SQL expression (a DEFAULT, a CHECK, an index expression or WHERE):
 * insensitive to whitespace, comments, keyword and identifier case, identifier quoting and
 * parentheses around the whole expression; string literals compare exactly.
 */
export function canonicalExpression(sql: string | null | undefined): string | null {
  if (sql === null || sql === undefined) return null;
  const tokens = unwrap(tokenizeSql(sql));
  return tokens.length ? tokens.map((t) => t.text).join(' ') : null;
}

/** The expression without parentheses around the whole of it, as written. */
export function withoutOuterParens(sql: string): string {
  const tokens = unwrap(tokenizeSql(sql));
  if (!tokens.length) return '';
  return sql.slice(tokens[0]!.start, tokens.at(-1)!.end);
}

const LITERAL_WORDS = new Set(['null', 'true', 'false', 'current_time', 'current_date', 'current_timestamp']);

/**
 * True for a DEFAULT that SQLite accepts without parentheses: a number (optionally signed), a
 * string or blob literal, NULL, TRUE, FALSE or CURRENT_TIME/DATE/TIMESTAMP.
 */
export function isLiteralDefault(sql: string): boolean {
  const tokens = tokenizeSql(sql);
  const rest = tokens[0] && (tokens[0].text === '-' || tokens[0].text === '+') ? tokens.slice(1) : tokens;
  if (rest.length !== 1) return false;
  const t = rest[0]!;
  if (t.kind === 'number') return true;
  if (rest.length !== tokens.length) return false;
  return t.kind === 'string' || t.kind === 'blob' || (t.kind === 'word' && LITERAL_WORDS.has(t.text));
}

/**
 * True when ALTER TABLE ADD COLUMN accepts the default: a literal other than CURRENT_* (SQLite
 * refuses those and any expression in parentheses for an added column).
 */
export function isConstantDefault(sql: string): boolean {
  return isLiteralDefault(sql) && !/^current_/i.test(sql.trim());
}

/** The DEFAULT clause's value as it must be written: literals bare, expressions in parentheses. */
export function renderDefault(sql: string): string {
  const inner = withoutOuterParens(sql);
  return isLiteralDefault(inner) ? inner : `(${inner})`;
}

/** SQLite's keywords (sqlite.org/lang_keywords.html): names that must be quoted. */
const KEYWORDS = new Set(
  (
    'abort action add after all alter always analyze and as asc attach autoincrement before begin between by cascade case ' +
    'cast check collate column commit conflict constraint create cross current current_date current_time current_timestamp ' +
    'database default deferrable deferred delete desc detach distinct do drop each else end escape except exclude exclusive ' +
    'exists explain fail filter first following for foreign from full generated glob group groups having if ignore immediate ' +
    'in index indexed initially inner insert instead intersect into is isnull join key last left like limit match materialized ' +
    'natural no not nothing notnull null nulls of offset on or order others outer over partition plan pragma preceding primary ' +
    'query raise range recursive references regexp reindex release rename replace restrict returning right rollback row rows ' +
    'savepoint select set table temp temporary then ties to transaction trigger unbounded union unique update using vacuum ' +
    'values view virtual when where window with without'
  ).split(' '),
);

/** A name as written in generated SQL: bare when it is a plain identifier and no keyword, else quoted. */
export function sqlName(name: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) && !KEYWORDS.has(name.toLowerCase()) ? name : quoteIdent(name);
}

export { quoteString };

/**
 * A TypeScript string literal holding `text`: single-quoted for one line, a template literal
 * (backticks, `${` and backslashes escaped) for several, as the hand-written migrations do.
 */
export function jsString(text: string): string {
  if (!text.includes('\n')) return `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\r/g, '\\r')}'`;
  return '`' + text.replace(/\\/g, '\\\\').replace(/`/g, '\\`').replace(/\$\{/g, '\\${') + '`';
}
