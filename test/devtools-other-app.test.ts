/**
 * Fieldbook's development tools (main/devtools: check, diffModels, revision --autogenerate) are
 * not Fieldbook-specific: they work on another app's migrations, version table and models. The
 * app here is the small "Notes" of docs/embedding.md, with its first two migrations; the
 * tutorial's own test (embedding.test.ts) uses only the engine package's public entries, so this
 * test of Fieldbook's tools lives apart from it.
 */
import assert from 'node:assert/strict';
import fs = require('node:fs');
import path = require('node:path');
import { test } from 'node:test';
import { writeManifests } from '@fieldbook/engine/tooling';
import { tempDir } from './helpers/fixtures';

/** A second app, "Notes", with its own version table and two migrations in plain JS. */
function notesApp(): { dir: string; migrations: string } {
  const dir = tempDir('notes-app-');
  const migrations = path.join(dir, 'migrations');
  fs.mkdirSync(migrations);
  fs.writeFileSync(
    path.join(migrations, '0001-notes.js'),
    `exports.message = 'notes';
exports.compatibility = 'breaking';
exports.up = ({ exec }) => exec('CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL)');
exports.down = ({ exec }) => exec('DROP TABLE notes');
`,
  );
  fs.writeFileSync(
    path.join(migrations, '0002-pinned.js'),
    `exports.message = 'pinned notes';
exports.compatibility = 'additive';
exports.up = ({ ops }) => ops.addColumn('notes', 'pinned INTEGER NOT NULL DEFAULT 0');
exports.down = ({ ops }) => ops.dropColumn('notes', 'pinned');
`,
  );
  return { dir, migrations };
}

test('the development tools work on the other app too: check passes, autogenerate writes its next migration', async () => {
  const { DataTypes } = await import('sequelize');
  const { checkProject, diffModels, revision } = require('../main/devtools') as typeof import('../main/devtools');
  const app = notesApp();
  await writeManifests({ sourceDir: app.migrations, versionTable: 'notes_migrations' });
  const note = (withColor: boolean) => (sequelize: import('sequelize').Sequelize) =>
    sequelize.define(
      'Note',
      {
        id: { type: DataTypes.INTEGER, primaryKey: true },
        body: { type: DataTypes.TEXT, allowNull: false },
        pinned: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
        ...(withColor ? { color: { type: DataTypes.TEXT } } : {}),
      },
      { tableName: 'notes', timestamps: false },
    );
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
