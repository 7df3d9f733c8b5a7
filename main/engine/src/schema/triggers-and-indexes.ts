import type { Connection } from '../sqlite/connection';
import { quoteIdent, tokenizeSql } from '../sqlite/sql-tokens';

/** Drops every trigger of the main schema and returns their SQL, in creation order, to create them again after a bulk copy. */
export function dropTriggers(db: Connection): string[] {
  const triggers = db.prepare("SELECT name, sql FROM main.sqlite_schema WHERE type = 'trigger' AND sql IS NOT NULL ORDER BY rowid").all() as { name: string; sql: string }[];
  for (const t of triggers) db.exec(`DROP TRIGGER main.${quoteIdent(t.name)}`);
  return triggers.map((t) => t.sql);
}

/** Rebuilds each FTS5 table kept in sync with a content table from that table (after rows were copied without its triggers). */
export function rebuildFullTextIndexes(db: Connection): void {
  for (const fts of externalContentIndexes(db)) db.exec(`INSERT INTO main.${quoteIdent(fts)} (${quoteIdent(fts)}) VALUES ('rebuild')`);
}

/** FTS5 tables kept in sync with a content table. */
function externalContentIndexes(db: Connection): string[] {
  const virtual = db.prepare("SELECT name, sql FROM main.sqlite_schema WHERE type = 'table' AND sql LIKE 'CREATE VIRTUAL TABLE%'").all() as { name: string; sql: string }[];
  return virtual
    .filter(({ sql }) => {
      const tokens = tokenizeSql(sql);
      const using = tokens.findIndex((t) => t.text === 'using');
      if (tokens[using + 1]?.text !== 'fts5') return false;
      const content = tokens.findIndex((t, i) => i > using && t.text === 'content' && tokens[i + 1]?.text === '=');
      return content > 0 && tokens[content + 2] !== undefined && tokens[content + 2]!.text !== "''";
    })
    .map((v) => v.name);
}
