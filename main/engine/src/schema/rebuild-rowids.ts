import type { SqlExecutor } from '../sqlite/sql-executor';
import { quoteIdent, sameName } from '../sqlite/sql-tokens';
import type { RowPairing } from './copied-values';

/** The names SQLite accepts for a rowid, in the order a rebuild picks one the table does not shadow. */
const ROWID_NAMES = ['rowid', '_rowid_', 'oid'];

/** How to read or write a table's rowid (rowidOf). */
export interface RowidAccess {
  /** The table's INTEGER PRIMARY KEY column, or null when it has none. */
  alias: string | null;
  /** An expression naming the rowid: the alias quoted, or the first of rowid/_rowid_/oid that is not a column. */
  name: string;
}

/**
 * How to read or write the rowid of the main schema's `table`; null for a WITHOUT ROWID table.
 * @throws Error when the table has no alias and shadows all three rowid names.
 */
export function rowidOf(x: SqlExecutor, table: string): RowidAccess | null {
  const listed = x.db.prepare('SELECT wr FROM pragma_table_list WHERE schema = ? AND name = ?').get('main', table) as { wr: number } | undefined;
  if (listed?.wr) return null;
  const info = x.db.prepare("SELECT name, pk FROM pragma_table_xinfo(?, 'main')").all(table) as { name: string; pk: number }[];
  const keys = info.filter((c) => c.pk > 0);
  const pkIndex = x.db.prepare("SELECT 1 FROM pragma_index_list(?, 'main') WHERE origin = 'pk'").get(table);
  // An INTEGER PRIMARY KEY is the rowid and has no index of its own; any other primary key has one.
  if (keys.length === 1 && !pkIndex) return { alias: keys[0]!.name, name: quoteIdent(keys[0]!.name) };
  const free = ROWID_NAMES.find((r) => !info.some((c) => sameName(c.name, r)));
  if (!free) throw new Error(`rebuildTable: ${table} has columns named rowid, _rowid_ and oid, so its rowids cannot be kept`);
  return { alias: null, name: free };
}

/**
 * Proves that giving the new table's INTEGER PRIMARY KEY `alias` its values from `source` (SQL
 * over the old table) keeps every row's rowid: an INTEGER PRIMARY KEY is the rowid, so a column
 * that was not the rowid before (`id INT PRIMARY KEY`, `id TEXT PRIMARY KEY`, an expression)
 * would otherwise renumber the rows and FTS5 external-content indexes would return other rows.
 * @throws Error naming the first row whose rowid would change (NULL keys included: SQLite would
 *   assign new rowids to them).
 */
export function assertRowidsKept(x: SqlExecutor, table: string, oldRowid: string, source: string, alias: string): void {
  const row = x.db.prepare(`SELECT ${oldRowid} AS was, quote(${source}) AS becomes FROM main.${quoteIdent(table)} WHERE ${source} IS NOT ${oldRowid} LIMIT 1`).get() as
    { was: number | bigint; becomes: string } | undefined;
  if (row) {
    throw new Error(
      `rebuildTable: making ${JSON.stringify(alias)} the INTEGER PRIMARY KEY of ${table} would change rowids ` +
        `(the row with rowid ${String(row.was)} would get ${row.becomes === 'NULL' ? 'a new rowid' : `rowid ${row.becomes}`}), and FTS5 ` +
        'indexes and anything else keyed by rowid would then point at other rows; keep a key that is not the rowid (e.g. INT PRIMARY KEY)',
    );
  }
}

/**
 * How the copied rows correspond to the old ones: through the new table's rowid (an INTEGER
 * PRIMARY KEY takes its value from its source, else from the old rowid), or through a new
 * WITHOUT ROWID table's primary key; null when the new rows cannot be matched.
 */
export function rowPairing(x: SqlExecutor, temp: string, oldRowid: RowidAccess | null, newRowid: RowidAccess | null, sourceOf: (c: string) => string | null): RowPairing | null {
  if (newRowid?.alias != null) {
    const source = sourceOf(newRowid.alias);
    if (source !== null) return { old: [source], new: [quoteIdent(newRowid.alias)] };
    return oldRowid ? { old: [oldRowid.name], new: [quoteIdent(newRowid.alias)] } : null;
  }
  if (newRowid) return oldRowid ? { old: [oldRowid.name], new: [newRowid.name] } : null;
  const keys = x.db.prepare("SELECT name FROM pragma_table_xinfo(?, 'main') WHERE pk > 0 ORDER BY pk").pluck().all(temp) as string[];
  const sources = keys.map(sourceOf);
  if (keys.length === 0 || sources.some((s) => s === null)) return null;
  return { old: sources as string[], new: keys.map(quoteIdent) };
}
