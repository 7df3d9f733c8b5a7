import { identifierOf, quoteIdent, tokenizeSql, type Token } from './sql-tokens';

/* The canonical text of SQL that schema fingerprints and comparisons are made of. */

/**
 * Canonical text of a statement: tokens joined by single spaces, keywords and identifiers
 * lower-cased (ASCII letters, as SQLite folds them), string literals kept exactly. A quoted
 * identifier loses its quotes when the bare word would be read as the same name; one that only
 * quotes can spell (`"a , b"`, `"1"`, `"'x'"`, a reserved word such as `"primary"` or `"null"`)
 * keeps them, so it never reads as the tokens, number, string or keyword it spells. A name
 * right after DEFAULT is a value, not a name (SQLite stores `DEFAULT Abc` as the text 'Abc',
 * and `DEFAULT "true"` as the text 'true' where `DEFAULT true` is 1), so it keeps its case and
 * its quotes (defaultValue). Two statements SQLite would parse the same way (up to quoting and
 * case of names) normalise to the same text.
 */
export function normalizeSql(sql: string): string {
  const tokens = tokenizeSql(sql);
  let out = '';
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    const prev = tokens[i - 1];
    const text = prev?.kind === 'word' && prev.text === 'default' ? defaultValue(t) : t.kind === 'ident' && !readsBare(t.text) ? quoteIdent(t.text) : t.text;
    out += i === 0 ? text : ' ' + text;
  }
  return out;
}

/** The words that mean the same after DEFAULT in any case: SQLite's keywords there, and the booleans. */
const DEFAULT_KEYWORDS: ReadonlySet<string> = new Set(['null', 'true', 'false', 'current_time', 'current_date', 'current_timestamp']);

/**
 * The canonical text of the token after DEFAULT. SQLite takes a name there as the text it spells
 * (its `DEFAULT ID` rule), case kept; only a bare `true` or `false` becomes a boolean, and NULL
 * and CURRENT_TIME/_DATE/_TIMESTAMP are keywords (any case). A reserved word (`INSERT ... DEFAULT
 * VALUES` in a trigger) stays the keyword it is.
 */
function defaultValue(t: Token): string {
  if (t.kind === 'ident') return quoteIdent(identifierOf(t)!);
  if (t.kind !== 'word' || DEFAULT_KEYWORDS.has(t.text) || RESERVED_WORDS.has(t.text)) return t.text;
  return t.raw;
}

/**
 * SQLite's keywords that cannot be a name unless quoted (the other 89 of its 147 keywords fall
 * back to names where a name can stand: `key`, `replace`, `left`, ...). A test proves each
 * against SQLite, and that the others can.
 */
export const RESERVED_WORDS: ReadonlySet<string> = new Set(
  (
    'add all alter and as autoincrement between case check collate commit constraint create default deferrable delete distinct drop ' +
    'else escape except exists foreign from group having in index insert intersect into is isnull join limit not nothing notnull null ' +
    'on or order primary references returning select set table then to transaction union unique update using values when where'
  ).split(' '),
);

/** Whether a (folded) name written bare is read as that name: the tokenizer reads it as one word, all of it, and it is not a reserved word. */
function readsBare(name: string): boolean {
  if (RESERVED_WORDS.has(name)) return false;
  const tokens = tokenizeSql(name);
  return tokens.length === 1 && tokens[0]!.kind === 'word' && tokens[0]!.raw === name;
}
