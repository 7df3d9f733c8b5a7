/**
 * Documents that travel between app versions (issue 13): Fieldbook's engine built at head 5,
 * head 6 and head 7 (a test-only 7th migration of each class), and documents going between them.
 */
import assert from 'node:assert/strict';
import path = require('node:path');
import { test } from 'node:test';
import { classifyDocument, exportDocument, openDocument, upgradeDocument, isFieldbookError } from '@fieldbook/engine';
import { createDocumentAt } from '@fieldbook/engine/testing';
import { wayBackTableName } from '@fieldbook/engine/tooling';
import { engineAt } from './helpers/app-versions';
import { fileState, rows, runCli, sha256File, tempDir, withDb } from './helpers/fixtures';
import { richHeadDocument } from './helpers/rich-document';
import { fieldbookEngine } from '../main/fieldbook/fieldbook-engine';
import fs = require('node:fs');

const WAY_BACK = wayBackTableName('fieldbook_migrations');

/** A document of the head-7 app of class `seventh`, with the rich document's rows and rows in what version 7 adds. */
async function seventhDocument(seventh: 'additive' | 'readable' | 'breaking', dir = tempDir()): Promise<string> {
  const file = richHeadDocument(dir, `seventh-${seventh}.fieldbook`);
  await upgradeDocumentWith(file, seventh);
  withDb(file, (db) => {
    if (seventh === 'additive')
      db.exec("INSERT INTO field_notes (id, sample_id, body) VALUES (1, 10, 'windy'), (2, 12, 'snow'); UPDATE samples SET weather = 'rain' WHERE id = 11");
    if (seventh === 'readable') db.exec("INSERT INTO calibrations (id, instrument_id, calibrated_on) VALUES (1, 1, '2024-01-01')");
    if (seventh === 'breaking') db.exec("INSERT INTO site_visits (id, site_id, visited_on) VALUES (1, 1, '2024-02-02'), (2, 2, '2024-02-03')");
  });
  return file;
}

async function upgradeDocumentWith(file: string, seventh: 'additive' | 'readable' | 'breaking'): Promise<void> {
  await upgradeDocument(file, { engine: await engineAt(6, seventh), backup: false });
}

test('every applied step is recorded with its class and down SQL; released documents stay current and get theirs on upgrade', async () => {
  const engine = fieldbookEngine();
  const file = createDocumentAt(6, { engine, dir: tempDir() });
  const recorded = rows(file, `SELECT version, name, compatibility, length(down_sql) > 0 AS hasDown FROM ${WAY_BACK} ORDER BY version`);
  assert.deepEqual(
    recorded.map((r) => [r.version, r.compatibility, r.hasDown]),
    [
      [1, 'breaking', 1],
      [2, 'additive', 1],
      [3, 'readable', 1],
      [4, 'breaking', 1],
      [5, 'readable', 1],
      [6, 'readable', 1],
    ],
  );
  assert.equal(classifyDocument(file, { engine, check: 'full' }).status, 'current');
  // A 2.0.0 notebook (no way-back table) is current, and gets every row when it is next migrated.
  const released = path.join(tempDir(), 'v3.fieldbook');
  fs.copyFileSync(path.join(__dirname, '..', '..', 'test', 'fixtures', 'notebook-2.0.0-v3.fieldbook'), released);
  assert.deepEqual(rows(released, 'SELECT count(*) AS n FROM sqlite_schema WHERE name = ?', WAY_BACK), [{ n: 0 }]);
  await upgradeDocument(released, { engine, backup: false });
  assert.deepEqual(
    rows(released, `SELECT version FROM ${WAY_BACK} ORDER BY version`).map((r) => r.version),
    [1, 2, 3, 4, 5, 6],
  );
  assert.equal(classifyDocument(released, { engine, check: 'full' }).status, 'current');
  const v6 = path.join(__dirname, '..', '..', 'test', 'fixtures', 'notebook-2.0.0-v6.fieldbook');
  assert.equal(classifyDocument(v6, { engine, check: 'full' }).status, 'current');
});

