import { FieldbookError } from '../errors';
import { foldName, tokenizeSql, type Token } from '../sqlite/sql-tokens';

/** Limits on one step of embedded down SQL (a step of a real migration is a few kilobytes). */
export const EMBEDDED_SQL_LIMITS = { maxBytes: 4 * 1024 * 1024, maxStatements: 10_000 } as const;

/**
 * Words no down step needs and that reach outside the document or run code: other files
 * (ATTACH, VACUUM INTO, the shell's file functions), extensions, unbounded recursion.
 */
const REFUSED_WORDS = new Set([
  'attach',
  'detach',
  'vacuum',
  'load_extension',
  'readfile',
  'writefile',
  'edit',
  'fts3_tokenizer',
  'recursive',
  'zipfile',
  'fsdir',
  'sqlar_compress',
  'sqlar_uncompress',
]);
/** The only PRAGMAs a down step may set (the runner sets user_version itself afterwards). */
const PRAGMAS = new Set(['user_version', 'foreign_keys', 'application_id']);
/** Virtual-table modules a down step may recreate. */
const MODULES = new Set(['fts5']);

/**
 * Splits a step of embedded down SQL (a document's way-back table: untrusted input) into the
 * statements it may run, each rebuilt from its tokens (comments dropped, so nothing hidden in
 * one can run; each is prepared alone, so SQLite refuses a statement boundary this split
 * missed). Allowed: CREATE TABLE / INDEX / VIEW / TRIGGER (TEMP too) and CREATE VIRTUAL TABLE
 * USING fts5, DROP of those, ALTER TABLE, INSERT, REPLACE, UPDATE, DELETE, and PRAGMA
 * user_version / foreign_keys / application_id set to a plain value. Refused: every other
 * statement (SELECT, WITH, ATTACH, DETACH, VACUUM, transactions, other PRAGMAs), the words of
 * REFUSED_WORDS anywhere, parameters, names of `protectedTables` (the version table and its
 * way-back table, which only the runner writes) and `sqlite_` names other than sqlite_sequence,
 * control characters and NUL, and scripts over EMBEDDED_SQL_LIMITS.
 * @throws FieldbookError UNSAFE_SQL naming the statement and why
 */
export function embeddedStatements(sql: string, protectedTables: readonly string[], step: string): string[] {
  const refuse = (why: string) => new FieldbookError('UNSAFE_SQL', `the way back of ${step} was refused: ${why}`, { details: { step } });
  if (Buffer.byteLength(sql, 'utf8') > EMBEDDED_SQL_LIMITS.maxBytes) throw refuse(`it is larger than ${EMBEDDED_SQL_LIMITS.maxBytes} bytes`);
  // eslint-disable-next-line no-control-regex
  if (/[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]/.test(sql)) throw refuse('it holds NUL or control characters');
  const tokens = tokenizeSql(sql);
  const protectedNames = new Set(protectedTables.map(foldName));
  const statements: string[] = [];
  let start = 0;
  let depth = 0;
  let trigger = false;
  const finish = (end: number) => {
    const part = tokens.slice(start, end);
    start = end + 1;
    trigger = false;
    depth = 0;
    if (part.length === 0) return;
    if (statements.length >= EMBEDDED_SQL_LIMITS.maxStatements) throw refuse(`it has more than ${EMBEDDED_SQL_LIMITS.maxStatements} statements`);
    const text = part.map((t) => t.raw).join(' ');
    const why = refusal(part, protectedNames);
    if (why) throw refuse(`${why}: ${text.length > 120 ? `${text.slice(0, 117)}...` : text}`);
    statements.push(text);
  };
  for (let k = 0; k < tokens.length; k++) {
    const t = tokens[k]!;
    if (k === start) trigger = isCreateTrigger(tokens, k);
    if (trigger && t.kind === 'word') {
      if (t.text === 'begin' || t.text === 'case') depth++;
      else if (t.text === 'end' && depth > 0) depth--;
    }
    if (t.kind === 'punct' && t.text === ';' && depth === 0) finish(k);
  }
  finish(tokens.length);
  return statements;
}

function isCreateTrigger(tokens: readonly Token[], k: number): boolean {
  if (tokens[k]?.text !== 'create') return false;
  const next = tokens[k + 1]?.text === 'temp' || tokens[k + 1]?.text === 'temporary' ? k + 2 : k + 1;
  return tokens[next]?.text === 'trigger';
}

/** Why a statement (its tokens) is refused, or null when it is one a down step may run. */
function refusal(tokens: readonly Token[], protectedNames: ReadonlySet<string>): string | null {
  for (const t of tokens) {
    if (t.kind === 'variable') return 'a statement with parameters';
    if (t.kind === 'word' && REFUSED_WORDS.has(t.text)) return `${t.text.toUpperCase()} is not allowed`;
    if (t.kind === 'word' || t.kind === 'ident') {
      const name = foldName(t.kind === 'word' ? t.raw : t.text);
      if (protectedNames.has(name)) return `only this app writes ${name}`;
      if (name.startsWith('sqlite_') && name !== 'sqlite_sequence') return `${name} is SQLite's own`;
    }
  }
  const [first, second, third] = tokens.map((t) => (t.kind === 'word' ? t.text : ''));
  switch (first) {
    case 'insert':
    case 'replace':
    case 'update':
    case 'delete':
      return null;
    case 'alter':
      return second === 'table' ? null : 'only ALTER TABLE';
    case 'drop':
      return ['table', 'index', 'view', 'trigger'].includes(second!) ? null : `DROP ${second?.toUpperCase() ?? ''} is not allowed`;
    case 'create': {
      const kind = second === 'temp' || second === 'temporary' || second === 'unique' ? third : second;
      if (kind === 'table' || kind === 'view' || kind === 'trigger' || (kind === 'index' && second !== 'temp' && second !== 'temporary')) return null;
      if (second === 'virtual' && third === 'table') {
        const using = tokens.findIndex((t) => t.kind === 'word' && t.text === 'using');
        const module = tokens[using + 1];
        return using > 0 && module && MODULES.has(module.text) ? null : 'only fts5 virtual tables';
      }
      return `CREATE ${(kind ?? '').toUpperCase()} is not allowed`;
    }
    case 'pragma':
      return pragmaRefusal(tokens);
    default:
      return `${tokens[0]!.raw.toUpperCase()} statements are not allowed`;
  }
}

function pragmaRefusal(tokens: readonly Token[]): string | null {
  const name = tokens[1];
  if (!name || name.kind !== 'word' || !PRAGMAS.has(name.text)) return `PRAGMA ${name?.raw ?? ''} is not allowed`;
  const rest = tokens
    .slice(2)
    .map((t) => t.text)
    .join(' ');
  return /^(= )?(\( )?[+-]? ?([0-9]+|on|off|true|false|yes|no)( \))?$/.test(rest) ? null : `PRAGMA ${name.text} must be set to a plain value`;
}
