import { fsyncPath } from './backup';
import type { EngineOption } from './classify';
import { openConnection, type Connection } from './connection';
import { fieldbookEngine, type Engine } from './engine';
import { FieldbookError } from './errors';
import { downgradeDocument } from './migrate';
import { writeFailure } from './file-system-failure';
import { placeFile } from './place-file';
import { readableSource } from './readable-source';
import { quoteIdent } from './sql-tokens';
import { abortIfAsked, checkDestination } from './subset/export-subset';
import { resolveTarget, type Target } from './targets';
import { partialPathFor, removeDocumentFiles } from './temp-files';

export interface ExportDocumentOptions extends EngineOption {
  /** The version the copy is written at (a target: number, `head`, a name prefix...). Default: head. */
  asVersion?: Target;
  overwrite?: boolean;
  signal?: AbortSignal;
  /** Documents open in other processes, which the destination must not be (SAME_FILE). */
  openDocuments?: readonly string[];
}

/** Data of the document that the version written cannot hold. */
export interface LostData {
  table: string;
  /** The column whose values are lost, or null when whole rows are. */
  column: string | null;
  rows: number;
}

export interface ExportDocumentResult {
  destination: string;
  version: number;
  source: { path: string; version: number };
  /** What could not be represented at `version` (empty when nothing was lost). */
  lost: LostData[];
}

/**
 * Writes a copy of a document at another version — typically an earlier one, for colleagues
 * with an older app (the Anki pattern): the document is copied with the online backup API
 * (an outdated source is upgraded in a private copy first), the copy is taken to the version
 * through the `down` migrations, validated, and renamed into place. The result lists, with row
 * counts, what that version cannot hold. The source is only read.
 * @throws FieldbookError BAD_TARGET, SAME_FILE, EXISTS, READ_ONLY, NO_SPACE, ABORTED, MIGRATION_FAILED and the source's codes (TOO_NEW, ...)
 */
export async function exportDocument(source: string, destination: string, options: ExportDocumentOptions = {}): Promise<ExportDocumentResult> {
  const engine = options.engine ?? fieldbookEngine();
  const version = resolveTarget(options.asVersion ?? 'head', engine.migrations.migrations.map((m) => m.name), null);
  const distinct = { sources: [source], openDocuments: options.openDocuments };
  const target = checkDestination(destination, options.overwrite === true, distinct);
  abortIfAsked(options.signal);
  const readable = await readableSource(engine, source);
  const temp = partialPathFor(target);
  try {
    const from = openConnection(readable.path, { readonly: true, lockTimeoutMs: engine.lockTimeoutMs });
    try {
      await from.backup(temp, { progress: () => 1 << 30 });
    } finally {
      from.close();
    }
    abortIfAsked(options.signal);
    if (version < engine.migrations.head) await downgradeDocument(temp, { to: version, engine, backup: false, signal: options.signal });
    abortIfAsked(options.signal);
    const lost = lostData(temp, readable.path, engine);
    const db = openConnection(temp, { lockTimeoutMs: engine.lockTimeoutMs });
    try {
      db.exec('PRAGMA journal_mode = DELETE');
      const integrity = db.pragma('integrity_check', { simple: true });
      if (integrity !== 'ok') throw new FieldbookError('MIGRATION_FAILED', `the exported copy failed integrity_check: ${String(integrity)}`);
    } finally {
      db.close();
    }
    fsyncPath(temp);
    abortIfAsked(options.signal);
    checkDestination(target, options.overwrite === true, distinct);
    placeFile(temp, target, options.overwrite === true);
    return { destination: target, version, source: { path: readable.upgraded ? source : readable.path, version: readable.version }, lost };
  } catch (error) {
    throw writeFailure(error, temp, target);
  } finally {
    removeDocumentFiles(temp);
    readable.dispose();
  }
}

/**
 * Compares the exported copy with the head-version data it came from: rows of tables the copy
 * lacks, rows missing from a table, and values of columns the copy lacks that do not reappear
 * in another column of the same row (a renamed column is not a loss). Tables that only record
 * row references (data issues of later versions, which the `down` steps settle) are left out.
 */
function lostData(copy: string, headDocument: string, engine: Engine): LostData[] {
  const db = openConnection(copy, { readonly: false, lockTimeoutMs: engine.lockTimeoutMs });
  const skip = new Set([engine.versionTable, ...(engine.subsets?.rowReferences ?? []).map((r) => r.table)].map((t) => t.toLowerCase()));
  try {
    db.prepare('ATTACH DATABASE ? AS src').run(headDocument);
    return compareTables(db, skip);
  } finally {
    db.close();
  }
}

function dataTables(db: Connection, schema: 'main' | 'src'): Map<string, string[]> {
  const names = db.prepare(`SELECT name FROM pragma_table_list WHERE schema = ? AND type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'`).pluck().all(schema) as string[];
  return new Map(names.map((n) => [n.toLowerCase(), (db.prepare('SELECT name FROM pragma_table_info(?, ?)').pluck().all(n, schema) as string[])]));
}

function compareTables(db: Connection, skip: Set<string>): LostData[] {
  const copy = dataTables(db, 'main');
  const head = dataTables(db, 'src');
  const lost: LostData[] = [];
  for (const [table, columns] of head) {
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
    for (const column of columns.filter((c) => !keptLower.has(c.toLowerCase()))) {
      // IS NOT (not NOT IN): a NULL elsewhere in the row must not hide a lost value.
      const nowhere = kept.map((c) => `s.${quoteIdent(column)} IS NOT c.${quoteIdent(c)}`).join(' AND ');
      const rows = db.prepare(`SELECT count(*) FROM src.${t} s JOIN main.${t} c ON c.rowid = s.rowid
        WHERE s.${quoteIdent(column)} IS NOT NULL AND ${nowhere}`).pluck().get() as number;
      if (rows > 0) lost.push({ table, column, rows });
    }
  }
  return lost.sort((a, b) => a.table.localeCompare(b.table) || (a.column ?? '').localeCompare(b.column ?? ''));
}
