/**
 * A small SQLite tokenizer, enough to compare schema SQL independently of whitespace, keyword
 * case and identifier quoting, and to find identifiers inside CREATE statements. It never
 * executes anything and accepts any text (unknown characters become one-character tokens).
 */
export type TokenKind = 'word' | 'ident' | 'string' | 'blob' | 'number' | 'punct' | 'variable';

/** One token of SQL text, with where it stands in the source. */
export interface Token {
  readonly kind: TokenKind;
  /** Normalised text: words and identifiers lower-cased and unquoted; strings keep their quotes. */
  readonly text: string;
  /** Source text as written. */
  readonly raw: string;
  readonly start: number;
  readonly end: number;
}

const WORD_START = /[A-Za-z_\u0080-\uffff]/;
// The rest of a run, from a position (sticky): whitespace, a word's or variable's characters, a
// number's (an exponent's sign included). Whole runs at once, not a test per character: the
// tokenizer runs cold in every process that checks a schema. Whitespace is SQLite's (tokenize.c):
// a run starts with a space, tab, newline, form feed or carriage return and goes on through
// those and vertical tabs (sqlite3Isspace), and a byte-order mark (U+FEFF) where a token would
// start is whitespace too; a vertical tab anywhere else is an illegal character. Every other
// character from U+0080 on, the Unicode spaces (U+00A0, U+2028, U+3000, ...) included, and a
// byte-order mark inside a word, belongs to an identifier: in `a INTEGER, \u00a0b TEXT` the
// second column is named `\u00a0b`, not `b`.
const SPACE_RUN = /(?:[ \t\n\f\r][ \t\n\v\f\r]*|\ufeff)+/y;
const WORD_RUN = /[A-Za-z0-9_$\u0080-\uffff]*/y;
const NUMBER_RUN = /(?:[eE][+-]|[0-9A-Za-z_.])*/y;
const HEX_RUN = /[0-9A-Za-z_]*/y;
const DIGIT = /[0-9]/;
// foldName's: most names have no capital letter, most others no character beyond ASCII, and a
// replace with a callback costs far more than a test and toLowerCase.
const CAPITAL = /[A-Z]/;
const CAPITALS = /[A-Z]+/g;
const OPERATORS = new Set(['||', '<=', '>=', '==', '!=', '<>', '<<', '>>', '->']);

/** Where the run `pattern` matches from `i` ends in `sql`. */
function runEnd(pattern: RegExp, sql: string, i: number): number {
  pattern.lastIndex = i;
  return pattern.test(sql) ? pattern.lastIndex : i;
}

/**
 * The tokens of texts already split, by text: an upgrade reads the same CREATE statements in
 * several of its checks (the table rebuild, its plan, the dependants), each in a cold process.
 * Only texts up to REMEMBERED_LENGTH (schema SQL; not the statements of a migration's data), and
 * at most REMEMBERED_TEXTS of them. The lists are frozen: callers share them.
 */
const tokenized = new Map<string, readonly Token[]>();
const REMEMBERED_LENGTH = 4096;
const REMEMBERED_TEXTS = 256;

/** Splits SQL into tokens, dropping whitespace and comments. Never throws: any text is accepted. */
export function tokenizeSql(sql: string): readonly Token[] {
  if (sql.length > REMEMBERED_LENGTH) return splitSql(sql);
  let tokens = tokenized.get(sql);
  if (tokens === undefined) {
    if (tokenized.size >= REMEMBERED_TEXTS) tokenized.clear();
    tokens = Object.freeze(splitSql(sql));
    tokenized.set(sql, tokens);
  }
  return tokens;
}

