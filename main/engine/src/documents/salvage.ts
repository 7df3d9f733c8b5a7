import { wayBackTableName } from '../travel/way-back-table';
import fs = require('node:fs');
import path = require('node:path');
import Database from 'better-sqlite3';
import type { EngineOption } from './classify';
import { statDocument } from './classify';
import { writeSchemaAt } from './create';
import { upgradeDocument } from './migrate';
import { createConnection, isOpenInThisProcess, type Connection } from '../sqlite/connection';
import { checkDestination } from '../sqlite/destination';
import { FieldbookError } from '../errors';
import { writeFailure } from '../sqlite/file-system-failure';
import { fsyncPath } from '../sqlite/fsync';
import { placeFile } from '../sqlite/place-file';
import { quoteIdent } from '../sqlite/sql-tokens';
import { partialPathFor, removeDocumentFiles, tempDocumentPath } from '../sqlite/temp-files';
import { dropTriggers, rebuildFullTextIndexes } from '../schema/triggers-and-indexes';
import { repairHeader } from './salvage-header';
import { damagedPages } from './salvage-pages';
import { copyTable, tryRead, type PageContext } from './salvage-tables';
import { keepReferencesWhole } from './salvage-references';
import type { Engine } from '../engine';

/** Options of salvageDocument. */
export interface SalvageOptions extends EngineOption {
  /** Replace an existing file at the destination (default false: EXISTS). */
  overwrite?: boolean;
  /** Documents open in this app (in another process, too), which the destination must not be (SAME_FILE). */
  openDocuments?: readonly string[];
}

/** What salvageDocument got out of one table. */
export interface SalvagedTable {
  name: string;
  /** Rows written to the new document. */
  recovered: number;
  /**
   * Rowid ranges `[first, last]` where rows were lost: from the last row read before an
   * unreadable one to the first row read after it (a broken page may also hide rows silently).
   */
  lost: [number, number][];
  /** Rows read but left out because a row they refer to was lost and could not be stood in for (foreign keys). */
  orphans: number;
  /** Rows kept whose reference to a lost row was cleared (a nullable foreign key set to NULL). */
  unlinked: number;
  /** Rows made to stand in for lost rows that kept rows refer to: the key, and placeholders in required columns. */
  placeholders: number;
  /** Why the table could not be read at all, or null. */
  unreadable: string | null;
}

/** What salvageDocument did. */
export interface SalvageResult {
  source: string;
  destination: string;
  /** The version the source was read as (its user_version, else its version table, else guessed from its tables). */
  sourceVersion: number;
  /** The destination's version: head (it was upgraded through the normal path). */
  version: number;
  tables: SalvagedTable[];
  recovered: number;
  /** The header fields of the private copy that had to be repaired before SQLite would open it. */
  repairedHeader: string[];
}

/**
 * Reads everything readable out of a damaged document into a new one: the source is copied to a
 * private file (it is only ever read, with plain reads), its header repaired there if SQLite
 * will not open it, and each table of the source's version read in rowid ranges; a range SQLite
 * cannot read (SQLITE_CORRUPT) is halved until the unreadable rowids are isolated, so the rows
 * around a broken page are kept. The rows go into a new document created at the source's
 * version, without triggers (full-text indexes are rebuilt from their content after), rows
 * whose parent row was lost are left out (counted per table), and the new document is then
 * upgraded to head through the normal path. Written all or nothing at `destination`.
 * @throws FieldbookError NOT_FOUND, EXISTS, SAME_FILE, NOT_SQLITE
 *   (nothing of it can be read as SQLite), READ_ONLY, NO_SPACE
 */
export async function salvageDocument(source: string, destination: string, options: SalvageOptions): Promise<SalvageResult> {
  const engine = options.engine;
  const absolute = path.resolve(source);
  const stat = statDocument(absolute);
  const target = checkDestination(destination, options.overwrite === true, { sources: [absolute], openDocuments: options.openDocuments });
  const copy = tempDocumentPath('salvage');
  const temp = partialPathFor(target);
  try {
    await privateCopyOf(absolute, stat, copy);
    const { db: from, repaired } = openDamaged(copy, absolute);
    let result: Omit<SalvageResult, 'version'>;
    try {
      const sourceVersion = versionOf(from, engine);
      const db = createConnection(temp);
      try {
        writeSchemaAt(db, engine, sourceVersion, 'create');
        result = { source: absolute, destination: target, sourceVersion, repairedHeader: repaired, ...copyReadable(from, db, engine, copy) };
      } finally {
        db.close();
      }
    } finally {
      from.close();
    }
    const upgraded = result.sourceVersion < engine.migrations.head ? await upgradeDocument(temp, { engine, backup: false }) : null;
    fsyncPath(temp);
    checkDestination(target, options.overwrite === true, { sources: [absolute], openDocuments: options.openDocuments });
    placeFile(temp, target, options.overwrite === true);
    return { ...result, version: upgraded?.to ?? result.sourceVersion };
  } catch (error) {
    throw writeFailure(error, temp, target);
  } finally {
    removeDocumentFiles(copy);
    removeDocumentFiles(temp);
  }
}

