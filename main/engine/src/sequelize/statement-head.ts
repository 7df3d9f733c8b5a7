/* Where a statement's first token starts, for the adapter's tests of BEGIN, COMMIT, PRAGMA... */

/** Whitespace (SQLite's: space, tab, LF, FF, CR, VT) and comments at the start of a statement; an unclosed comment runs to the end. */
const LEADING = /^(?:[ \t\n\f\r\v]+|--[^\n]*(?:\n|$)|\/\*[\s\S]*?(?:\*\/|$))*/;

/** `sql` from its first token: `-- note\nBEGIN` and `/* x *\/ COMMIT` are a BEGIN and a COMMIT to SQLite. */
export function fromFirstToken(sql: string): string {
  return sql.replace(LEADING, '');
}
