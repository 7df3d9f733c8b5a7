import assert from 'node:assert/strict';
import path = require('node:path');
import { test } from 'node:test';
import { type BundledMigrations, createDocument, createEngine, type MigrationModule, exportSubset } from '@fieldbook/engine';
import { fingerprintOf, replaySchemas, type BundledMigration } from '@fieldbook/engine/tooling';
import { FIELDBOOK_APPLICATION_ID, fieldbookEngine } from '../main/fieldbook/fieldbook-engine';
import { rows, tempDir, withDb } from './helpers/fixtures';

/** A future version 7 with more levels of tables: nothing in the export code knows them. */
const version7: MigrationModule = {
  up(ctx) {
    ctx.exec('CREATE TABLE makers (id INTEGER PRIMARY KEY, name TEXT NOT NULL)');
    ctx.ops.addColumn('instruments', 'maker_id INTEGER REFERENCES makers(id)');
    ctx.exec('CREATE TABLE measurement_notes (id INTEGER PRIMARY KEY, measurement_id INTEGER NOT NULL REFERENCES measurements(id) ON DELETE CASCADE, note TEXT)');
    ctx.exec('CREATE TABLE note_links (id INTEGER PRIMARY KEY, note_id INTEGER NOT NULL REFERENCES measurement_notes(id) ON DELETE CASCADE, url TEXT)');
    ctx.exec('CREATE TABLE calibrations (id INTEGER PRIMARY KEY, instrument_id INTEGER NOT NULL REFERENCES instruments(id) ON DELETE CASCADE, done_on TEXT)');
    ctx.exec(`CREATE TABLE sample_pairs (a INTEGER NOT NULL REFERENCES samples(id) ON DELETE CASCADE, b INTEGER NOT NULL REFERENCES samples(id) ON DELETE CASCADE,
      kind TEXT, PRIMARY KEY (a, b)) WITHOUT ROWID`);
  },
};

async function engineWithVersion7() {
  const real = fieldbookEngine().migrations;
  const modules = [...real.migrations.map((m) => real.load(m)), version7];
  const schemas = await replaySchemas(modules, 'fieldbook_migrations');
  const seventh: BundledMigration = {
    version: 7,
    name: '0007-more-levels',
    file: '0007-more-levels.js',
    path: '(in memory)',
    message: 'test',
    checksum: 'test-7',
    hasDown: false,
    fingerprint: fingerprintOf(schemas[6]!),
    schema: schemas[6]!,
  };
  const all = [...real.migrations, seventh];
  const migrations: BundledMigrations = {
    dir: '(in memory)',
    head: 7,
    migrations: all,
    byName: new Map(all.map((m) => [m.name, m])),
    verify() {},
    load: (m) => (m.version === 7 ? version7 : real.load(m)),
  };
  return createEngine({
    applicationId: FIELDBOOK_APPLICATION_ID,
    versionTable: 'fieldbook_migrations',
    appName: 'Fieldbook',
    appVersion: 'test',
    migrations,
    subsets: fieldbookEngine().subsets!,
    backupDir: tempDir(),
  });
}

test('the closure follows foreign keys a later version adds, at every level, with no change to the export code', async () => {
  const engine = await engineWithVersion7();
  const dir = tempDir();
  const source = path.join(dir, 'v7.fieldbook');
  createDocument(source, { engine });
  withDb(source, (db) =>
    db.exec(`
    INSERT INTO makers VALUES (1, 'Acme'), (2, 'Other');
    INSERT INTO instruments (id, name, maker_id) VALUES (1, 'probe', 1), (2, 'unused', 2);
    INSERT INTO calibrations VALUES (1, 1, '2023-01-01'), (2, 2, '2023-01-02');
    INSERT INTO sites (id, name) VALUES (1, 'A'), (2, 'B');
    INSERT INTO samples (id, site_id, code) VALUES (1, 1, 'a1'), (2, 1, 'a2'), (3, 2, 'b1');
    INSERT INTO measurements (id, sample_id, kind, value, instrument_id) VALUES (1, 1, 'pH', 7, 1), (2, 3, 'pH', 8, 2);
    INSERT INTO measurement_notes VALUES (1, 1, 'first'), (2, 2, 'other site');
    INSERT INTO note_links VALUES (1, 1, 'https://example.org/1'), (2, 2, 'https://example.org/2');
    INSERT INTO sample_pairs VALUES (1, 2, 'duplicate'), (1, 3, 'cross-site'), (3, 1, 'cross-site back');
  `),
  );
  const out = path.join(dir, 'site-a.fieldbook');
  const result = await exportSubset(source, out, { siteIds: [1] }, { engine });
  const ids = (table: string, key = 'id') => rows(out, `SELECT ${key} AS k FROM ${table} ORDER BY 1`).map((r) => r.k);
  assert.deepEqual(ids('samples'), [1, 2], 'no sample outside the selection');
  assert.deepEqual(ids('measurement_notes'), [1], 'two levels down');
  assert.deepEqual(ids('note_links'), [1], 'three levels down');
  assert.deepEqual(ids('instruments'), [1], 'referenced');
  assert.deepEqual(ids('makers'), [1], 'referenced through a referenced row');
  assert.deepEqual(ids('calibrations'), [1], "a referenced row's own dependents come along");
  assert.deepEqual(rows(out, 'SELECT a, b FROM sample_pairs ORDER BY a, b'), [{ a: 1, b: 2 }], 'links to samples left out stay out (WITHOUT ROWID table)');
  assert.equal(result.counts.sample_pairs, 1);
  assert.deepEqual(rows(out, 'PRAGMA foreign_key_check'), []);
  assert.equal(rows(out, 'PRAGMA user_version')[0]!.user_version, 7);
});
