import type { Connection } from '../sqlite/connection';
import { nameOrTextOf, quoteIdent, tokenizeSql, type Token } from '../sqlite/sql-tokens';

const word = (t: Token | undefined, w: string) => t?.kind === 'word' && t.text === w;

/**
 * The content table, its rowid column and the columns an FTS4/FTS5 external-content index reads
 * (`CREATE VIRTUAL TABLE f USING fts5(a, b UNINDEXED, content='t', content_rowid='id')`); null
 * for other virtual tables and for FTS indexes that keep their own content or none (`content=''`).
 */
export function fullTextContent(sql: string): { module: string; content: string; rowid: string; columns: string[] } | null {
  const tokens = tokenizeSql(sql);
  const using = tokens.findIndex((t) => word(t, 'using'));
  const module = tokens[using + 1]?.text;
  if (using < 0 || (module !== 'fts5' && module !== 'fts4') || tokens[using + 2]?.text !== '(') return null;
  const args: Token[][] = [[]];
  let depth = 0;
  for (const t of tokens.slice(using + 3)) {
    if (t.text === '(') depth++;
    else if (t.text === ')' && depth-- === 0) break;
    if (t.text === ',' && depth === 0) args.push([]);
    else args[args.length - 1]!.push(t);
  }
  const options = new Map<string, string>();
  const columns: string[] = [];
  const value = (t: Token): string => nameOrTextOf(t) ?? t.raw;
  for (const arg of args) {
    if (arg.length === 0) continue;
    if (arg[1]?.text === '=' && arg[2] && arg[0]!.kind === 'word') options.set(arg[0]!.text, value(arg[2]));
    else if (word(arg[0], 'tokenize'))
      continue; // FTS3/FTS4 also accept `tokenize porter` without `=`
    else if (nameOrTextOf(arg[0]!) !== null) columns.push(value(arg[0]!));
  }
  const content = options.get('content');
  if (!content) return null;
  const languageId = module === 'fts4' ? options.get('languageid') : undefined; // FTS4 reads it from the content table too
  return { module, content, rowid: module === 'fts5' ? (options.get('content_rowid') ?? 'rowid') : 'rowid', columns: languageId ? [...columns, languageId] : columns };
}

/**
 * Prepares, for every FTS4/FTS5 external-content index of the main schema, the read it makes of
 * its content table (its rowid and each of its columns by name).
 * @throws Error naming the index and what it can no longer read.
 */
export function assertFullTextContentReadable(db: Connection, operation: string): void {
  const virtuals = db.prepare("SELECT name, sql FROM main.sqlite_schema WHERE type = 'table' AND sql LIKE 'CREATE VIRTUAL TABLE%'").all() as { name: string; sql: string }[];
  for (const v of virtuals) {
    const fts = fullTextContent(v.sql);
    if (fts === null) continue;
    const read = [fts.rowid, ...fts.columns].map(quoteIdent).join(', ');
    try {
      db.prepare(`SELECT ${read} FROM main.${quoteIdent(fts.content)} LIMIT 0`);
    } catch (error) {
      throw new Error(
        `after ${operation}: full-text index ${JSON.stringify(v.name)} no longer works: it reads ${[fts.rowid, ...fts.columns].map((c) => JSON.stringify(c)).join(', ')} ` +
          `of its content table ${JSON.stringify(fts.content)} (${(error as Error).message}); SQLite does not rewrite a full-text index on ALTER TABLE`,
        { cause: error },
      );
    }
  }
}
