/**
 * The bench's "same SQL by hand" lower bound (bench/sql-recorder.ts) does the engine's SQLite
 * work and nothing else: a replay of a recorded upgrade leaves a fresh copy of the document with
 * exactly the rows and schema the engine's upgrade left, and a replayed classification reads
 * without writing. A recorder that missed calls (a check, a statement run twice, a connection)
 * would make the bench's ratios compare different work.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs = require('node:fs');
import path = require('node:path');
import { classifyDocument, upgradeDocument } from '@fieldbook/engine';
import { recordCalls, replayCalls, sqlCallCount } from '../bench/sql-recorder';
import { documentAt, rows, sha256File, tempDir, testEngine, withDb } from './helpers/fixtures';

/** A row as JSON, the times SQLite's clock wrote (applied_at, created_at) blanked: the replay runs later. */
function withoutClock(row: Record<string, unknown>): string {
  return JSON.stringify(row).replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z/g, '<now>');
}

function contents(file: string): unknown {
  const tables = rows(file, 'SELECT name, sql FROM sqlite_schema ORDER BY name') as { name: string; sql: string | null }[];
  return {
    schema: tables,
    userVersion: withDb(file, (db) => db.pragma('user_version', { simple: true })),
    data: tables.filter((t) => t.sql?.startsWith('CREATE TABLE')).map((t) => rows(file, `SELECT * FROM "${t.name}"`).map(withoutClock).sort()),
  };
}

test('a replayed upgrade does what the engine did: same rows, schema and version, every check included', async () => {
  const engine = testEngine();
  const source = documentAt(1, tempDir(), 'v1.fieldbook');
  withDb(source, (db) =>
    db.exec(
      "INSERT INTO sites (id, name) VALUES (1, 'Ridge'); INSERT INTO samples (id, site_id, code, notes) VALUES (1, 1, 'R-1', 'x'); INSERT INTO measurements (id, sample_id, kind, value) VALUES (1, 1, 'pH', '7.5'), (2, 1, 'note', 'cloudy')",
    ),
  );
  const recorded = path.join(tempDir(), 'recorded.fieldbook');
  const replayed = path.join(tempDir(), 'replayed.fieldbook');
  fs.copyFileSync(source, recorded);
  fs.copyFileSync(source, replayed);
  const calls = await recordCalls(recorded, () => upgradeDocument(recorded, { engine, backup: false }));
  assert.ok(
    calls.some((c) => c.op === 'pragma' && /quick_check/.test(c.source)),
    'the check under the lock is recorded',
  );
  assert.ok(
    calls.some((c) => c.op === 'prepare' && /foreign_key_check/.test(c.sql)),
    'the foreign key check is recorded',
  );
  assert.ok(sqlCallCount(calls) > 100, `only ${sqlCallCount(calls)} SQL calls`);
  replayCalls(replayed, calls);
  const upgraded = contents(recorded);
  assert.deepEqual(contents(replayed), upgraded);
  assert.notDeepEqual(contents(source), upgraded);
});

test('a replayed classification reads the document and changes none of its bytes', async () => {
  const engine = testEngine();
  const file = documentAt(6, tempDir(), 'v6.fieldbook');
  const before = sha256File(file);
  const calls = await recordCalls(file, () => assert.equal(classifyDocument(file, { engine }).status, 'current'));
  assert.deepEqual(
    calls.filter((c) => c.op === 'open'),
    [{ op: 'open', connection: 0, file: '<document>', readonly: true }],
  );
  assert.ok(
    calls.some((c) => c.op === 'prepare' && /sqlite_schema/.test(c.sql)),
    'the forged-object scan is recorded',
  );
  for (let i = 0; i < 3; i++) replayCalls(file, calls);
  assert.equal(sha256File(file), before);
});