/** tokenizeSql's work. */
function splitSql(sql: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const n = sql.length;
  const push = (kind: TokenKind, text: string, raw: string, start: number) => tokens.push({ kind, text, raw, start, end: i });
  while (i < n) {
    const spaces = runEnd(SPACE_RUN, sql, i);
    if (spaces > i) {
      i = spaces;
      continue;
    }
    const c = sql[i]!;
    const start = i;
    if (c === '-' && sql[i + 1] === '-') {
      const newline = sql.indexOf('\n', i);
      i = newline < 0 ? n : newline;
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
      push('string', raw, raw, start);
      continue;
    }
    if ((c === 'x' || c === 'X') && sql[i + 1] === "'") {
      i = skipQuoted(sql, i + 1, "'");
      const raw = sql.slice(start, i);
      push('blob', raw.toLowerCase(), raw, start);
      continue;
    }
    if (c === '"' || c === '`') {
      i = skipQuoted(sql, i, c);
      const raw = sql.slice(start, i);
      const inner = raw
        .slice(1, -1)
        .split(c + c)
        .join(c);
      push('ident', foldName(inner), raw, start);
      continue;
    }
    if (c === '[') {
      const close = sql.indexOf(']', i + 1);
      i = close < 0 ? n : close + 1;
      const raw = sql.slice(start, i);
      push('ident', foldName(raw.slice(1, -1)), raw, start);
      continue;
    }
    if (DIGIT.test(c) || (c === '.' && DIGIT.test(sql[i + 1] ?? ''))) {
      // A hexadecimal literal has no exponent: `0x1e-b` is 0x1e, minus, b.
      i = runEnd(c === '0' && (sql[i + 1] === 'x' || sql[i + 1] === 'X') ? HEX_RUN : NUMBER_RUN, sql, i);
      const raw = sql.slice(start, i);
      push('number', raw.toLowerCase(), raw, start);
      continue;
    }
    if (WORD_START.test(c)) {
      i = runEnd(WORD_RUN, sql, i);
      const raw = sql.slice(start, i);
      push('word', foldName(raw), raw, start);
      continue;
    }
    if (c === '?' || c === ':' || c === '@' || c === '$') {
      i = runEnd(WORD_RUN, sql, i + 1);
      const raw = sql.slice(start, i);
      push('variable', raw, raw, start);
      continue;
    }
    if (OPERATORS.has(sql.slice(i, i + 2))) i += sql.startsWith('->>', i) ? 3 : 2;
    else i++;
    const raw = sql.slice(start, i);
    push('punct', raw, raw, start);
  }
  return tokens;
}

/** The end of the quoted text that starts at `i` (a doubled quote stands for one), or of `sql` when it is not closed. */
function skipQuoted(sql: string, i: number, quote: string): number {
  let j = i + 1;
  for (;;) {
    const close = sql.indexOf(quote, j);
    if (close < 0) return sql.length;
    if (sql[close + 1] !== quote) return close + 1;
    j = close + 2;
  }
}

/** Identifiers and bare words are interchangeable in a normalised form: both compare lower-cased. */
export function tokenName(token: Token): string | null {
  return token.kind === 'word' || token.kind === 'ident' ? token.text : null;
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
  const wanted = foldName(identifier);
  return tokenizeSql(sql).some((t) => tokenName(t) === wanted);
}

/**
 * A name folded the way SQLite compares identifiers: ASCII letters only (`sqlite3StrICmp`), so
 * `Items` = `ITEMS` but `É` ≠ `é`.
 */
export function foldName(name: string): string {
  if (!CAPITAL.test(name)) return name;
  // toLowerCase folds more than SQLite (É to é): only a name of ASCII characters alone may take it.
  return isAscii(name) ? name.toLowerCase() : name.replace(CAPITALS, (s) => s.toLowerCase());
}

/** True when `text` is ASCII alone: U+0000 to U+007F, control characters included. */
export function isAscii(text: string): boolean {
  // eslint-disable-next-line no-control-regex
  return /^[\x00-\x7f]*$/.test(text);
}

/** True when SQLite treats the two identifiers as the same name. */
export function sameName(a: string, b: string): boolean {
  // Folding keeps a name's length.
  return a === b || (a.length === b.length && foldName(a) === foldName(b));
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

/**
 * The name a word, quoted identifier or string literal spells, unquoted and with its case kept;
 * null for other tokens. SQLite takes a string literal as a name where only a name can stand
 * (sqlite3StringToId): `UNIQUE('a', b)`, an FTS table's `content='items'`.
 */
export function nameOrTextOf(token: Token): string | null {
  return token.kind === 'string' ? token.raw.slice(1, -1).split("''").join("'") : identifierOf(token);
}

/** True when the token is a name (word or quoted identifier) SQLite would read as `name`. */
export function tokenIs(token: Token | undefined, name: string): boolean {
  const id = token ? identifierOf(token) : null;
  return id !== null && sameName(id, name);
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
