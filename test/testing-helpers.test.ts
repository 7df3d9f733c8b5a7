import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type BundledMigrations, createEngine } from '@fieldbook/engine';
import { FIELDBOOK_APPLICATION_ID, fieldbookEngine } from '../main/fieldbook/fieldbook-engine';
import { createDocumentAt, migrateAndValidate } from '@fieldbook/engine/testing';
import { fileState, rows } from './helpers/fixtures';

test('createDocumentAt seeds a document at a version; migrateAndValidate passes a good migration', async () => {
  const file = createDocumentAt(2, { engine: fieldbookEngine(), seed: (db) => db.exec("INSERT INTO samples (id, code, collected) VALUES (1, 'a', '5.6.2020')") });
  const report = await migrateAndValidate(file, 'head', { engine: fieldbookEngine() });
  assert.deepEqual([report.ok, report.version, report.differences, report.integrity], [true, 6, [], 'ok']);
  assert.equal(rows(file, 'SELECT collected_on FROM samples')[0]!.collected_on, '2020-06-05');
});

test('migrateAndValidate lists every difference of a migration the engine refuses, and leaves the document unchanged', async () => {
  const real = fieldbookEngine().migrations;
  const sloppy: BundledMigrations = {
    ...real,
    load: (m) =>
      m.version === 2
        ? {
            up(ctx) {
              ctx.exec('CREATE TABLE tags (id INTEGER PRIMARY KEY, name TEXT)');
              ctx.exec('CREATE TABLE extra_one (x)');
              ctx.exec('CREATE TABLE extra_two (y)');
            },
          }
        : real.load(m),
  };
  const engine = createEngine({ applicationId: FIELDBOOK_APPLICATION_ID, versionTable: 'fieldbook_migrations', appName: 'Fieldbook', appVersion: 'test', migrations: sloppy });
  const file = createDocumentAt(1, { engine });
  const before = fileState(file);
  const report = await migrateAndValidate(file, 2, { engine });
  assert.equal(report.ok, false);
  assert.equal(report.error?.name, 'MigrationError');
  assert.deepEqual(report.differences.map((d) => d.split(':')[0]).sort(), [
    'changed table tags',
    'missing index samples_site_id_idx',
    'missing table sample_tags',
    'unexpected table extra_one',
    'unexpected table extra_two',
  ]);
  assert.deepEqual(fileState(file), before);
});
