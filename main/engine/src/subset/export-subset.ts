import path = require('node:path');
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { EngineOption } from '../documents/classify';
import { openConnection, type Connection } from '../sqlite/connection';
import { createDocument } from '../documents/create';
import type { Engine } from '../engine';
import { FieldbookError } from '../errors';
import { validate } from '../documents/migrate';
import { dropTriggers, rebuildFullTextIndexes } from '../schema/triggers-and-indexes';
import { abortIfAsked, writeDerivedDocument } from '../documents/write-derived-document';
import { connectionExecutor } from '../sqlite/sql-executor';
import { quoteIdent } from '../sqlite/sql-tokens';
import { computeClosure, foreignKeysOf, subsetTables, type SubsetTable } from './closure';

/** What exportSubset reports to `onProgress` as it works. */
export interface SubsetProgress {
  /** `selecting` while the rows are worked out, `copying` per chunk, `finishing` while indexes and checks run. */
  phase: 'selecting' | 'copying' | 'finishing';
  /** The table being copied (copying only). */
  table?: string;
  /** Rows copied so far and rows to copy, per table (known from `copying` on). */
  tables: Record<string, { copied: number; total: number }>;
  /** Rows copied so far, over all tables. */
  copied: number;
  /** Rows to copy, over all tables. */
  total: number;
}

/** Options of exportSubset (and, without `overwrite`, of the temporary subsets). */
export interface ExportOptions extends EngineOption {
  /** Replace an existing destination (default: refuse with EXISTS). */
  overwrite?: boolean;
  /** Called as the rows are selected, per chunk copied, and while the result is checked. */
  onProgress?: (progress: SubsetProgress) => void;
  /** Cancels the export; nothing is left at the destination. */
  signal?: AbortSignal;
  /** Documents open in other processes, which the destination must not be (SAME_FILE); see DistinctDestinationOptions. */
  openDocuments?: readonly string[];
  /**
   * A selection that matches no rows: `'write'` an empty document (default), or `'refuse'` with
   * EMPTY_SELECTION before anything is written (a command line that was given a selection).
   */
  empty?: 'write' | 'refuse';
}

/** What exportSubset wrote. */
export interface SubsetResult {
  destination: string;
  version: number;
  /** Rows per table in the subset. */
  counts: Record<string, number>;
  /** True when the selection matched nothing: the result is a valid, empty document. */
  empty: boolean;
  source: { path: string; version: number; upgraded: boolean };
}

/** Rows copied per statement: progress and cancellation happen between chunks. */
const CHUNK = 20000;

/**
 * Writes the rows a selection picks, and everything they need, into a new document at the
 * destination. The rows are worked out from the document's foreign keys (see computeClosure),
 * copied with their ids into a fresh document created at head (stamped exactly as a new one),
 * full-text indexes are rebuilt, and the result is checked (foreign_key_check,
 * integrity_check, schema) before it is fsynced under a temporary name beside the destination
 * and renamed into place. The source is only ever read; an outdated source is upgraded in a
 * private temporary copy.
 * @throws FieldbookError BAD_SELECTION, EMPTY_SELECTION (with `empty: 'refuse'`), SAME_FILE, EXISTS, NO_SPACE, ABORTED, TOO_NEW, NOT_A_FIELDBOOK, UNKNOWN_SCHEMA,
 *   NOT_SQLITE, DAMAGED, NOT_FOUND, LOCKED, READ_ONLY
 */
export async function exportSubset(source: string, destination: string, selection: unknown, options: ExportOptions): Promise<SubsetResult> {
  const engine = options.engine;
  const config = engine.subsets;
  if (!config) throw new FieldbookError('BAD_SELECTION', `this engine (${engine.appName}) has no subset configuration`);
  const where = config.select(selection);
  return writeDerivedDocument(engine, source, destination, options, async (readable, temp, target) => {
    createDocument(temp, { engine });
    const counts = await fill(
      temp,
      readable.path,
      engine,
      (db, tables) => {
        const keys = foreignKeysOf(db, tables);
        return computeClosure(db, tables, keys, config, where);
      },
      options,
    );
    const rows = Object.values(counts).reduce((a, b) => a + b, 0);
    return {
      destination: target,
      version: engine.migrations.head,
      counts,
      empty: rows === 0,
      source: { path: path.resolve(source), version: readable.version, upgraded: readable.upgraded },
    };
  });
}

