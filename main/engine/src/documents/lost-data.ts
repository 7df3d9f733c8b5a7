import type { Engine } from '../engine';
import { openConnection, type Connection } from '../sqlite/connection';
import { FieldbookError } from '../errors';
import { quoteIdent } from '../sqlite/sql-tokens';

/** Data of a document that a copy (at another version) does not hold. */
export interface LostData {
  table: string;
  /** The column whose values are lost, or null when whole rows are. */
  column: string | null;
  rows: number;
}

/**
 * Compares a copy of a document (typically taken to an earlier version) with the document it
 * came from and lists what the copy does not hold: rows of tables the copy lacks, rows missing
 * from a table (matched by rowid), values of a column the copy keeps that it no longer holds
 * (cleared, or changed back to what an upgrade had replaced, such as a code renamed by version
 * 5; a number kept as text is the same value), and values of columns the copy lacks that do not
 * reappear in another column of the same row (a renamed column is not a loss). Only the version table is
 * left out. Records of data issues count like any other rows: a `down` step gives back the
 * originals it can, but the issue records it drops (with their review state, and any original
 * the user has replaced since) exist only in the document and its backups.
 * Both files are only read. The result is sorted by table, then column (whole rows first).
 */
export function lostData(copy: string, original: string, engine: Engine): LostData[] {
  const db = openConnection(copy, { readonly: false, lockTimeoutMs: engine.lockTimeoutMs });
  try {
    db.prepare('ATTACH DATABASE ? AS src').run(original);
    return compareTables(db, new Set([engine.versionTable.toLowerCase()]));
  } finally {
    db.close();
  }
}

/** The data tables of one schema of a connection (lower-cased name → its columns). */
export function dataTables(db: Connection, schema: 'main' | 'src'): Map<string, string[]> {
  const names = db.prepare(`SELECT name FROM pragma_table_list WHERE schema = ? AND type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'`).pluck().all(schema) as string[];
  return new Map(names.map((n) => [n.toLowerCase(), db.prepare('SELECT name FROM pragma_table_info(?, ?)').pluck().all(n, schema) as string[]]));
}

/** What schema `src` holds that `main` does not (see lostData); tables named in `skip` (lower case) are left out. */
export function compareTables(db: Connection, skip: Set<string>): LostData[] {
  const copy = dataTables(db, 'main');
  const original = dataTables(db, 'src');
  const lost: LostData[] = [];
  for (const [table, columns] of original) {
    if (skip.has(table)) continue;
    const t = quoteIdent(table);
    const kept = copy.get(table);
    if (!kept) {
      const rows = db.prepare(`SELECT count(*) FROM src.${t}`).pluck().get() as number;
      if (rows > 0) lost.push({ table, column: null, rows });
      continue;
    }
    const missingRows = db.prepare(`SELECT count(*) FROM src.${t} s WHERE NOT EXISTS (SELECT 1 FROM main.${t} c WHERE c.rowid = s.rowid)`).pluck().get() as number;
    if (missingRows > 0) lost.push({ table, column: null, rows: missingRows });
    const keptLower = new Set(kept.map((c) => c.toLowerCase()));
    for (const column of columns.filter((c) => keptLower.has(c.toLowerCase()))) {
      const rows = db
        .prepare(
          `SELECT count(*) FROM src.${t} s JOIN main.${t} c ON c.rowid = s.rowid
        WHERE s.${quoteIdent(column)} IS NOT NULL AND NOT (${sameValue(`s.${quoteIdent(column)}`, `c.${quoteIdent(column)}`)})`,
        )
        .pluck()
        .get() as number;
      if (rows > 0) lost.push({ table, column, rows });
    }
    for (const column of columns.filter((c) => !keptLower.has(c.toLowerCase()))) {
      // IS NOT (not NOT IN): a NULL elsewhere in the row must not hide a lost value.
      const nowhere = kept.map((c) => `s.${quoteIdent(column)} IS NOT c.${quoteIdent(c)}`).join(' AND ');
      const rows = db
        .prepare(
          `SELECT count(*) FROM src.${t} s JOIN main.${t} c ON c.rowid = s.rowid
        WHERE s.${quoteIdent(column)} IS NOT NULL AND ${nowhere}`,
        )
        .pluck()
        .get() as number;
      if (rows > 0) lost.push({ table, column, rows });
    }
  }
  return lost.sort((a, b) => a.table.localeCompare(b.table) || (a.column ?? '').localeCompare(b.column ?? ''));
}

/**
 * SQL that is true when the copy's value `copy` still holds the original `original`: the same
 * value, or the same number written as text (a REAL column that an earlier version declares
 * TEXT: 42 becomes '42.0'), or the same text as a blob.
 */
function sameValue(original: string, copy: string): string {
  return `${copy} IS ${original}
    OR (typeof(${original}) IN ('integer', 'real') AND typeof(${copy}) = 'text' AND ${copy} NOT GLOB '*[^0-9.eE+-]*' AND CAST(${copy} AS REAL) = ${original})
    OR (typeof(${original}) IN ('integer', 'real') AND typeof(${copy}) IN ('integer', 'real') AND ${copy} = ${original})
    OR (typeof(${original}) IN ('text', 'blob') AND typeof(${copy}) IN ('text', 'blob') AND CAST(${copy} AS BLOB) = CAST(${original} AS BLOB))`;
}

/** `tags (3 rows), samples.created_at (5 rows)`: a loss list for messages. */
export function describeLoss(lost: readonly LostData[]): string {
  return lost.map((l) => `${l.table}${l.column ? `.${l.column}` : ''} (${l.rows} row${l.rows === 1 ? '' : 's'})`).join(', ');
}

/**
 * The losses `accepted` does not cover: `true` covers everything, a list covers each loss of
 * the same table and column with at most as many rows (so what a user confirmed from a plan
 * still holds if the document lost rows since, but not if it gained some).
 */
export function uncoveredLoss(lost: readonly LostData[], accepted: boolean | readonly LostData[] | undefined): LostData[] {
  if (accepted === true) return [];
  const list = Array.isArray(accepted) ? accepted : [];
  return lost.filter(
    (l) => !list.some((a) => a.table.toLowerCase() === l.table.toLowerCase() && (a.column ?? '').toLowerCase() === (l.column ?? '').toLowerCase() && a.rows >= l.rows),
  );
}

/** The refusal of a write that would lose data nobody accepted (details.lost: the whole list). */
export function dataLossError(what: string, lost: readonly LostData[], uncovered: readonly LostData[]): FieldbookError {
  return new FieldbookError('DATA_LOSS', `${what} would lose ${describeLoss(uncovered)}; nothing was changed (--yes, or acceptLoss, accepts the loss)`, {
    details: { lost },
  });
}
