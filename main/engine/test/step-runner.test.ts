/**
 * The one step runner, with small migrations of its own, on real SQLite files: what it runs,
 * in which order, what it records, what it refuses, and what it loads of umzug.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs = require('node:fs');
import os = require('node:os');
import path = require('node:path');
import { test } from 'node:test';
import Database from 'better-sqlite3';
import type { MigrationModule } from '../src/index';
import { connectionExecutor, createMigrationContext, runSteps, versionTableStorage, type Connection, type RunnableMigration } from '../src/tooling';

const modules: MigrationModule[] = [
  { up: (ctx) => ctx.exec('CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)'), down: (ctx) => ctx.exec('DROP TABLE notes') },
  { up: (ctx) => ctx.ops.addColumn('notes', 'title TEXT'), down: (ctx) => ctx.ops.dropColumn('notes', 'title') },
  { up: (ctx) => ctx.exec('CREATE INDEX notes_title ON notes(title)'), down: (ctx) => ctx.exec('DROP INDEX notes_title') },
];

function migrationsFrom(list: readonly MigrationModule[]): RunnableMigration[] {
  return list.map((mod, i) => ({ version: i + 1, name: `000${i + 1}-step`, checksum: `sum${i + 1}`, load: () => mod }));
}

function setup(t: { after(fn: () => void): void }, list = modules) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'step-runner-'));
  const db: Connection = new Database(path.join(dir, 'doc.sqlite'));
  t.after(() => {
    db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  const log: string[] = [];
  const executor = connectionExecutor(db, log);
  const migrations = migrationsFrom(list);
  const storage = versionTableStorage({ executor, table: 'app_versions', appVersion: '1.0', migrations });
  storage.createTable();
  const run = (from: number, to: number, extra: Partial<Parameters<typeof runSteps>[0]> = {}) => runSteps({ executor, migrations, storage, from, to, appVersion: '1.0', ...extra });
  const recorded = () => db.prepare('SELECT version, name, checksum, duration_ms AS durationMs, method FROM app_versions ORDER BY version').all();
  return { db, log, storage, run, recorded };
}

test('up then down: each step runs once, in order, with hooks around it, and is recorded and unrecorded', async (t) => {
  const { db, run, recorded } = setup(t);
  const events: string[] = [];
  const hooks = {
    beforeStep: (e: { migration: RunnableMigration; direction: string; index: number; total: number }) =>
      void events.push(`before ${e.migration.name} ${e.direction} ${e.index}/${e.total}`),
    afterStep: (e: { migration: RunnableMigration }) => void events.push(`after ${e.migration.name}`),
  };
  const up = await run(0, 3, hooks);
  assert.deepEqual(
    up.map((s) => [s.version, s.direction]),
    [
      [1, 'up'],
      [2, 'up'],
      [3, 'up'],
    ],
  );
  assert.deepEqual(events, ['before 0001-step up 0/3', 'after 0001-step', 'before 0002-step up 1/3', 'after 0002-step', 'before 0003-step up 2/3', 'after 0003-step']);
  assert.deepEqual(
    recorded(),
    up.map((s, i) => ({ version: s.version, name: s.name, checksum: `sum${i + 1}`, durationMs: s.durationMs, method: 'migrate' })),
  );
  assert.equal(db.pragma('user_version', { simple: true }), 3);
  assert.ok(db.prepare("SELECT 1 FROM sqlite_schema WHERE name = 'notes_title'").get());

  events.length = 0;
  const down = await run(3, 1, hooks);
  assert.deepEqual(
    down.map((s) => [s.version, s.direction]),
    [
      [3, 'down'],
      [2, 'down'],
    ],
  );
  assert.deepEqual(events, ['before 0003-step down 0/2', 'after 0003-step', 'before 0002-step down 1/2', 'after 0002-step']);
  assert.deepEqual(
    (recorded() as { name: string }[]).map((r) => r.name),
    ['0001-step'],
  );
  assert.equal(db.pragma('user_version', { simple: true }), 1);
  assert.deepEqual(db.prepare('SELECT name FROM pragma_table_info(?)').pluck().all('notes'), ['id', 'body']);
  assert.deepEqual(await run(1, 1), [], 'nothing to do');
});

test('the version table decides: a `from` it does not record is refused before anything runs', async (t) => {
  const { log, run } = setup(t);
  await run(0, 1);
  const before = log.length;
  await assert.rejects(run(0, 3), /does not record version 0: 0001-step is recorded/);
  await assert.rejects(run(2, 3), /does not record version 2: 0002-step is not recorded/);
  assert.equal(log.length, before, 'no statement ran');
});

test("a failing step throws its own error (not umzug's wrapper) and records nothing for itself", async (t) => {
  const failure = new Error('no such thing');
  const { db, run, recorded } = setup(t, [
    modules[0]!,
    {
      up: (ctx) => {
        ctx.exec('CREATE TABLE half (x)');
        throw failure;
      },
    },
  ]);
  db.exec('BEGIN');
  await assert.rejects(run(0, 2), (e) => e === failure);
  assert.deepEqual(
    (recorded() as { name: string }[]).map((r) => r.name),
    ['0001-step'],
    'the first step is recorded, the failed one is not',
  );
  db.exec('ROLLBACK');
  assert.deepEqual(recorded(), [], 'the caller owns the transaction');
});

test('a hook that throws stops the run there; a missing down() is an error, or the one the caller asks for', async (t) => {
  const { run, recorded } = setup(t, [modules[0]!, { up: modules[1]!.up }]);
  const stop = new Error('cancelled');
  await assert.rejects(
    run(0, 2, {
      beforeStep: (e) => {
        if (e.index === 1) throw stop;
      },
    }),
    (e) => e === stop,
  );
  assert.equal(recorded().length, 1);
  await run(1, 2);
  await assert.rejects(run(2, 0), /0002-step has no down\(\) migration/);
  await assert.rejects(run(2, 0, { missingDown: (m) => new RangeError(`cannot go below ${m.name}`) }), (e) => e instanceof RangeError && /below 0002-step/.test(e.message));
});

test('durations are recorded unless recordDurations is false; the context can be replaced', async (t) => {
  const { db, log, run, recorded } = setup(t);
  const seen: string[] = [];
  const elsewhere = connectionExecutor(db, seen);
  await run(0, 2, { recordDurations: false, context: (m, direction) => createMigrationContext(elsewhere, 'other', m.version, direction) });
  assert.deepEqual(
    (recorded() as { durationMs: unknown }[]).map((r) => r.durationMs),
    [null, null],
  );
  assert.equal(seen[0], 'CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)', 'the steps ran through the given context');
  assert.ok(!log.some((sql) => /notes/.test(sql)), 'and not through the executor, which only wrote the version rows');
  await run(2, 3);
  assert.equal(typeof (recorded() as { durationMs: unknown }[])[2]!.durationMs, 'number');
});

test('running steps loads umzug without its CLI, its globbing and its storages; all still work when asked for', () => {
  const tooling = require.resolve('../src/tooling');
  const script = `
    const { connectionExecutor, runSteps, versionTableStorage } = require(${JSON.stringify(tooling)});
    const Database = require('better-sqlite3');
    (async () => {
      const db = new Database(':memory:');
      const executor = connectionExecutor(db);
      const migrations = [{ version: 1, name: 'one', checksum: 'x', load: () => ({ up: (ctx) => ctx.exec('CREATE TABLE t (x)') }) }];
      const storage = versionTableStorage({ executor, table: 'v', appVersion: '1', migrations });
      storage.createTable();
      const ran = await runSteps({ executor, migrations, storage, from: 0, to: 1, appVersion: '1' });
      const loaded = (name) => Object.keys(require.cache).some((f) => f.includes(name));
      const before = { ran: ran.length, cli: loaded('ts-command-line'), glob: loaded('picomatch'), storages: loaded('storage/json') || loaded('storage/mongodb') };
      const { Umzug, JSONStorage, memoryStorage } = require('umzug');
      const memory = memoryStorage();
      await memory.logMigration({ name: 'm' });
      const cli = new Umzug({ migrations: [], logger: undefined }).getCli();
      const globbed = await new Umzug({ migrations: { glob: ['package.json', { cwd: process.cwd() }] }, logger: undefined }).pending();
      console.log(JSON.stringify({ ...before, cliAfter: loaded('ts-command-line'), globAfter: loaded('picomatch'), cliWorks: typeof cli.execute === 'function', globbed: globbed.map((m) => m.name),
        storagesAfter: loaded('storage/json'), storagesWork: typeof JSONStorage === 'function' && (await memory.executed()).length === 1 }));
    })().catch((e) => { console.error(e); process.exit(1); });`;
  // Started in the package folder, so that better-sqlite3 and umzug resolve as they do for the package.
  const run = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', cwd: path.resolve(__dirname, '..', '..') });
  assert.equal(run.status, 0, run.stderr);
  const result = JSON.parse(run.stdout) as Record<string, unknown>;
  assert.deepEqual(result, {
    ran: 1,
    cli: false,
    glob: false,
    storages: false,
    cliAfter: true,
    globAfter: true,
    cliWorks: true,
    globbed: ['package.json'],
    storagesAfter: true,
    storagesWork: true,
  });
});
