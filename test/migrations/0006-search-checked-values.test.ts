import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fieldbookEngine } from '../../main/fieldbook/fieldbook-engine';
import { downgradeDocument } from '@fieldbook/engine';
import { documentAt, rows, withDb } from '../helpers/fixtures';
import { columns, dataIssues, migrateTo, objectNames } from '../helpers/migrate';

/** [id, lat, lon, lat after, lon after] */
const SITES: [number, unknown, unknown, number | null, number | null][] = [
  [1, 45.5, 7, 45.5, 7], [2, 91, 10, null, null], [3, 10, -181, null, null], [4, null, 200, null, null],
  [5, 'north', 5, null, null], [6, 90, -180, 90, -180], [7, -90, 180, -90, 180], [8, null, null, null, null], [9, -90.0001, 0, null, null],
];

function seed(file: string): void {
  withDb(file, (db) => {
    const site = db.prepare('INSERT INTO sites (id, name, lat, lon) VALUES (?, ?, ?, ?)');
    for (const [id, lat, lon] of SITES) site.run(id, `site ${id}`, lat, lon);
    db.exec(`INSERT INTO samples (id, site_id, code, description, collected_on) VALUES
      (1, 1, 'R-1', 'sandy sediment near the river', '2021-04-01'),
      (2, 1, '', 'empty code', NULL),
      (3, 3, 'sample-4', 'holds the name sample 4 would get', NULL),
      (4, 3, '', 'empty, and sample-4 is taken', NULL),
      (5, 6, 'sample-6', NULL, NULL), (6, 6, '', 'empty, sample-6 taken', NULL), (7, 6, 'sample-6-2', NULL, NULL),
      (8, NULL, '', 'no site', NULL),
      (9, 2, 'sample-2', 'another site may hold sample-2', NULL);
      INSERT INTO measurements (id, sample_id, kind, value, unit, instrument_id) VALUES (1, 1, 'pH', 7.1, NULL, NULL), (2, 2, 'depth', 3, 'm', NULL);
      INSERT INTO instruments VALUES (1, 'probe', NULL);
      UPDATE measurements SET instrument_id = 1 WHERE id = 2;
      INSERT INTO tags VALUES (1, 'sediment'), (2, 'River');
      INSERT INTO sample_tags VALUES (1, 1), (1, 2), (2, 1);
      INSERT INTO attachments VALUES (1, 1, 'photo.jpg', 'image/jpeg', x'ffd8ffe000', 'e3b0');`);
  });
}

