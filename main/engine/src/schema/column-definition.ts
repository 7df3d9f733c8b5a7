import { nameOrTextOf, tokenizeSql, type Token } from '../sqlite/sql-tokens';

/**
 * The kinds of column constraint SQLite's grammar has (sqlite.org/syntax/column-constraint.html).
 * `'name'` is a bare `CONSTRAINT name` that names nothing (parse.y `ccons ::= CONSTRAINT nm`,
 * followed by another `CONSTRAINT` or by the end): SQLite accepts and ignores it; it is kept as written.
 */
export type ColumnConstraintKind = 'primary key' | 'nullability' | 'unique' | 'check' | 'default' | 'collate' | 'references' | 'generated' | 'name';

/** One constraint of a column definition: its kind and its source text. */
export interface ColumnConstraint {
  kind: ColumnConstraintKind;
  /** Source text, including a leading `CONSTRAINT name`. */
  text: string;
}

/** One column definition of a CREATE TABLE statement, split into its pieces (source text kept). */
export interface ColumnDefinition {
  /** The column name as spelled (unquoted). */
  name: string;
  /** The name as written (quotes kept). */
  nameSql: string;
  /** The declared type as written, `''` when untyped. */
  type: string;
  constraints: ColumnConstraint[];
}

/**
 * The kinds of table constraint (sqlite.org/syntax/table-constraint.html); `'name'` is a bare
 * `CONSTRAINT name` naming nothing (parse.y `tcons ::= CONSTRAINT nm`), which SQLite ignores.
 */
export type TableConstraintKind = 'primary key' | 'unique' | 'check' | 'foreign key' | 'name';

/** One table constraint of a CREATE TABLE statement, split into what its kind needs (source text kept). */
export interface TableConstraint {
  kind: TableConstraintKind;
  /** `CONSTRAINT name`'s name, or null. */
  name: string | null;
  /** The columns the constraint lists (PRIMARY KEY, UNIQUE, FOREIGN KEY's own columns); empty for CHECK. */
  columns: string[];
  /** Tokens of the CHECK expression or of the whole clause. */
  tokens: readonly Token[];
  /** The constraint's source text. */
  text: string;
}

const CONFLICT_ACTIONS = new Set(['rollback', 'abort', 'fail', 'ignore', 'replace']);

/** A parse error: the definition is not one SQLite accepts (or this parser does not know it). */
function unparsable(what: string, sql: string): Error {
  return new Error(`cannot read the ${what} ${JSON.stringify(sql)}`);
}

/** Index of the token after the parenthesised group opening at `k` (which must be `(`). */
function afterGroup(tokens: readonly Token[], k: number, sql: string): number {
  if (tokens[k]?.text !== '(') throw unparsable('definition', sql);
  let depth = 0;
  for (let j = k; j < tokens.length; j++) {
    if (tokens[j]!.text === '(') depth++;
    else if (tokens[j]!.text === ')' && --depth === 0) return j + 1;
  }
  throw unparsable('definition', sql);
}

const word = (t: Token | undefined, w: string) => t?.kind === 'word' && t.text === w;

function skipConflictClause(tokens: readonly Token[], k: number): number {
  if (word(tokens[k], 'on') && word(tokens[k + 1], 'conflict') && CONFLICT_ACTIONS.has(tokens[k + 2]?.text ?? '')) return k + 3;
  return k;
}

/** Index after a foreign-key clause starting at `REFERENCES` (actions, MATCH, DEFERRABLE included). */
function skipReferences(tokens: readonly Token[], k: number, sql: string): number {
  k += 2;
  if (tokens[k]?.text === '(') k = afterGroup(tokens, k, sql);
  for (;;) {
    const t = tokens[k];
    if (word(t, 'on') && (word(tokens[k + 1], 'delete') || word(tokens[k + 1], 'update'))) {
      const a = tokens[k + 2]?.text;
      k += a === 'set' || a === 'no' ? 4 : 3;
    } else if (word(t, 'match')) {
      k += 2;
    } else if (word(t, 'not') && word(tokens[k + 1], 'deferrable')) {
      k += 2;
    } else if (word(t, 'deferrable')) {
      k += 1;
    } else if (word(t, 'initially')) {
      k += 2;
    } else {
      return k;
    }
  }
}

/** Index after one column constraint (without its `CONSTRAINT name`) starting at `k`, and its kind. */
function columnConstraintAt(tokens: readonly Token[], k: number, sql: string): { kind: ColumnConstraintKind; end: number } {
  const t = tokens[k]!;
  switch (t.kind === 'word' ? t.text : '') {
    case 'primary': {
      let j = k + 2;
      if (word(tokens[j], 'asc') || word(tokens[j], 'desc')) j++;
      j = skipConflictClause(tokens, j);
      if (word(tokens[j], 'autoincrement')) j++;
      return { kind: 'primary key', end: j };
    }
    case 'not':
      if (!word(tokens[k + 1], 'null')) break;
      return { kind: 'nullability', end: skipConflictClause(tokens, k + 2) };
    case 'null':
      return { kind: 'nullability', end: skipConflictClause(tokens, k + 1) };
    case 'unique':
      return { kind: 'unique', end: skipConflictClause(tokens, k + 1) };
    case 'check':
      return { kind: 'check', end: afterGroup(tokens, k + 1, sql) };
    case 'default': {
      const v = tokens[k + 1];
      if (!v) break;
      if (v.text === '(') return { kind: 'default', end: afterGroup(tokens, k + 1, sql) };
      if (v.text === '+' || v.text === '-') return { kind: 'default', end: k + 3 };
      return { kind: 'default', end: k + 2 };
    }
    case 'collate':
      return { kind: 'collate', end: k + 2 };
    case 'references':
      return { kind: 'references', end: skipReferences(tokens, k, sql) };
    case 'generated':
    case 'as': {
      let j = t.text === 'generated' ? k + 2 : k;
      if (!word(tokens[j], 'as')) break;
      j = afterGroup(tokens, j + 1, sql);
      if (word(tokens[j], 'virtual') || word(tokens[j], 'stored')) j++;
      return { kind: 'generated', end: j };
    }
  }
  throw unparsable('column definition', sql);
}

