/**
 * Runs one schema situation the way the migration runner runs a step (a real file on disk,
 * foreign keys off, one transaction, foreign_key_check before COMMIT) and checks what every
 * schema operation promises: rows and rowids kept, columns as expected, no leftovers, views that
 * run, FTS5 indexes that pass integrity-check, integrity and foreign keys clean after reopening;
 * or, for a refusal, the expected message and a file that reopens exactly as it was.
 */
import assert from 'node:assert/strict';
import path = require('node:path');
import Database from 'better-sqlite3';
import { schemaOperations, type SchemaOperations, connectionExecutor, quoteIdent } from '@fieldbook/engine/tooling';
import { tempDir } from './fixtures';

export type Db = Database.Database;

export interface Situation {
  name: string;
  /** CREATE statements. */
  schema: string;
  /** Rows (and deletions, so rowids have gaps). */
  data?: string;
  op: (ops: SchemaOperations, db: Db) => void;
  /** The operation must be refused with this message, leaving the file exactly as it was. */
  refuses?: RegExp;
  /** Columns (`table.column`, names after the operation) whose values the operation changes on purpose. */
  converts?: string[];
  /** Expected columns of the tables the operation reshapes; every other table must keep its own exactly. */
  columns?: Record<string, string[]>;
  /** Tables the operation renames, old → new. */
  renames?: Record<string, string>;
  /** Columns the operation renames: `table.old` → `new` (table as named after the operation). */
  columnRenames?: Record<string, string>;
  /** Run the document in WAL mode. */
  wal?: boolean;
  /** Further assertions on the reopened document (foreign keys on): use the views, fire the triggers. */
  then?: (db: Db) => void;
}

interface TableSnapshot {
  columns: string[];
  rows: Map<string, Record<string, unknown>>;
}

interface Snapshot {
  objects: unknown[];
  tables: Map<string, TableSnapshot>;
}

const ROWID_NAMES = ['rowid', '_rowid_', 'oid'];

function snapshot(db: Db): Snapshot {
  const objects = db.prepare('SELECT type, name, tbl_name, sql FROM sqlite_schema ORDER BY type, name').all();
  const tables = new Map<string, TableSnapshot>();
  const names = db
    .prepare("SELECT name FROM pragma_table_list WHERE schema = 'main' AND type IN ('table', 'shadow') AND name NOT IN ('sqlite_schema', 'sqlite_temp_schema')")
    .pluck()
    .all() as string[];
  for (const name of names) {
    const columns = db.prepare('SELECT name FROM pragma_table_xinfo(?)').pluck().all(name) as string[];
    const wr = (db.prepare("SELECT wr FROM pragma_table_list WHERE schema = 'main' AND name = ?").get(name) as { wr: number }).wr;
    const rowidName = wr ? null : ROWID_NAMES.find((r) => !columns.some((c) => c.toLowerCase() === r));
    const pk = db.prepare('SELECT name FROM pragma_table_xinfo(?) WHERE pk > 0 ORDER BY pk').pluck().all(name) as string[];
    const list = columns.map(quoteIdent).join(', ');
    const rows = db
      .prepare(`SELECT ${rowidName ? `${rowidName} AS "__key__", ` : ''}${list} FROM ${quoteIdent(name)}`)
      .raw()
      .all() as unknown[][];
    const byKey = new Map<string, Record<string, unknown>>();
    rows.forEach((raw, i) => {
      const values = rowidName ? raw.slice(1) : raw;
      const row = Object.fromEntries(columns.map((c, k) => [c, values[k]]));
      const key =
        name === 'sqlite_sequence'
          ? String(row.name)
          : rowidName
            ? `rowid ${String(raw[0])}`
            : pk.length
              ? JSON.stringify(
                  pk.map((c) => row[c]),
                  (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v),
                )
              : `row ${i}`;
      byKey.set(key, row);
    });
    tables.set(name, { columns, rows: byKey });
  }
  return { objects, tables };
}

const fold = (s: string) => s.replace(/[A-Z]/g, (c) => c.toLowerCase());

