/**
 * The package's testing entry on a tiny app of its own: createDocumentAt seeds a document at a
 * version; migrateAndValidate migrates it and reports the schema differences, foreign keys and
 * integrity, and for a migration the engine refuses, every difference with the file unchanged.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { type BundledMigrations, createEngine } from '../src/index';
import { createDocumentAt, migrateAndValidate } from '../src/testing';
import { fileState } from './helpers/fixtures';
import { tinyApp } from './helpers/tiny-app';

const NOTES = {
  '0001-notes.js': "exports.up = ({ exec }) => exec('CREATE TABLE notes (id INTEGER PRIMARY KEY, title TEXT NOT NULL, written TEXT)');\n",
  '0002-tags.js': `exports.up = ({ exec }) => {
  exec('CREATE TABLE tags (id INTEGER PRIMARY KEY, note_id INTEGER NOT NULL REFERENCES notes(id) ON DELETE CASCADE, name TEXT NOT NULL)');
  exec('CREATE INDEX tags_note_id ON tags (note_id)');
  exec("UPDATE notes SET written = substr(written, 7, 4) || '-' || substr(written, 4, 2) || '-' || substr(written, 1, 2) WHERE written LIKE '__.__.____'");
};
`,
};

test('createDocumentAt seeds a document at a version; migrateAndValidate passes a good migration', async () => {
  const { dir, engine } = await tinyApp(NOTES);
  const file = createDocumentAt(1, { engine, dir, seed: (db) => db.exec("INSERT INTO notes (id, title, written) VALUES (1, 'moss', '05.06.2020')") });
  const report = await migrateAndValidate(file, 'head', { engine });
  assert.deepEqual([report.ok, report.version, report.differences, report.foreignKeyViolations, report.integrity, report.error], [true, 2, [], [], 'ok', null]);
  assert.deepEqual(
    report.result?.applied.map((s) => s.name),
    ['0002-tags'],
  );
  const db = new Database(file, { readonly: true });
  try {
    assert.equal(db.prepare('SELECT written FROM notes').pluck().get(), '2020-06-05');
  } finally {
    db.close();
  }
});

test('migrateAndValidate lists every difference of a migration the engine refuses, and leaves the document unchanged', async () => {
  const { engine: real } = await tinyApp(NOTES);
  const sloppy: BundledMigrations = {
    ...real.migrations,
    load: (m) =>
      m.version === 2
        ? {
            up(ctx) {
              ctx.exec('CREATE TABLE tags (id INTEGER PRIMARY KEY, name TEXT)');
              ctx.exec('CREATE TABLE extra (x)');
            },
          }
        : real.migrations.load(m),
  };
  const engine = createEngine({ applicationId: real.applicationId, versionTable: real.versionTable, appName: 'TinyApp', appVersion: 'test', migrations: sloppy });
  const file = createDocumentAt(1, { engine });
  const before = fileState(file);
  const report = await migrateAndValidate(file, 2, { engine });
  assert.equal(report.ok, false);
  assert.equal(report.error?.name, 'MigrationError');
  assert.deepEqual(report.differences.map((d) => d.split(':')[0]).sort(), ['changed table tags', 'missing index tags_note_id', 'unexpected table extra']);
  assert.deepEqual(fileState(file), before, 'the refused migration changed nothing');
});
