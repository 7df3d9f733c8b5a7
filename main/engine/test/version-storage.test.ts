/**
 * The version-table storage against umzug's storage contract, in the style of umzug's own
 * `test/storage/memory.test.ts`, on real SQLite files.
 */
import assert from 'node:assert/strict';
import fs = require('node:fs');
import os = require('node:os');
import path = require('node:path');
import { test } from 'node:test';
import Database from 'better-sqlite3';
import type { UmzugStorage } from 'umzug';
import { connectionExecutor, versionTableStorage, type Connection, type VersionContext, type VersionStorageOptions } from '../src/tooling';

const MIGRATIONS = [
  { version: 1, name: 'm1', checksum: 'c1' },
  { version: 2, name: 'm2', checksum: 'c2' },
  { version: 3, name: 'm3', checksum: 'c3' },
];

/** A fresh document file with its connection, closed and removed after the test. */
function document(t: { after(fn: () => void): void }): Connection {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'version-storage-'));
  const db = new Database(path.join(dir, 'doc.sqlite'));
  t.after(() => {
    db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  return db;
}

function storageOn(db: Connection, extra: Partial<VersionStorageOptions> = {}) {
  return versionTableStorage({ executor: connectionExecutor(db), table: 'app_versions', appVersion: '9.9.9', migrations: MIGRATIONS, ...extra });
}

const context: VersionContext = {};

test('type: umzug accepts it as a storage', () => {
  const db = new Database(':memory:');
  const storage: UmzugStorage<VersionContext> = storageOn(db);
  // umzug's own check, the one its constructor runs (verifyUmzugStorage).
  const { isUmzugStorage } = require('umzug/lib/storage/contract') as typeof import('umzug/lib/storage/contract');
  assert.equal(isUmzugStorage(storage as never), true);
  db.close();
});

test('executed returns an empty array when there is no version table, and when it is empty', async (t) => {
  const db = document(t);
  const storage = storageOn(db);
  assert.deepEqual(await storage.executed({ context }), []);
  storage.createTable();
  assert.deepEqual(await storage.executed({ context }), []);
});

test('logMigration, executed and unlogMigration', async (t) => {
  const db = document(t);
  const storage = storageOn(db);
  storage.createTable();
  const userVersion = () => db.pragma('user_version', { simple: true });

  await storage.logMigration({ name: 'm1', context });
  assert.deepEqual(await storage.executed({ context }), ['m1']);
  assert.equal(userVersion(), 1);

  // A table records a version once (umzug's memory storage would list it twice).
  await assert.rejects(storage.logMigration({ name: 'm1', context }), /UNIQUE constraint failed/);
  await storage.logMigration({ name: 'm2', context });
  assert.deepEqual(await storage.executed({ context }), ['m1', 'm2']);
  assert.equal(userVersion(), 2);

  await storage.unlogMigration({ name: 'm2', context });
  assert.deepEqual(await storage.executed({ context }), ['m1']);
  assert.equal(userVersion(), 1);

  await storage.unlogMigration({ name: 'm1', context });
  assert.deepEqual(await storage.executed({ context }), []);
  assert.equal(userVersion(), 0);
});

test("executed isn't affected by side-effects", async (t) => {
  const storage = storageOn(document(t));
  storage.createTable();
  const executed = await storage.executed({ context });
  executed.push('abc');
  assert.deepEqual(await storage.executed({ context }), []);
});

test('executed reads the table as it is, in version order: rows written elsewhere, and by another connection', async (t) => {
  const db = document(t);
  const storage = storageOn(db);
  storage.createTable();
  await storage.logMigration({ name: 'm3', context });
  await storage.logMigration({ name: 'm1', context });
  assert.deepEqual(await storage.executed({ context }), ['m1', 'm3']);
  const other = new Database(db.name);
  other.exec("DELETE FROM app_versions WHERE version = 3; INSERT INTO app_versions VALUES (2, 'm2', 'c2', '2020-01-01T00:00:00.000Z', 'x', NULL, 'stamp')");
  other.close();
  assert.deepEqual(await storage.executed({ context }), ['m1', 'm2']);
});

test('rows: checksum, app version, an ISO time, the duration from the context (NULL without one), how the version came', async (t) => {
  const db = document(t);
  const storage = storageOn(db);
  storage.createTable();
  await storage.logMigration({ name: 'm1', context: { durationsMs: new Map([['m1', 12.5]]) } });
  await storage.logMigration({ name: 'm2', context });
  storage.record(MIGRATIONS[2]!, 'stamp');
  const rows = db.prepare('SELECT version, name, checksum, applied_at, app_version, duration_ms, method FROM app_versions ORDER BY version').all() as Record<string, unknown>[];
  assert.deepEqual(
    rows.map(({ applied_at: _, ...rest }) => rest),
    [
      { version: 1, name: 'm1', checksum: 'c1', app_version: '9.9.9', duration_ms: 12.5, method: 'migrate' },
      { version: 2, name: 'm2', checksum: 'c2', app_version: '9.9.9', duration_ms: null, method: 'migrate' },
      { version: 3, name: 'm3', checksum: 'c3', app_version: '9.9.9', duration_ms: null, method: 'stamp' },
    ],
  );
  for (const row of rows) {
    assert.match(String(row.applied_at), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    assert.ok(Math.abs(Date.parse(String(row.applied_at)) - Date.now()) < 60_000);
  }
  assert.equal(db.pragma('user_version', { simple: true }), 2, 'record leaves user_version alone');
  storage.setUserVersion(3);
  storage.remove(3);
  assert.deepEqual(await storage.executed({ context }), ['m1', 'm2']);
  assert.equal(db.pragma('user_version', { simple: true }), 3);
});

test('what it writes survives the connection: a new storage on a reopened file reads it', async (t) => {
  const db = document(t);
  const storage = storageOn(db);
  db.exec('BEGIN');
  storage.createTable();
  await storage.logMigration({ name: 'm1', context });
  db.exec('COMMIT');
  const reopened = new Database(db.name);
  try {
    assert.deepEqual(await storageOn(reopened).executed({ context }), ['m1']);
    assert.equal(reopened.pragma('user_version', { simple: true }), 1);
  } finally {
    reopened.close();
  }
});

test('every statement goes through the executor (so sqlLog and offline scripts see them)', async (t) => {
  const db = document(t);
  const log: string[] = [];
  const storage = storageOn(db, { executor: connectionExecutor(db, log) });
  storage.createTable();
  await storage.logMigration({ name: 'm1', context });
  await storage.unlogMigration({ name: 'm1', context });
  assert.equal(log.length, 5);
  assert.match(log[0]!, /^CREATE TABLE "app_versions" \(/);
  assert.equal(
    log[1],
    `INSERT INTO "app_versions" (version, name, checksum, applied_at, app_version, duration_ms, method) VALUES (1, 'm1', 'c1', strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), '9.9.9', NULL, 'migrate')`,
  );
  assert.deepEqual(log.slice(2), ['PRAGMA user_version = 1', 'DELETE FROM "app_versions" WHERE version = 1', 'PRAGMA user_version = 0']);
});

test('a name it was not given is refused before anything is written', async (t) => {
  const db = document(t);
  const storage = storageOn(db);
  storage.createTable();
  await assert.rejects(storage.logMigration({ name: 'm4', context }), /cannot record m4/);
  await assert.rejects(storage.unlogMigration({ name: 'm4', context }), /cannot record m4/);
  assert.deepEqual(await storage.executed({ context }), []);
  assert.equal(db.pragma('user_version', { simple: true }), 0);
});

test('schema temp: the rows and user_version live in the temp schema; the main schema stays empty', async (t) => {
  const db = document(t);
  const storage = storageOn(db, { schema: 'temp' });
  storage.createTable();
  storage.createTable(true);
  await storage.logMigration({ name: 'm1', context });
  assert.deepEqual(await storage.executed({ context }), ['m1']);
  assert.equal(db.prepare('SELECT count(*) FROM main.sqlite_schema').pluck().get(), 0);
  assert.deepEqual([db.pragma('temp.user_version', { simple: true }), db.pragma('user_version', { simple: true })], [1, 0]);
  const other = new Database(db.name);
  try {
    assert.deepEqual(await storageOn(other).executed({ context }), [], 'the file holds none of it');
  } finally {
    other.close();
  }
});