test('additive: a head-6 app opens a version-7 document for writing and keeps what it does not know', async () => {
  const file = await seventhDocument('additive');
  const six = await engineAt(6);
  const c = classifyDocument(file, { engine: six });
  assert.deepEqual([c.status, c.newer?.compatibility, c.newer?.wayBack], ['newer', 'additive', true]);
  const handle = await openDocument(file, { engine: six });
  try {
    assert.equal(handle.readOnly, false);
    await handle.write(async () => handle.db.exec("INSERT INTO samples (id, site_id, code, description) VALUES (20, 1, 'R-3', 'written by 6')"));
  } finally {
    handle.close();
  }
  const seven = await engineAt(6, 'additive');
  assert.equal(classifyDocument(file, { engine: seven, check: 'full' }).status, 'current');
  assert.deepEqual(rows(file, 'SELECT id, body FROM field_notes ORDER BY id'), [
    { id: 1, body: 'windy' },
    { id: 2, body: 'snow' },
  ]);
  assert.deepEqual(rows(file, 'SELECT id, weather FROM samples WHERE id IN (11, 20) ORDER BY id'), [
    { id: 11, weather: 'rain' },
    { id: 20, weather: null },
  ]);
});

test('readable: a head-6 app opens a version-7 document read-only; a copy for version 6 lists what it lacks', async () => {
  const dir = tempDir();
  const file = await seventhDocument('readable', dir);
  const six = await engineAt(6);
  const handle = await openDocument(file, { engine: six });
  try {
    assert.deepEqual([handle.readOnly, handle.classification.newer?.compatibility], [true, 'readable']);
  } finally {
    handle.close();
  }
  const before = fileState(file);
  const copy = path.join(dir, 'for-6.fieldbook');
  const result = await exportDocument(file, copy, { engine: six });
  assert.deepEqual(fileState(file), before, 'the original is never written');
  assert.deepEqual([result.version, result.source.version], [6, 7]);
  assert.deepEqual(result.lost, [{ table: 'calibrations', column: null, rows: 1 }]);
  assert.equal(classifyDocument(copy, { engine: six, check: 'full' }).status, 'current');
});

test('breaking: a head-6 app does not read a version-7 document as it is; its copy has the renamed column back', async () => {
  const dir = tempDir();
  const file = await seventhDocument('breaking', dir);
  const six = await engineAt(6);
  assert.equal(classifyDocument(file, { engine: six }).newer?.compatibility, 'breaking');
  const before = sha256File(file);
  const copy = path.join(dir, 'for-6.fieldbook');
  const result = await exportDocument(file, copy, { engine: six, asVersion: 6 });
  assert.equal(sha256File(file), before);
  assert.deepEqual(result.lost, [{ table: 'site_visits', column: null, rows: 2 }]);
  assert.deepEqual(rows(copy, 'SELECT id, unit FROM measurements WHERE unit IS NOT NULL ORDER BY id'), [
    { id: 101, unit: 'm' },
    { id: 102, unit: 'C' },
    { id: 104, unit: 'm' },
  ]);
  // The copy of a copy: further back than head through this app's own down steps.
  const older = await exportDocument(file, path.join(dir, 'for-4.fieldbook'), { engine: six, asVersion: 4 });
  assert.equal(older.version, 4);
  assert.ok(older.lost.some((l) => l.table === 'site_visits') && older.lost.some((l) => l.table === 'attachments'));
});

test('a notebook travels 6 → 5 → 6 and keeps everything the loss report did not list', async () => {
  const dir = tempDir();
  const original = richHeadDocument(dir);
  const five = await engineAt(5);
  const c = classifyDocument(original, { engine: five });
  assert.deepEqual([c.status, c.newer?.compatibility, c.newer?.wayBack, c.newer?.steps.map((s) => s.name)], ['newer', 'readable', true, ['0006-search-checked-values']]);
  const before = sha256File(original);
  const copy = path.join(dir, 'for-5.fieldbook');
  const result = await exportDocument(original, copy, { engine: five });
  assert.equal(sha256File(original), before);
  assert.deepEqual(result.lost, [
    { table: 'data_issues', column: null, rows: 2 },
    { table: 'samples', column: 'created_at', rows: 5 },
  ]);
  assert.equal(classifyDocument(copy, { engine: five, check: 'full' }).status, 'current');
  // Back in a head-6 app: upgraded, and equal to the original wherever the report listed nothing.
  await upgradeDocument(copy, { engine: await engineAt(6), backup: false });
  const listed = new Set(result.lost.map((l) => `${l.table}.${l.column ?? '*'}`));
  for (const table of ['sites', 'samples', 'measurements', 'tags', 'sample_tags', 'instruments', 'attachments', 'data_issues']) {
    if (listed.has(`${table}.*`)) continue;
    const columns = rows(original, `SELECT name FROM pragma_table_info('${table}')`)
      .map((r) => String(r.name))
      .filter((col) => !listed.has(`${table}.${col}`));
    const select = `SELECT ${columns.join(', ')} FROM ${table} ORDER BY rowid`;
    assert.deepEqual(rows(copy, select), rows(original, select), `${table} after 6 → 5 → 6`);
  }
  // Data issues the way back dropped are the ones of version 6; version 6's upgrade records them again.
  assert.deepEqual(
    rows(copy, 'SELECT table_name, row_id, column_name FROM data_issues WHERE schema_version < 6 ORDER BY id'),
    rows(original, 'SELECT table_name, row_id, column_name FROM data_issues WHERE schema_version < 6 ORDER BY id'),
  );
});

