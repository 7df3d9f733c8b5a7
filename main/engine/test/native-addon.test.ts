/**
 * The engine hands better-sqlite3 its native addon (src/sqlite/native-addon.ts) so that opening
 * a document does not run better-sqlite3's search for it (the `bindings` package), and the
 * process still loads SQLite once: better-sqlite3's own connections, opened after or before the
 * engine's, use the very same addon.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path = require('node:path');
import { test } from 'node:test';
import { tempDir } from './helpers/fixtures';

const CONNECTION = path.join(__dirname, '..', 'src', 'sqlite', 'connection.js');

function run(script: string): unknown {
  const child = spawnSync(process.execPath, ['-'], { input: script, encoding: 'utf8' });
  assert.equal(child.status, 0, child.stderr);
  return JSON.parse(child.stdout);
}

const report = `
  const files = Object.keys(require.cache);
  console.log(JSON.stringify({
    addons: files.filter((f) => f.endsWith('.node')).map((f) => require('path').basename(f)),
    bindings: files.some((f) => f.includes('node_modules/bindings/')),
    sqlite: db.prepare('SELECT sqlite_version() AS v').get().v === other.prepare('SELECT sqlite_version() AS v').get().v,
  }));`;

test('a document opened by the engine loads the addon without searching for it, and better-sqlite3 opened later shares it', () => {
  const file = path.join(tempDir(), 'doc.sqlite');
  const script = `
    const { createConnection, openConnection } = require(${JSON.stringify(CONNECTION)});
    createConnection(${JSON.stringify(file)}).close();
    const db = openConnection(${JSON.stringify(file)});
    const searched = Object.keys(require.cache).some((f) => f.includes('node_modules/bindings/'));
    const Database = require('better-sqlite3');
    const other = new Database(':memory:');
    ${report.replace('bindings: files.some', 'searched, bindings: files.some')}`;
  assert.deepEqual(run(script), { addons: ['better_sqlite3.node'], searched: false, bindings: true, sqlite: true });
});

test('better-sqlite3 opened first (its own search) and the engine after share one addon', () => {
  const file = path.join(tempDir(), 'doc.sqlite');
  const script = `
    const Database = require('better-sqlite3');
    const other = new Database(':memory:');
    const { createConnection, openConnection } = require(${JSON.stringify(CONNECTION)});
    createConnection(${JSON.stringify(file)}).close();
    const db = openConnection(${JSON.stringify(file)});
    db.exec('CREATE TABLE t (x)');
    ${report}`;
  assert.deepEqual(run(script), { addons: ['better_sqlite3.node'], bindings: true, sqlite: true });
});
