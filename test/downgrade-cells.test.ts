/**
 * Item 13 of issue 8, checked cell by cell: the loss list of a downgrade (and of export
 * --as-version) equals what an independent comparison of every table, row and cell before and
 * after finds, for every target version. That includes values of a column the older version
 * keeps but that the down steps change (codes version 5 renamed, changed back; a value cleared),
 * while a number merely written as text again (REAL 42 as '42.0') is no loss.
 */
import assert from 'node:assert/strict';
import fs = require('node:fs');
import path = require('node:path');
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { exportDocument, type LostData, downgradeDocument, planDowngrade, upgradeDocument } from '@fieldbook/engine';
import { documentAt, tempDir, withDb } from './helpers/fixtures';
import { fieldbookEngine } from '../main/fieldbook/fieldbook-engine';

type Row = Record<string, unknown>;

function same(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Buffer.isBuffer(a) && Buffer.isBuffer(b)) return a.equals(b);
  if (typeof a === 'number' && typeof b === 'string') return /^[0-9.eE+-]+$/.test(b) && Number(b) === a;
  if (typeof a === 'string' && Buffer.isBuffer(b)) return Buffer.from(a).equals(b);
  if (Buffer.isBuffer(a) && typeof b === 'string') return a.equals(Buffer.from(b));
  return false;
}

/** What `after` no longer holds of `before`, found by reading every cell in JavaScript. */
function cellLoss(before: string, after: string): LostData[] {
  const a = new Database(before, { readonly: true });
  const b = new Database(after, { readonly: true });
  try {
    const tables = (db: Database.Database) =>
      new Map(
        (
          db
            .prepare(
              "SELECT name FROM pragma_table_list WHERE schema = 'main' AND type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' AND name NOT IN ('fieldbook_migrations', 'fieldbook_migrations_way_back')",
            )
            .pluck()
            .all() as string[]
        ).map((n) => [n.toLowerCase(), n]),
      );
    const kept = tables(b);
    const lost: LostData[] = [];
    for (const [key, name] of tables(a)) {
      const rowsBefore = a.prepare(`SELECT rowid AS "__rowid", * FROM "${name.replace(/"/g, '""')}"`).all() as Row[];
      const other = kept.get(key);
      if (!other) {
        if (rowsBefore.length) lost.push({ table: key, column: null, rows: rowsBefore.length });
        continue;
      }
      const columnsAfter = new Set((b.prepare('SELECT name FROM pragma_table_info(?)').pluck().all(other) as string[]).map((c) => c.toLowerCase()));
      const find = b.prepare(`SELECT * FROM "${other.replace(/"/g, '""')}" WHERE rowid = ?`);
      let missing = 0;
      const byColumn = new Map<string, number>();
      for (const row of rowsBefore) {
        const copy = find.get(row.__rowid) as Row | undefined;
        if (!copy) {
          missing++;
          continue;
        }
        const copyByLower = new Map(Object.entries(copy).map(([c, v]) => [c.toLowerCase(), v]));
        for (const [column, value] of Object.entries(row)) {
          if (column === '__rowid' || value === null) continue;
          const c = column.toLowerCase();
          const holds = columnsAfter.has(c) ? same(value, copyByLower.get(c)) : [...copyByLower.values()].some((v) => same(value, v));
          if (!holds) byColumn.set(c, (byColumn.get(c) ?? 0) + 1);
        }
      }
      if (missing) lost.push({ table: key, column: null, rows: missing });
      for (const [column, rows] of byColumn) lost.push({ table: key, column, rows });
    }
    return lost.sort((x, y) => x.table.localeCompare(y.table) || (x.column ?? '').localeCompare(y.column ?? ''));
  } finally {
    a.close();
    b.close();
  }
}

test('every target: the listed loss is exactly what a cell-by-cell comparison finds (renamed codes changed back, numbers as text, blobs, NULs, edits after upgrading)', async () => {
  const dir = tempDir();
  const notebook = documentAt(2, dir, 'it\'s "mixed" notes.fieldbook');
  withDb(notebook, (db) =>
    db.exec(`
    INSERT INTO sites VALUES (1, 'River', 95, 7), (2, 'Ridge', 46.5, 7.25);
    INSERT INTO samples (id, site_id, code, collected, notes) VALUES
      (1, 1, 'A', '2020-01-01', 'first'), (2, 1, 'A', 'autumn', 'duplicate code'), (3, 1, '', NULL, NULL),
      (4, 2, 'B', '3/4/2021', 'nul' || char(0) || 'inside'), (5, NULL, 'A', NULL, NULL);
    INSERT INTO measurements (id, sample_id, kind, value, unit) VALUES
      (1, 1, 'pH', 'n/a', NULL), (2, 1, 'depth', '3,5', 'm'), (3, 4, 'big', '1e308', NULL), (4, 4, 'tiny', '0.30000000000000004', NULL);
    INSERT INTO tags (id, name) VALUES (1, 'sediment'), (2, 'Water');
    INSERT INTO sample_tags VALUES (1, 1), (4, 2);
  `),
  );
  assert.equal((await upgradeDocument(notebook, { engine: fieldbookEngine(), backup: false })).to, 6);
  withDb(notebook, (db) =>
    db.exec(`
    UPDATE measurements SET value = 42 WHERE id = 1;
    UPDATE samples SET description = 'edited after the upgrade' WHERE id = 2;
    INSERT INTO instruments (id, name, serial) VALUES (1, 'probe', NULL);
    UPDATE measurements SET instrument_id = 1 WHERE id = 2;
    INSERT INTO attachments (id, sample_id, filename, mime, data, sha256) VALUES (1, 4, 'x.bin', NULL, x'00ff00', 'aa');
    UPDATE data_issues SET resolved = 1 WHERE id = 1;
  `),
  );
  for (let to = 5; to >= 0; to--) {
    const copy = path.join(dir, `copy to ${to}.fieldbook`);
    fs.copyFileSync(notebook, copy);
    const plan = await planDowngrade(copy, { engine: fieldbookEngine(), to });
    const done = await downgradeDocument(copy, { engine: fieldbookEngine(), to, backup: false, acceptLoss: true });
    const expected = cellLoss(notebook, copy);
    assert.deepEqual(done.lost, expected, `downgrade to ${to}`);
    assert.deepEqual(plan.lost, expected, `the plan for ${to} lists the same before writing`);
    const exported = await exportDocument(notebook, path.join(dir, `export at ${to}.fieldbook`), { engine: fieldbookEngine(), asVersion: to });
    assert.deepEqual(exported.lost, cellLoss(notebook, exported.destination), `export at ${to}`);
    if (to >= 1 && to <= 4)
      assert.ok(
        done.lost.some((l) => l.table === 'samples' && l.column === 'code' && l.rows === 2),
        `to ${to}: the renamed codes A-2 and sample-3 are listed`,
      );
    assert.ok(!done.lost.some((l) => l.table === 'measurements' && l.column === 'value'), `to ${to}: numbers kept as text are not a loss`);
  }
});