test('unknown: no class recorded, or no way back: read-only, and a copy is refused (TOO_NEW, nothing written)', async () => {
  const dir = tempDir();
  const file = await seventhDocument('breaking', dir);
  const six = await engineAt(6);
  withDb(file, (db) => db.exec(`UPDATE ${WAY_BACK} SET compatibility = NULL WHERE version = 7`));
  assert.deepEqual([classifyDocument(file, { engine: six }).newer?.compatibility, classifyDocument(file, { engine: six }).newer?.wayBack], [null, true]);
  withDb(file, (db) => db.exec(`DROP TABLE ${WAY_BACK}`));
  const c = classifyDocument(file, { engine: six });
  assert.deepEqual([c.newer?.compatibility, c.newer?.wayBack], [null, false]);
  await assert.rejects(exportDocument(file, path.join(dir, 'x.fieldbook'), { engine: six }), (e: unknown) => isFieldbookError(e) && e.code === 'TOO_NEW');
  assert.equal(fs.existsSync(path.join(dir, 'x.fieldbook')), false);
});

test("a document cannot talk its way into being written: a breaking change declared additive is judged by the older app's own diff", async () => {
  const file = await seventhDocument('breaking');
  withDb(file, (db) => db.exec(`UPDATE ${WAY_BACK} SET compatibility = 'additive' WHERE version = 7`));
  const six = await engineAt(6);
  const handle = await openDocument(file, { engine: six });
  try {
    assert.deepEqual([handle.classification.newer?.compatibility, handle.readOnly], ['breaking', true]);
    assert.ok(handle.classification.newer!.reasons.some((r) => r.includes('measurements.unit is gone')));
  } finally {
    handle.close();
  }
});

test("the CLI: info shows each step's class and how this version opens a newer notebook; export --as-version goes through its way back", async () => {
  const dir = tempDir();
  const file = await seventhDocument('breaking', dir);
  const info = runCli(['info', file, '--json']);
  assert.equal(info.status, 0, info.stderr);
  const json = info.json as { status: string; applied: { name: string; compatibility: string | null }[]; newer: { compatibility: string; wayBack: boolean } };
  assert.deepEqual([json.status, json.newer.compatibility, json.newer.wayBack], ['newer', 'breaking', true]);
  assert.deepEqual(
    json.applied.map((a) => a.compatibility),
    ['breaking', 'additive', 'readable', 'breaking', 'readable', 'readable', 'breaking'],
  );
  const plain = runCli(['info', file]);
  assert.match(plain.stdout, /for this version \(head 6\): cannot be read by this version \(breaking\)\nway back to version 6: yes/);
  assert.match(plain.stdout, /0007-unit-symbols .* breaking\n/);
  const before = sha256File(file);
  const exported = runCli(['export', file, '--as-version', '5', '--out', path.join(dir, 'for-5.fieldbook')]);
  assert.equal(exported.status, 0, exported.stderr);
  assert.match(exported.stdout, /version 5 \(from version 7\)[\s\S]*not representable at version 5: site_visits \(2 rows\)/);
  assert.equal(sha256File(file), before);
  assert.equal(classifyDocument(path.join(dir, 'for-5.fieldbook'), { engine: fieldbookEngine(), check: 'full' }).status, 'outdated');
});

test("a newer app's wider way-back table reads the same, and the copy gets this app's own", async () => {
  const dir = tempDir();
  const file = await seventhDocument('readable', dir);
  withDb(file, (db) => db.exec(`ALTER TABLE ${WAY_BACK} ADD COLUMN up_sql TEXT`));
  const six = await engineAt(6);
  assert.deepEqual([classifyDocument(file, { engine: six }).newer?.compatibility, classifyDocument(file, { engine: six }).newer?.wayBack], ['readable', true]);
  const copy = path.join(dir, 'for-6.fieldbook');
  await exportDocument(file, copy, { engine: six });
  assert.equal(classifyDocument(copy, { engine: six, check: 'full' }).status, 'current');
  assert.deepEqual(
    rows(copy, `SELECT name FROM pragma_table_info('${WAY_BACK}')`).map((r) => r.name),
    ['version', 'name', 'compatibility', 'down_sql'],
  );
});