test("a classification's file checks are recorded in their place (the document, its companions, its header) and replayed; nothing else's", async () => {
  const engine = testEngine();
  const file = documentAt(6, tempDir(), 'v6.fieldbook');
  const statSync = fs.statSync;
  const calls = await recordCalls(file, () => classifyDocument(file, { engine }));
  assert.equal(fs.statSync, statSync, 'node:fs is restored');
  const fileCalls = calls.filter((c) => c.op === 'file').map((c) => `${c.call} ${c.file ?? `fd ${c.fd}`}`);
  assert.deepEqual(fileCalls, [
    'statSync <document>',
    'statSync <document>-journal',
    'statSync <document>-wal',
    'statSync <document>-shm',
    'openSync <document>',
    'readSync fd 0',
    'closeSync fd 0',
  ]);
  assert.ok(calls.findIndex((c) => c.op === 'file' && c.call === 'closeSync') < calls.findIndex((c) => c.op === 'open'), 'the header is read before SQLite opens the file');
  const sqlOnly = calls.filter((c) => c.op !== 'file');
  // The replay makes the checks: on a missing document the recorded open of its header fails.
  const missing = path.join(tempDir(), 'missing.fieldbook');
  assert.throws(
    () =>
      replayCalls(
        missing,
        calls.filter((c) => c.op === 'file'),
      ),
    /ENOENT/,
  );
  assert.doesNotThrow(() =>
    replayCalls(
      missing,
      calls.filter((c) => c.op === 'file'),
      { withFileChecks: false },
    ),
  );
  assert.deepEqual(sqlOnly.filter((c) => c.op === 'open').length, 1);
});

test('the recorder refuses what it could not replay, and leaves better-sqlite3 as it found it', async () => {
  const file = documentAt(6, tempDir(), 'v6.fieldbook');
  await assert.rejects(
    recordCalls(file, async () => {
      const Database = (await import('better-sqlite3')).default;
      const db = new Database(file);
      try {
        await db.backup(path.join(tempDir(), 'copy.fieldbook'));
      } finally {
        db.close();
      }
    }),
    /cannot replay Database#backup/,
  );
  const Database = (await import('better-sqlite3')).default;
  const db = new Database(file);
  try {
    await db.backup(path.join(tempDir(), 'copy.fieldbook'));
    assert.equal(db.prepare('SELECT 1 AS one').get()!.constructor, Object);
  } finally {
    db.close();
  }
});

test('a replayed iteration runs as far as the recorded one did: to its end when it found nothing, not past an early break', async () => {
  const recorded = path.join(tempDir(), 'iterated.sqlite');
  const Database = (await import('better-sqlite3')).default;
  const setup = new Database(recorded);
  setup.exec('CREATE TABLE t (x INTEGER); INSERT INTO t VALUES (1), (2)');
  setup.close();
  // Reaching a row with x = 3 fails the statement (abs of the smallest integer overflows), so a
  // replay on a copy that has one fails exactly when it scans as far as that row.
  const scan = 'SELECT x FROM t WHERE x > 100 OR abs(CASE WHEN x = 3 THEN -9223372036854775808 ELSE 0 END) < 0';
  const all = 'SELECT x FROM t WHERE abs(CASE WHEN x = 3 THEN -9223372036854775808 ELSE 0 END) >= 0 ORDER BY rowid';
  const record = (consume: (db: InstanceType<typeof Database>) => void) =>
    recordCalls(recorded, () => {
      const db = new Database(recorded, { readonly: true });
      try {
        consume(db);
      } finally {
        db.close();
      }
    });
  const empty = await record((db) => {
    for (const row of db.prepare(scan).iterate()) throw new Error(`unexpected row ${JSON.stringify(row)}`);
  });
  const broken = await record((db) => {
    for (const row of db.prepare(all).iterate()) if ((row as { x: number }).x === 1) break;
  });
  const copy = path.join(tempDir(), 'with-row-3.sqlite');
  fs.copyFileSync(recorded, copy);
  withDb(copy, (db) => db.exec('INSERT INTO t VALUES (3)'));
  assert.deepEqual(
    empty.filter((c) => c.op === 'statement').map((c) => c.op === 'statement' && c.steps),
    [1],
  );
  assert.throws(() => replayCalls(copy, empty), /integer overflow/, 'the empty scan is replayed to its end, over the new row');
  assert.doesNotThrow(() => replayCalls(copy, broken), 'the broken-off iteration stops where it stopped, before the new row');
});