test('0006 checks coordinates and codes, adds created_at and full-text search, keeping every child row', async () => {
  const file = documentAt(5);
  seed(file);
  const children = () => ['measurements', 'sample_tags', 'attachments', 'tags', 'instruments'].map((t) => rows(file, `SELECT * FROM ${t} ORDER BY rowid`));
  const before = children();
  const started = new Date().toISOString();
  await migrateTo(file, 6);
  const finished = new Date().toISOString();
  assert.deepEqual(children(), before, 'measurements, sample_tags, attachments, tags and instruments are untouched');
  assert.deepEqual(rows(file, 'SELECT id, lat, lon FROM sites ORDER BY id'), SITES.map(([id, , , lat, lon]) => ({ id, lat, lon })));
  const siteIssues = dataIssues(file, 6).filter((i) => i.table_name === 'sites');
  const cleared = SITES.filter(([, lat, lon, newLat]) => newLat === null && (lat !== null || lon !== null));
  assert.deepEqual(siteIssues.map((i) => [i.row_id, i.column_name, i.original_value]),
    cleared.flatMap(([id, lat, lon]) => [[id, 'lat', lat], [id, 'lon', lon]]));
  assert.deepEqual(rows(file, 'SELECT id, code FROM samples ORDER BY id'), [
    { id: 1, code: 'R-1' }, { id: 2, code: 'sample-2' }, { id: 3, code: 'sample-4' }, { id: 4, code: 'sample-4-2' },
    { id: 5, code: 'sample-6' }, { id: 6, code: 'sample-6-3' }, { id: 7, code: 'sample-6-2' }, { id: 8, code: 'sample-8' }, { id: 9, code: 'sample-2' },
  ]);
  const codeIssues = dataIssues(file, 6).filter((i) => i.table_name === 'samples');
  assert.deepEqual(codeIssues.map((i) => [i.row_id, i.column_name, i.original_value]), [[2, 'code', ''], [4, 'code', ''], [6, 'code', ''], [8, 'code', '']]);
  const created = rows(file, 'SELECT DISTINCT created_at FROM samples');
  assert.equal(created.length, 1, 'every existing sample gets the same upgrade time');
  const at = created[0]!.created_at as string;
  assert.match(at, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
  assert.ok(at >= started.slice(0, 19) && at <= finished, `${at} is the time of the upgrade`);
  assert.deepEqual(columns(file, 'samples'), ['id INTEGER', 'site_id INTEGER', 'code TEXT', 'collected_on TEXT', 'description TEXT', 'created_at TEXT']);
  const indexes = objectNames(file, 'index');
  for (const name of ['samples_site_id_idx', 'samples_site_code_uq', 'sqlite_autoindex_tags_1']) assert.ok(indexes.includes(name), `index ${name} survives`);
  assert.deepEqual(rows(file, 'PRAGMA foreign_key_check'), []);
  assert.deepEqual(rows(file, 'PRAGMA integrity_check'), [{ integrity_check: 'ok' }]);
});

test('0006 search finds existing samples and stays in sync through the triggers', async () => {
  const file = documentAt(5);
  seed(file);
  await migrateTo(file, 6);
  const search = (q: string) => rows(file, 'SELECT rowid FROM samples_fts WHERE samples_fts MATCH ? ORDER BY rowid', q).map((r) => r.rowid);
  assert.deepEqual(search('sediment'), [1]);
  assert.deepEqual(search('empty'), [2, 4, 6]);
  withDb(file, (db) => {
    db.pragma('foreign_keys = ON');
    db.exec("INSERT INTO samples (id, site_id, code, description) VALUES (20, 1, 'N-1', 'fresh basalt')");
    db.exec("UPDATE samples SET description = 'weathered granite' WHERE id = 1");
    db.exec('DELETE FROM samples WHERE id = 2');
  });
  assert.deepEqual(search('basalt'), [20]);
  assert.deepEqual(search('sediment'), []);
  assert.deepEqual(search('granite'), [1]);
  assert.deepEqual(search('empty'), [4, 6]);
  assert.equal(rows(file, 'SELECT count(*) AS n FROM measurements WHERE sample_id = 2')[0]!.n, 0, 'deleting a sample cascades');
  assert.match(String(rows(file, 'SELECT created_at FROM samples WHERE id = 20')[0]!.created_at), /^\d{4}-\d{2}-\d{2}T/);
  assert.throws(() => withDb(file, (db) => db.exec("INSERT INTO samples (site_id, code) VALUES (1, '')")), /CHECK/);
  assert.throws(() => withDb(file, (db) => db.exec("INSERT INTO sites (name, lat) VALUES ('x', 95)")), /CHECK/);
});

test('0006 down restores cleared coordinates and empty codes', async () => {
  const file = documentAt(5);
  seed(file);
  await migrateTo(file, 6);
  await downgradeDocument(file, { to: 5, backup: false, acceptLoss: true, engine: fieldbookEngine() });
  assert.deepEqual(rows(file, 'SELECT id, lat, lon FROM sites ORDER BY id'), SITES.map(([id, lat, lon]) => ({ id, lat, lon })));
  assert.deepEqual(rows(file, "SELECT id FROM samples WHERE code = '' ORDER BY id").map((r) => r.id), [2, 4, 6, 8]);
  assert.deepEqual(dataIssues(file, 6), []);
  assert.ok(!objectNames(file, 'table').includes('samples_fts'));
});