/**
 * Copies rows from `sourcePath` (attached read-only as `src`) into the new document `temp`, for
 * the rows the `choose` callback leaves in each table's `keep` set, in one transaction.
 * Triggers of the new document are dropped during the copy (so copying reproduces rows exactly,
 * with no side effects) and recreated after; full-text indexes over content tables are rebuilt.
 */
async function fill(
  temp: string,
  sourcePath: string,
  engine: Engine,
  choose: (db: Connection, tables: SubsetTable[]) => Map<string, number>,
  options: ExportOptions,
): Promise<Record<string, number>> {
  const db = openConnection(temp, { lockTimeoutMs: engine.lockTimeoutMs });
  try {
    // The file is private until it is renamed into place, so it is built without a journal.
    db.exec('PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA foreign_keys = OFF');
    // better-sqlite3's SQLite is built without URI filenames, so `?mode=ro` is not available: the
    // source is attached plainly and only ever read (SELECTs; its triggers cannot run on reads).
    // Sources whose closing could write (WAL mode) are private copies (readableSource).
    db.prepare('ATTACH DATABASE ? AS src').run(sourcePath);
    db.exec('BEGIN');
    const tables = subsetTables(db, engine.versionTable);
    const tableProgress: SubsetProgress['tables'] = {};
    const report = (phase: SubsetProgress['phase'], table?: string) => {
      const all = Object.values(tableProgress);
      options.onProgress?.({ phase, table, tables: tableProgress, copied: all.reduce((a, t) => a + t.copied, 0), total: all.reduce((a, t) => a + t.total, 0) });
    };
    report('selecting');
    const totals = choose(db, tables);
    if (options.empty === 'refuse' && [...totals.values()].every((rows) => rows === 0)) {
      throw new FieldbookError('EMPTY_SELECTION', `the selection matched no ${engine.subsets?.rootTable ?? 'rows'}; nothing was written`);
    }
    for (const t of tables) tableProgress[t.name] = { copied: 0, total: totals.get(t.name) ?? 0 };
    const triggers = dropTriggers(db);
    for (const t of tables) {
      const progress = tableProgress[t.name]!;
      if (progress.total === 0) continue;
      await copyRows(db, t, progress, options.signal, () => report('copying', t.name));
    }
    report('finishing');
    for (const sql of triggers) db.exec(sql);
    rebuildFullTextIndexes(db);
    abortIfAsked(options.signal);
    db.exec('COMMIT');
    db.exec('DETACH DATABASE src');
    validate(connectionExecutor(db), engine, engine.migrations.head);
    const integrity = db.pragma('integrity_check', { simple: true });
    if (integrity !== 'ok') throw new Error(`the subset failed integrity_check: ${String(integrity)}`);
    db.exec('PRAGMA journal_mode = DELETE');
    return Object.fromEntries(tables.map((t) => [t.name, tableProgress[t.name]!.total]));
  } finally {
    if (db.inTransaction) db.exec('ROLLBACK');
    db.close();
  }
}

async function copyRows(db: Connection, t: SubsetTable, progress: { copied: number; total: number }, signal: AbortSignal | undefined, report: () => void): Promise<void> {
  const columns = t.columns.map(quoteIdent).join(', ');
  const into = `INSERT INTO main.${quoteIdent(t.name)} (${columns}) SELECT ${columns} FROM src.${quoteIdent(t.name)}`;
  if (t.withoutRowid) {
    const key = t.key.map(quoteIdent).join(', ');
    progress.copied += db.prepare(`${into} WHERE (${key}) IN (SELECT * FROM ${t.keep})`).run().changes;
    report();
    return;
  }
  const chunk = db.prepare(`${into} WHERE rowid IN (SELECT k FROM ${t.keep} WHERE k > ? ORDER BY k LIMIT ${CHUNK})`);
  const last = db.prepare(`SELECT max(k) FROM (SELECT k FROM ${t.keep} WHERE k > ? ORDER BY k LIMIT ${CHUNK})`).pluck();
  let after: number | bigint = -(2n ** 63n);
  while (progress.copied < progress.total) {
    abortIfAsked(signal);
    const end = last.get(after) as number | bigint | null;
    if (end === null) break;
    progress.copied += chunk.run(after).changes;
    after = end;
    report();
    await nextTurn();
  }
}
