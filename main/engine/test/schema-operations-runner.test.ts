/**
 * Schema operations through the real migration runner (upgradeDocument: one transaction, foreign
 * keys off, fingerprint and foreign_key_check before COMMIT): a rebuild keeps the rowids an FTS5
 * external-content index points at, and an operation that would break a view leaves the file's
 * bytes exactly as they were.
 */
import assert from 'node:assert/strict';
import fs = require('node:fs');
import path = require('node:path');
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { classifyDocument, createDocument, createEngine, type Engine, isFieldbookError, upgradeDocument } from '../src/index';
import { writeManifests } from '../src/tooling';
import { fileState, tempDir } from './helpers/fixtures';

/**
 * An app whose version 2 drops `notes.n` with a rebuild (n is UNIQUE, so SQLite cannot drop it
 * natively). A document holding a row titled `break` gets a view on `n` first (a migration whose
 * work depends on the data), so the drop must fail there.
 */
async function notesApp(): Promise<{ dir: string; engine: Engine }> {
  const dir = tempDir('engine-ops-runner-');
  const migrations = path.join(dir, 'migrations');
  fs.mkdirSync(migrations);
  fs.writeFileSync(
    path.join(migrations, '0001-notes.js'),
    `exports.up = ({ exec }) => {
  exec('CREATE TABLE "Notes" (title TEXT, body TEXT, n INTEGER UNIQUE)');
  exec("CREATE VIRTUAL TABLE notes_fts USING fts5(title, body, content='Notes')");
};
exports.down = ({ exec }) => { exec('DROP TABLE notes_fts'); exec('DROP TABLE "Notes"'); };
`,
  );
  fs.writeFileSync(
    path.join(migrations, '0002-drop-n.js'),
    `exports.up = ({ exec, ops, db }) => {
  if (db.prepare("SELECT count(*) FROM notes WHERE title = 'break'").pluck().get()) exec('CREATE VIEW notes_n AS SELECT title, n FROM notes');
  ops.dropColumn('notes', 'N');
};
`,
  );
  await writeManifests({ sourceDir: migrations, versionTable: 'notes_versions' });
  const engine = createEngine({
    applicationId: 0x4e4f5445,
    versionTable: 'notes_versions',
    appName: 'NotesOps',
    appVersion: '1.0.0',
    migrations: { dir: migrations },
    backupDir: path.join(dir, 'backups'),
  });
  return { dir, engine };
}

function seed(file: string, titles: string[], wal: boolean): void {
  const db = new Database(file);
  if (wal) db.pragma('journal_mode = WAL');
  titles.forEach((title, i) => db.prepare('INSERT INTO Notes (title, body, n) VALUES (?, ?, ?)').run(title, `${title} body text`, i));
  db.exec("DELETE FROM Notes WHERE title = 'gone'; INSERT INTO notes_fts(notes_fts) VALUES ('rebuild')");
  db.close();
}

test('through the runner, a rebuild of a table without INTEGER PRIMARY KEY keeps rowids: FTS5 integrity-check and MATCH stay right', async () => {
  const { dir, engine } = await notesApp();
  const file = path.join(dir, 'ok.notes');
  createDocument(file, { engine, at: 1 });
  seed(file, ['alpha', 'gone', 'beta', 'gone', 'gamma'], false);
  const result = await upgradeDocument(file, { engine });
  assert.deepEqual([result.from, result.to], [1, 2]);
  const db = new Database(file, { readonly: true });
  try {
    assert.deepEqual(db.prepare('SELECT rowid, title FROM "Notes" ORDER BY rowid').raw().all(), [
      [1, 'alpha'],
      [3, 'beta'],
      [5, 'gamma'],
    ]);
    assert.deepEqual(db.prepare("SELECT name FROM pragma_table_info('Notes')").pluck().all(), ['title', 'body']);
    assert.deepEqual(db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name LIKE 'notes' COLLATE NOCASE").pluck().all(), ['Notes'], 'stored spelling kept');
    assert.deepEqual(db.prepare("SELECT rowid, title FROM notes_fts WHERE notes_fts MATCH 'gamma'").raw().all(), [[5, 'gamma']]);
  } finally {
    db.close();
  }
  const rw = new Database(file);
  rw.exec("INSERT INTO notes_fts(notes_fts) VALUES ('integrity-check')");
  rw.close();
});

test('through the runner, an operation that would break a view fails naming it and leaves every byte of the document as it was', async () => {
  for (const wal of [false, true]) {
    const { dir, engine } = await notesApp();
    const file = path.join(dir, `broken-${wal ? 'wal' : 'rollback'}.notes`);
    createDocument(file, { engine, at: 1 });
    seed(file, ['alpha', 'break', 'gamma'], wal);
    const before = fileState(file);
    await assert.rejects(upgradeDocument(file, { engine, backup: false }), (error: unknown) => {
      assert.ok(isFieldbookError(error, 'MIGRATION_FAILED'), String(error));
      assert.match((error as Error).message, /0002-drop-n.*view "notes_n" no longer works: no such column: n/);
      return true;
    });
    assert.deepEqual(fileState(file), before, 'nothing was committed');
    assert.equal(classifyDocument(file, { engine }).version, 1);
  }
});
