/**
 * betterSqlite3Dialect against what the `sqlite3` package does when Sequelize runs transactions on
 * a file (one connection per transaction): outside reads see committed data at once, outside
 * writes and second transactions meet SQLite's locks (SQLITE_BUSY, which Sequelize retries), and
 * findOrCreate's own fallback read does not deadlock. Both forms: the adapter's own connections
 * (`betterSqlite3Dialect()`) and a shared connection (`betterSqlite3Dialect(db)`, as the engine's
 * documents use it). Every test works on a fresh file on disk.
 */
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import path = require('node:path');
import Database from 'better-sqlite3';
import { DataTypes, Sequelize, TimeoutError, UniqueConstraintError, type Model, type ModelStatic, type Options } from 'sequelize';
import { betterSqlite3Dialect, createDocument, openDocument } from '@fieldbook/engine';
import { fieldbookEngine } from '../main/fieldbook/fieldbook-engine';
import { defineModels } from '../main/models';
import { tempDir } from './helpers/fixtures';

const folder = tempDir('fieldbook-sequelize-adapter-');
let files = 0;

interface Scratch {
  sequelize: Sequelize;
  Note: ModelStatic<Model>;
  /** The shared connection, for `shared: true`. */
  db?: Database.Database;
}

/**
 * A Sequelize on a fresh file with a `notes` table (`code` UNIQUE): on the adapter's own
 * connections, or (`shared`) on one better-sqlite3 connection of the test's.
 */
async function scratch(
  t: TestContext,
  { shared = false, busyTimeoutMs = 1000, options = {} }: { shared?: boolean; busyTimeoutMs?: number; options?: Partial<Options> } = {},
): Promise<Scratch> {
  const storage = path.join(folder, `scratch-${++files}.sqlite`);
  const db = shared ? new Database(storage) : undefined;
  const dialectModule = db ? betterSqlite3Dialect(db, { busyTimeoutMs }) : betterSqlite3Dialect({ busyTimeoutMs });
  const sequelize = new Sequelize({ dialect: 'sqlite', storage, dialectModule, logging: false, ...options });
  const Note = sequelize.define(
    'Note',
    {
      code: { type: DataTypes.STRING, unique: true },
      body: DataTypes.STRING,
    },
    { tableName: 'notes', timestamps: false },
  );
  await Note.sync();
  t.after(async () => {
    await sequelize.close();
    db?.close();
  });
  return { sequelize, Note, db };
}

const bodies = async (Note: ModelStatic<Model>, options: object = {}): Promise<string[]> =>
  (await Note.findAll({ order: [['id', 'ASC']], ...options })).map((n) => n.get('body') as string);

for (const shared of [false, true]) {
  const form = shared ? 'on a shared connection' : 'on its own connections';

  test(`${form}: a read outside an open transaction sees the last committed data without waiting for it`, async (t) => {
    // A read that waited for the transaction would fail with TimeoutError inside it (busy timeout 300 ms, 5 tries).
    const { sequelize, Note, db } = await scratch(t, { shared, busyTimeoutMs: 300 });
    await Note.create({ code: 'a', body: 'committed' });
    db?.function('shout', (text: unknown) => String(text).toUpperCase());
    await sequelize.transaction(async (transaction) => {
      await Note.create({ code: 'b', body: 'uncommitted' }, { transaction });
      assert.deepEqual(await bodies(Note), ['committed']);
      assert.deepEqual(await bodies(Note, { transaction }), ['committed', 'uncommitted']);
      if (db) {
        const [rows] = await sequelize.query('SELECT shout(body) AS loud FROM notes ORDER BY id');
        assert.deepEqual(rows, [{ loud: 'COMMITTED' }], 'the second connection knows the functions registered on the first');
      }
    });
    assert.deepEqual(await bodies(Note), ['committed', 'uncommitted']);
  });

  test(`${form}: a write outside an open transaction is busy: it goes ahead once the transaction ends, or fails with SQLITE_BUSY after Sequelize's retries`, async (t) => {
    const attempts: string[] = [];
    const logging = (sql: string) => {
      if (/^Executing \(default\): INSERT/.test(sql)) attempts.push(sql);
    };
    const { sequelize, Note } = await scratch(t, { shared, busyTimeoutMs: 200, options: { logging } });
    const inside = await sequelize.transaction();
    await Note.create({ code: 'in', body: 'inside' }, { transaction: inside });
    const outside = Note.create({ code: 'out', body: 'outside' });
    await new Promise((resolve) => setTimeout(resolve, 50));
    await inside.commit();
    await outside;
    assert.deepEqual(await bodies(Note), ['inside', 'outside']);

    attempts.length = 0;
    const holding = await sequelize.transaction();
    await Note.create({ code: 'held', body: 'held' }, { transaction: holding });
    attempts.length = 0;
    await assert.rejects(Note.create({ code: 'late', body: 'late' }), (error: unknown) => {
      assert.ok(error instanceof TimeoutError, String(error));
      assert.equal(error.message, 'SQLITE_BUSY: database is locked');
      return true;
    });
    assert.ok(attempts.length >= 2, `Sequelize retried the busy INSERT (${attempts.length} tries)`);
    await holding.rollback();
    assert.deepEqual(await bodies(Note), ['inside', 'outside']);
  });

  test(`${form}: findOrCreate without a transaction that conflicts in its defaults fails with UniqueConstraintError`, async (t) => {
    const { Note } = await scratch(t, { shared, busyTimeoutMs: 300 });
    await Note.create({ code: 'taken', body: 'first' });
    await assert.rejects(Note.findOrCreate({ where: { body: 'second' }, defaults: { code: 'taken' } }), UniqueConstraintError);
    const [found, created] = await Note.findOrCreate({ where: { body: 'first' }, defaults: { code: 'other' } });
    assert.deepEqual([found.get('code'), created], ['taken', false]);
    assert.deepEqual(await bodies(Note), ['first']);
  });
}

