import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fieldbookEngine } from '../../main/fieldbook/fieldbook-engine';
import { downgradeDocument } from '@fieldbook/engine';
import { APPLICATION_ID, beta09Document, documentAt, rows, withDb } from '../helpers/fixtures';
import { columns, migrateTo, objectNames } from '../helpers/migrate';

test('0001 creates the three tables of Fieldbook 1.0 on a base document', async () => {
  const file = documentAt(0);
  const result = await migrateTo(file, 1);
  assert.deepEqual(result.applied.map((s) => s.name), ['0001-initial']);
  assert.deepEqual(objectNames(file, 'table'), ['fieldbook_migrations', 'fieldbook_migrations_way_back', 'measurements', 'samples', 'sites']);
  assert.deepEqual(columns(file, 'sites'), ['id INTEGER', 'name TEXT', 'lat REAL', 'lon REAL']);
  assert.deepEqual(columns(file, 'samples'), ['id INTEGER', 'site_id INTEGER', 'code TEXT', 'collected TEXT', 'notes TEXT']);
  assert.deepEqual(columns(file, 'measurements'), ['id INTEGER', 'sample_id INTEGER', 'kind TEXT', 'value TEXT', 'unit TEXT']);
  const fk = rows(file, "SELECT \"table\", \"from\", \"to\", on_delete FROM pragma_foreign_key_list('measurements')");
  assert.deepEqual(fk, [{ table: 'samples', from: 'sample_id', to: 'id', on_delete: 'CASCADE' }]);
});

test('a 0.9 beta file is adopted as version 1 with every row and value kept', async () => {
  const file = beta09Document();
  withDb(file, (db) => {
    db.exec(`INSERT INTO sites VALUES (1, 'Ridge', 46.5, 7.25), (2, 'Fluss ü', NULL, NULL);
      INSERT INTO samples VALUES (1, 1, 'R-1', '3/4/2019', 'first'), (2, NULL, 'loose', NULL, NULL), (5, 2, 'F-1', 'summer', 'x''y');
      INSERT INTO measurements VALUES (1, 1, 'pH', '7,1', NULL), (2, 5, 'depth', ' 12 ', 'm'), (9, 5, 'note', 'n/a', NULL);`);
  });
  const before = withDb(file, (db) => ['sites', 'samples', 'measurements'].map((t) => db.prepare(`SELECT * FROM ${t} ORDER BY id`).all()));
  const result = await migrateTo(file, 1);
  assert.equal(result.adopted, true);
  assert.deepEqual(result.applied, []);
  const after = withDb(file, (db) => ['sites', 'samples', 'measurements'].map((t) => db.prepare(`SELECT * FROM ${t} ORDER BY id`).all()));
  assert.deepEqual(after, before);
  assert.equal(rows(file, 'PRAGMA application_id')[0]!.application_id, APPLICATION_ID);
  assert.equal(rows(file, 'PRAGMA user_version')[0]!.user_version, 1);
  const applied = rows(file, 'SELECT version, name, method FROM fieldbook_migrations');
  assert.deepEqual(applied, [{ version: 1, name: '0001-initial', method: 'adopt' }]);
});

test('0001 down leaves an empty document at base', async () => {
  const file = documentAt(1);
  await downgradeDocument(file, { to: 'base', backup: false, acceptLoss: true, engine: fieldbookEngine() });
  assert.deepEqual(objectNames(file, 'table'), ['fieldbook_migrations', 'fieldbook_migrations_way_back']);
  assert.deepEqual(rows(file, 'SELECT count(*) AS n FROM fieldbook_migrations_way_back'), [{ n: 0 }], 'no way back is left for versions it no longer has');
  assert.equal(rows(file, 'PRAGMA user_version')[0]!.user_version, 0);
});