/** Runs the situation and makes every generic assertion; returns nothing, throws on failure. */
export function runSituation(s: Situation): void {
  const file = path.join(tempDir('fieldbook-situation-'), 'document.sqlite');
  let db = new Database(file);
  if (s.wal) db.pragma('journal_mode = WAL');
  db.exec(s.schema);
  if (s.data) db.exec(s.data);
  const before = snapshot(db);

  db.pragma('foreign_keys = OFF');
  db.exec('BEGIN');
  let failure: Error | null = null;
  try {
    s.op(schemaOperations(connectionExecutor(db)), db);
  } catch (error) {
    failure = error as Error;
  }
  if (failure) {
    db.exec('ROLLBACK');
    db.close();
    if (!s.refuses) throw failure;
    assert.match(failure.message, s.refuses);
    db = new Database(file);
    try {
      assert.deepEqual(snapshot(db), before, 'a refused operation leaves the document exactly as it was');
    } finally {
      db.close();
    }
    return;
  }
  if (s.refuses) {
    db.exec('ROLLBACK');
    db.close();
    assert.fail(`expected a refusal matching ${s.refuses}`);
  }
  assert.deepEqual(db.prepare('PRAGMA foreign_key_check').all(), [], 'foreign_key_check is clean before COMMIT');
  db.exec('COMMIT');
  db.close();

  db = new Database(file);
  try {
    db.pragma('foreign_keys = ON');
    assert.equal(db.pragma('integrity_check', { simple: true }), 'ok');
    assert.deepEqual(db.prepare('PRAGMA foreign_key_check').all(), []);
    const after = snapshot(db);
    const expectedNames = [...before.tables.keys()].map((t) => s.renames?.[t] ?? t).sort();
    assert.deepEqual([...after.tables.keys()].sort(), expectedNames, 'the same tables, no leftovers');
    for (const [oldName, old] of before.tables) {
      const name = s.renames?.[oldName] ?? oldName;
      const now = after.tables.get(name)!;
      const renamed = (c: string) => s.columnRenames?.[`${name}.${c}`] ?? c;
      assert.deepEqual(now.columns, s.columns?.[name] ?? old.columns.map(renamed), `columns of ${name}`);
      const keyAfter = (key: string) => (oldName === 'sqlite_sequence' ? (s.renames?.[key] ?? key) : key);
      assert.deepEqual([...now.rows.keys()].sort(), [...old.rows.keys()].map(keyAfter).sort(), `${name} keeps every row and rowid`);
      for (const [key, row] of old.rows) {
        const newRow = now.rows.get(keyAfter(key))!;
        for (const c of old.columns) {
          const target = now.columns.find((n) => fold(n) === fold(renamed(c)));
          if (target === undefined || s.converts?.some((x) => fold(x) === fold(`${name}.${target}`))) continue;
          if (name === 'sqlite_sequence' && c === 'name') continue;
          if (name === 'sqlite_sequence' && c === 'seq') {
            assert.ok(Number(newRow[target]) >= Number(row[c]), 'an AUTOINCREMENT counter never goes back');
            continue;
          }
          assert.deepEqual(newRow[target], row[c], `${name} ${key} ${target}`);
        }
      }
    }
    for (const v of db.prepare("SELECT name FROM sqlite_schema WHERE type = 'view'").pluck().all() as string[]) {
      db.prepare(`SELECT * FROM ${quoteIdent(v)}`).all();
    }
    const fts = db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND sql LIKE 'CREATE VIRTUAL TABLE%fts5%'").pluck().all() as string[];
    for (const f of fts) db.exec(`INSERT INTO ${quoteIdent(f)}(${quoteIdent(f)}) VALUES ('integrity-check')`);
    s.then?.(db);
  } finally {
    db.close();
  }
}

/** The stored CREATE statement of an object. */
export function sqlOf(db: Db, name: string): string {
  return db.prepare('SELECT sql FROM sqlite_schema WHERE name = ?').pluck().get(name) as string;
}

export function values(db: Db, sql: string): unknown[] {
  return db.prepare(sql).pluck().all();
}