test('on its own connections: two transactions open at once, as with the sqlite3 package (no deadlock)', async (t) => {
  const { sequelize, Note } = await scratch(t);
  const first = await sequelize.transaction();
  const second = await sequelize.transaction();
  await Note.create({ code: '1', body: 'first' }, { transaction: first });
  assert.deepEqual(await bodies(Note, { transaction: second }), [], 'the second reads the committed state');
  // COMMIT needs the second's read lock gone: it waits (without blocking) until the second ends.
  const committing = first.commit();
  await second.commit();
  await committing;
  await sequelize.transaction(async (transaction) => Note.create({ code: '2', body: 'third' }, { transaction }));
  assert.deepEqual(await bodies(Note), ['first', 'third']);
});

test('on a shared connection: a second transaction begins when the first ends, and one awaited inside the first fails instead of hanging', async (t) => {
  const { sequelize, Note, db } = await scratch(t, { shared: true, busyTimeoutMs: 100 });
  const first = await sequelize.transaction();
  await Note.create({ code: '1', body: 'first' }, { transaction: first });
  const secondBegins = sequelize.transaction();
  await new Promise((resolve) => setTimeout(resolve, 30));
  await first.commit();
  const second = await secondBegins;
  await Note.create({ code: '2', body: 'second' }, { transaction: second });
  await second.commit();

  const outer = await sequelize.transaction();
  await Note.create({ code: '3', body: 'outer' }, { transaction: outer });
  await assert.rejects(sequelize.transaction(), TimeoutError);
  assert.equal(db!.inTransaction, true, 'the outer transaction is still open');
  await outer.commit();
  assert.deepEqual(await bodies(Note), ['first', 'second', 'outer']);
});

test("a document's Sequelize: reads outside an edit's transaction see the document as committed; the engine's migrations still run in its one transaction", async (t) => {
  const file = path.join(folder, `document-${++files}.fieldbook`);
  createDocument(file, { engine: fieldbookEngine() });
  const handle = await openDocument(file, { engine: fieldbookEngine() });
  t.after(() => handle.close());
  const sequelize = handle.sequelize();
  const { Site } = defineModels(sequelize);
  await Site.create({ name: 'Ridge' });
  await sequelize.transaction(async (transaction) => {
    await Site.create({ name: 'Quarry' }, { transaction });
    assert.deepEqual(
      (await Site.findAll()).map((s) => s.name),
      ['Ridge'],
    );
    assert.equal(handle.db.inTransaction, true);
  });
  assert.deepEqual(
    (await Site.findAll({ order: [['id', 'ASC']] })).map((s) => s.name),
    ['Ridge', 'Quarry'],
  );
  assert.equal(handle.db.pragma('busy_timeout', { simple: true }), fieldbookEngine().lockTimeoutMs, "the engine connection's busy timeout is as the engine set it");
});

test('on a shared connection: BEGIN and COMMIT after a comment are BEGIN and COMMIT, from an object that does not hold the transaction too', async (t) => {
  const { sequelize, Note } = await scratch(t, { shared: true, busyTimeoutMs: 100, options: { retry: { max: 2 } } });
  const holding = await sequelize.transaction();
  await Note.create({ code: 'held', body: 'held' }, { transaction: holding });
  // Not a read to run on the read connection (which would then sit in a transaction of its own): a BEGIN, busy until the holder ends.
  await assert.rejects(sequelize.query('/* audit */ BEGIN'), TimeoutError);
  for (const commit of ['/* done */\nCOMMIT', 'COMMIT; -- done', '/* a */ END /* b */ TRANSACTION'])
    await assert.rejects(sequelize.query(commit), /no transaction is active/, JSON.stringify(commit));
  assert.deepEqual(await bodies(Note), [], 'outside reads still see the committed state');
  await holding.commit();
  await sequelize.transaction(async (transaction) => Note.create({ code: 'next', body: 'next' }, { transaction }));
  assert.deepEqual(await bodies(Note), ['held', 'next']);
});
