/**
 * betterSqlite3Dialect as a driver: it works under fake timers, reports open errors in the
 * `sqlite3` package's words, and never blocks the event loop while a statement is busy (better-
 * sqlite3 is synchronous: a busy timeout inside SQLite would stop every timer and I/O callback of
 * the process for that long). Every test works on a fresh file on disk.
 */
import { mock, test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import path = require('node:path');
import { monitorEventLoopDelay } from 'node:perf_hooks';
import Database from 'better-sqlite3';
import { ConnectionError, DataTypes, Sequelize, TimeoutError, type Options } from 'sequelize';
import { betterSqlite3Dialect } from '@fieldbook/engine';
import { tempDir } from './helpers/fixtures';

const folder = tempDir('fieldbook-sequelize-driver-');
let files = 0;
const fresh = (name = 'driver'): string => path.join(folder, `${name}-${++files}.sqlite`);

function sequelizeOn(t: TestContext, storage: string, dialectModule: object, options: Partial<Options> = {}): Sequelize {
  const sequelize = new Sequelize({ dialect: 'sqlite', storage, dialectModule, logging: false, ...options });
  t.after(() => sequelize.close());
  return sequelize;
}

for (const shared of [false, true]) {
  test(`${shared ? 'on a shared connection' : 'on its own connections'}: opens, queries and commits under node:test's fake timers`, async (t) => {
    const storage = fresh('fake-timers');
    const db = shared ? new Database(storage) : undefined;
    t.after(() => db?.close());
    mock.timers.enable({ apis: ['setTimeout', 'setInterval', 'setImmediate'] });
    t.after(() => mock.timers.reset());
    const sequelize = sequelizeOn(t, storage, db ? betterSqlite3Dialect(db) : betterSqlite3Dialect());
    const Note = sequelize.define('Note', { body: DataTypes.STRING }, { tableName: 'notes', timestamps: false });
    await Note.sync();
    await Note.create({ body: 'first' });
    const open = await sequelize.transaction();
    await Note.create({ body: 'second' }, { transaction: open });
    // A busy wait uses the timers taken when the engine loaded, so it ends even with the globals faked.
    const outside = Note.create({ body: 'third' });
    await open.commit();
    await outside;
    assert.deepEqual(
      (await Note.findAll({ order: [['id', 'ASC']] })).map((n) => n.get('body')),
      ['first', 'second', 'third'],
    );
  });
}

test("open errors have the sqlite3 package's message: SQLITE_CANTOPEN: unable to open database file", async (t) => {
  const dialectModule = betterSqlite3Dialect();
  const missing = path.join(folder, 'no-such-folder', 'missing.sqlite');
  const cases = [
    { storage: missing, mode: dialectModule.OPEN_READONLY },
    { storage: fresh('not-created'), mode: dialectModule.OPEN_READONLY },
    { storage: fresh('not-created'), mode: dialectModule.OPEN_READWRITE },
  ];
  for (const { storage, mode } of cases) {
    const sequelize = sequelizeOn(t, storage, dialectModule, { dialectOptions: { mode } });
    await assert.rejects(
      sequelize.query('SELECT 1'),
      (error: unknown) => {
        assert.ok(error instanceof ConnectionError, String(error));
        assert.equal(error.message, 'SQLITE_CANTOPEN: unable to open database file');
        assert.equal((error as ConnectionError & { parent: { code: string } }).parent.code, 'SQLITE_CANTOPEN');
        return true;
      },
      storage,
    );
  }
  const readonly = fresh('readonly');
  new Database(readonly).close();
  const sequelize = sequelizeOn(t, readonly, dialectModule, { dialectOptions: { mode: dialectModule.OPEN_READONLY } });
  await assert.rejects(sequelize.query('CREATE TABLE t (x)'), /^SequelizeDatabaseError: SQLITE_READONLY: attempt to write a readonly database$/);
});

/** Runs `busy` while measuring the event loop; returns the longest delay seen, in ms. */
async function longestLoopDelay(busy: () => Promise<unknown>): Promise<number> {
  const histogram = monitorEventLoopDelay({ resolution: 10 });
  histogram.enable();
  try {
    await busy();
  } finally {
    histogram.disable();
  }
  return histogram.max / 1e6;
}

test("a statement kept busy by another connection's lock never blocks the event loop", async (t) => {
  const storage = fresh('locked');
  // The owner's connection has a busy timeout of 3 s: run by SQLite, it would block the loop that long.
  const db = new Database(storage, { timeout: 3000 });
  const other = new Database(storage);
  t.after(() => {
    other.close();
    db.close();
  });
  db.exec('CREATE TABLE notes (body TEXT)');
  other.exec("BEGIN IMMEDIATE; INSERT INTO notes VALUES ('other')");
  t.after(() => {
    if (other.inTransaction) other.exec('ROLLBACK');
  });

  for (const dialectModule of [betterSqlite3Dialect(db, { busyTimeoutMs: 1500 }), betterSqlite3Dialect({ busyTimeoutMs: 1500 })]) {
    const sequelize = sequelizeOn(t, storage, dialectModule, { retry: { max: 1 } });
    let ticks = 0;
    const ticker = setInterval(() => ticks++, 20);
    const longest = await longestLoopDelay(() =>
      assert.rejects(sequelize.query("INSERT INTO notes VALUES ('mine')"), (error: unknown) => {
        assert.ok(error instanceof TimeoutError, String(error));
        assert.equal(error.message, 'SQLITE_BUSY: database is locked');
        return true;
      }),
    );
    clearInterval(ticker);
    assert.ok(longest < 1000, `the event loop was blocked for ${longest.toFixed(0)} ms during a 1500 ms busy wait`);
    assert.ok(ticks > 5, `an interval ticked during the busy wait (${ticks} times)`);
  }
  assert.equal(db.pragma('busy_timeout', { simple: true }), 3000, "the shared connection's busy timeout is restored");
  other.exec('COMMIT');
  assert.deepEqual(db.prepare('SELECT body FROM notes').pluck().all(), ['other']);
});