const CONSTRAINT_WORDS = new Set(['constraint', 'primary', 'not', 'null', 'unique', 'check', 'default', 'collate', 'references', 'generated', 'as']);

/**
 * Splits a column definition (`name type constraints...`, or with `withName: false` only
 * `type constraints...`) into name, type and constraints, keeping each piece's source text.
 * @throws Error when the text is not a column definition SQLite's grammar accepts.
 */
export function parseColumnDefinition(sql: string, withName = true): ColumnDefinition {
  const tokens = tokenizeSql(sql);
  let k = 0;
  let name = '';
  let nameSql = '';
  if (withName) {
    const first = tokens[0];
    // A string literal names the column it spells (`'a' INT`), as for SQLite.
    const id = first ? nameOrTextOf(first) : null;
    if (!first || id === null) throw unparsable('column definition', sql);
    name = id;
    nameSql = first.raw;
    k = 1;
  }
  const typeStart = k;
  while (k < tokens.length && !(tokens[k]!.kind === 'word' && CONSTRAINT_WORDS.has(tokens[k]!.text))) {
    k = tokens[k]!.text === '(' ? afterGroup(tokens, k, sql) : k + 1;
  }
  const type = k > typeStart ? sql.slice(tokens[typeStart]!.start, tokens[k - 1]!.end) : '';
  const constraints: ColumnConstraint[] = [];
  while (k < tokens.length) {
    const start = tokens[k]!.start;
    if (word(tokens[k], 'constraint')) {
      if (k + 1 >= tokens.length) throw unparsable('column definition', sql);
      if (k + 2 >= tokens.length || word(tokens[k + 2], 'constraint')) {
        constraints.push({ kind: 'name', text: sql.slice(start, tokens[k + 1]!.end) });
        k += 2;
        continue;
      }
      k += 2;
    }
    const { kind, end } = columnConstraintAt(tokens, k, sql);
    if (end > tokens.length || end <= k) throw unparsable('column definition', sql);
    constraints.push({ kind, text: sql.slice(start, tokens[end - 1]!.end) });
    k = end;
  }
  return { name, nameSql, type, constraints };
}

/** The names listed in `( a COLLATE x DESC, "b", ... )` starting at `k`: the first name of each item. */
function listedColumns(tokens: readonly Token[], k: number, sql: string): { columns: string[]; end: number } {
  const end = afterGroup(tokens, k, sql);
  const columns: string[] = [];
  let expectName = true;
  let depth = 0;
  for (let j = k + 1; j < end - 1; j++) {
    const t = tokens[j]!;
    if (t.text === ',' && depth === 0) {
      expectName = true;
      continue;
    }
    // An entry's name is its first token after any opening parentheses: SQLite reads `(a)` as a,
    // and a string literal as the name it spells (sqlite3StringToId): `UNIQUE(('a'), b)` is on a and b.
    if (expectName && t.text !== '(') {
      const id = nameOrTextOf(t);
      if (id !== null) columns.push(id);
      expectName = false;
    }
    if (t.text === '(') depth++;
    else if (t.text === ')') depth--;
  }
  return { columns, end };
}

/**
 * Reads a table constraint (a CREATE TABLE part that is not a column definition).
 * @throws Error when it is not one.
 */
export function parseTableConstraint(sql: string): TableConstraint {
  const tokens = tokenizeSql(sql);
  let k = 0;
  let name: string | null = null;
  if (word(tokens[0], 'constraint')) {
    name = tokens[1] ? nameOrTextOf(tokens[1]) : null;
    k = 2;
  }
  const t = tokens[k];
  if (name !== null && t === undefined) return { kind: 'name', name, columns: [], tokens, text: sql };
  if (word(t, 'primary') && word(tokens[k + 1], 'key')) {
    return { kind: 'primary key', name, columns: listedColumns(tokens, k + 2, sql).columns, tokens, text: sql };
  }
  if (word(t, 'unique')) return { kind: 'unique', name, columns: listedColumns(tokens, k + 1, sql).columns, tokens, text: sql };
  if (word(t, 'check')) return { kind: 'check', name, columns: [], tokens: tokens.slice(k + 1), text: sql };
  if (word(t, 'foreign') && word(tokens[k + 1], 'key')) {
    return { kind: 'foreign key', name, columns: listedColumns(tokens, k + 2, sql).columns, tokens, text: sql };
  }
  throw unparsable('table constraint', sql);
}

/** How a constraint is named in messages: `CONSTRAINT "name"` or its source text. */
export function describeConstraint(c: { name: string | null; text: string }): string {
  return c.name !== null ? `constraint ${JSON.stringify(c.name)} (${c.text})` : c.text;
}
