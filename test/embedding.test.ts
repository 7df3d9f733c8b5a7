import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { classifyDocument, createDocument, createEngine, upgradeDocument, openDocument } from '@fieldbook/engine';
import { writeManifests } from '@fieldbook/engine/tooling';
import { documentAt, rows, tempDir } from './helpers/fixtures';
import { fieldbookEngine } from '../main/fieldbook/fieldbook-engine';

/** A second app, "Notes", with its own application id, version table and two migrations in plain JS. */
export function notesApp(): { dir: string; migrations: string } {
  const dir = tempDir('notes-app-');
  const migrations = path.join(dir, 'migrations');
  fs.mkdirSync(migrations);
  fs.writeFileSync(path.join(migrations, '0001-notes.js'), `exports.message = 'notes';
exports.up = ({ exec }) => exec('CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL)');
exports.down = ({ exec }) => exec('DROP TABLE notes');
`);
  fs.writeFileSync(path.join(migrations, '0002-pinned.js'), `exports.message = 'pinned notes';
exports.up = ({ ops }) => ops.addColumn('notes', 'pinned INTEGER NOT NULL DEFAULT 0');
exports.down = ({ ops }) => ops.dropColumn('notes', 'pinned');
`);
  return { dir, migrations };
}

test('another app embeds the engine with its own id, version table and migrations', async () => {
  const app = notesApp();
  await writeManifests({ sourceDir: app.migrations, versionTable: 'notes_migrations' });
  const engine = createEngine({
    applicationId: 0x4e4f5445, versionTable: 'notes_migrations', appName: 'Notes', appVersion: '1.0.0',
    migrations: { dir: app.migrations }, backupDir: path.join(app.dir, 'backups'),
  });
  const file = path.join(app.dir, 'mine.notes');
  createDocument(file, { engine, at: 1 });
  assert.deepEqual([classifyDocument(file, { engine }).status, rows(file, 'PRAGMA application_id')[0]!.application_id], ['outdated', 0x4e4f5445]);
  const result = await upgradeDocument(file, { engine });
  assert.deepEqual([result.from, result.to], [1, 2]);
  assert.ok(result.backup?.startsWith(path.join(app.dir, 'backups')));
  assert.deepEqual(rows(file, 'SELECT name FROM notes_migrations ORDER BY version').map((r) => r.name), ['0001-notes', '0002-pinned']);
  const handle = await openDocument(file, { engine });
  handle.db.prepare("INSERT INTO notes (body) VALUES ('hello')").run();
  handle.close();
  assert.equal(classifyDocument(documentAt(6), { engine }).status, 'foreign', "a Fieldbook notebook is not a Notes document");
  assert.equal(classifyDocument(file, { engine: fieldbookEngine() }).status, 'foreign', 'and a Notes document is not a Fieldbook notebook');
});

test('the development tools work on the other app too: check passes, autogenerate writes its next migration', async () => {
  const { DataTypes } = await import('sequelize');
  const { checkProject, diffModels, revision } = require('../main/devtools') as typeof import('../main/devtools');
  const app = notesApp();
  await writeManifests({ sourceDir: app.migrations, versionTable: 'notes_migrations' });
  const note = (withColor: boolean) => (sequelize: import('sequelize').Sequelize) => sequelize.define('Note', {
    id: { type: DataTypes.INTEGER, primaryKey: true },
    body: { type: DataTypes.TEXT, allowNull: false },
    pinned: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
    ...(withColor ? { color: { type: DataTypes.TEXT } } : {}),
  }, { tableName: 'notes', timestamps: false });
  const config = { migrationsDir: app.migrations, versionTable: 'notes_migrations', models: note(false) };
  const checked = await checkProject(config);
  assert.equal(checked.ok, true, JSON.stringify(checked.problems));
  assert.deepEqual((await diffModels(config)).changes, []);
  const generated = await revision({ ...config, models: note(true) }, { message: 'note colours', autogenerate: true });
  assert.equal(generated.name, '0003-note-colours');
  const source = fs.readFileSync(generated.path!, 'utf8');
  assert.match(source, /ops\.addColumn\(['"]notes['"], ['"]"?color"? TEXT['"]\)/);
  assert.match(source, /ops\.dropColumn\(['"]notes['"], ['"]color['"]\)/);
});