/**
 * Copies the source to `copy` without writing it: with plain reads of the file and its journal
 * or WAL (a file SQLite may not even open); or, when a connection of this process has it open
 * (an app showing the damaged notebook), with SQLite's backup API on a read-only connection,
 * which copies pages without reading them as b-trees: a plain read and close here would drop
 * that connection's locks.
 */
async function privateCopyOf(absolute: string, stat: fs.Stats, copy: string): Promise<void> {
  if (isOpenInThisProcess(stat)) {
    const db = new Database(absolute, { readonly: true, fileMustExist: true });
    try {
      await db.backup(copy, { progress: () => 1 << 30 });
    } finally {
      db.close();
    }
    return;
  }
  fs.copyFileSync(absolute, copy);
  if (fs.statSync(`${absolute}-journal`, { throwIfNoEntry: false })?.isFile()) fs.copyFileSync(`${absolute}-journal`, `${copy}-journal`);
  if (fs.statSync(`${absolute}-wal`, { throwIfNoEntry: false })?.isFile()) fs.copyFileSync(`${absolute}-wal`, `${copy}-wal`);
}

/**
 * Opens the private copy so that its schema can be read: as it is; else with writable_schema,
 * which makes SQLite load what it can of a damaged schema (a table whose root page is gone, an
 * orphan index) instead of refusing every statement (unsafe mode, on this private copy alone:
 * its schema is only read); and when SQLite calls it not a database, after repairing its header.
 */
function openDamaged(copy: string, absolute: string): { db: Connection; repaired: string[] } {
  let repaired: string[] = [];
  let last: unknown;
  for (const step of ['plain', 'writable schema', 'repaired header', 'repaired header, writable schema'] as const) {
    if (step === 'repaired header') {
      repaired = repairHeader(copy);
      if (repaired.length === 0) break;
    }
    let db: Connection | undefined;
    try {
      db = new Database(copy, { fileMustExist: true });
      db.exec('PRAGMA trusted_schema = OFF; PRAGMA cell_size_check = ON; PRAGMA mmap_size = 0');
      if (step.endsWith('writable schema')) {
        db.unsafeMode(true);
        db.pragma('writable_schema = ON');
      }
      db.prepare('SELECT count(*) FROM sqlite_schema').get();
      return { db, repaired };
    } catch (error) {
      db?.close();
      last = error;
    }
  }
  throw new FieldbookError('NOT_SQLITE', `nothing of ${absolute} can be read as an SQLite database (${(last as Error).message})`, { cause: last, details: { path: absolute } });
}

/** The version the source is read as: its user_version, else its version table's last row, else the newest version whose tables it has. */
function versionOf(db: Connection, engine: Engine): number {
  const head = engine.migrations.head;
  const known = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= head;
  const userVersion = tryRead(() => db.pragma('user_version', { simple: true }));
  if (known(userVersion)) return userVersion;
  const recorded = tryRead(() =>
    db
      .prepare(`SELECT max(version) FROM ${quoteIdent(engine.versionTable)}`)
      .pluck()
      .get(),
  );
  if (known(recorded)) return recorded;
  const tables = new Set((tryRead(() => db.prepare("SELECT lower(name) FROM sqlite_schema WHERE type = 'table'").pluck().all()) as string[] | null) ?? []);
  for (let v = head; v >= 1; v--) {
    const wanted = engine.migrations.migrations[v - 1]!.schema.filter((o) => o.type === 'table').map((o) => o.name.toLowerCase());
    if (wanted.every((t) => tables.has(t))) return v;
  }
  return head;
}

/** Copies every readable row of the destination's tables from `from` into `db` (one transaction). */
function copyReadable(from: Connection, db: Connection, engine: Engine, copy: string): { tables: SalvagedTable[]; recovered: number } {
  const pageSize = from.pragma('page_size', { simple: true }) as number;
  const pages: PageContext = { file: copy, damaged: damagedPages(from), pageSize, pageCount: Math.floor(fs.statSync(copy).size / pageSize) };
  db.exec('PRAGMA foreign_keys = OFF; BEGIN');
  const triggers = dropTriggers(db);
  const names = db
    .prepare("SELECT name FROM pragma_table_list WHERE schema = 'main' AND type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name")
    .pluck()
    .all() as string[];
  const own = new Set([engine.versionTable.toLowerCase(), wayBackTableName(engine.versionTable).toLowerCase()]);
  const tables = names.filter((n) => !own.has(n.toLowerCase())).map((name) => copyTable(from, db, name, pages));
  keepReferencesWhole(db, tables);
  for (const sql of triggers) db.exec(sql);
  rebuildFullTextIndexes(db);
  db.exec('COMMIT');
  return { tables, recovered: tables.reduce((sum, t) => sum + t.recovered, 0) };
}
