import assert from 'node:assert/strict';
import fs = require('node:fs');
import { test } from 'node:test';
import { classifyDocument, isFieldbookError, openDocument, stampDocument, createDocument, upgradeDocument, type WriteRefusal } from '@fieldbook/engine';
import { defineModels } from '../main/models';
import { richHeadDocument } from './helpers/rich-document';
import path = require('node:path');
import { beta09Document, documentAt, fileState, rows, tempDir, testEngine, withDb } from './helpers/fixtures';
import { fieldbookEngine } from '../main/fieldbook/fieldbook-engine';
import { countClassifications } from './helpers/count-classifications';

test('openDocument upgrades an outdated document (backup first) and opens it for writing', async () => {
  const engine = testEngine();
  const file = documentAt(2);
  withDb(file, (db) => db.exec("INSERT INTO samples VALUES (1, NULL, 'a', '1/2/2020', 'hello')"));
  const steps: string[] = [];
  const handle = await openDocument(file, { engine, onStep: (s) => steps.push(s.name) });
  try {
    assert.equal(handle.classification.status, 'current');
    assert.equal(handle.readOnly, false);
    assert.deepEqual(steps, ['0003-numeric-values', '0004-instruments-dates', '0005-attachments-unique-codes', '0006-search-checked-values']);
    assert.ok(handle.upgrade?.backup && fs.existsSync(handle.upgrade.backup));
    assert.equal(handle.db.prepare('SELECT collected_on FROM samples').pluck().get(), '2020-02-01');
    handle.db.prepare("INSERT INTO samples (site_id, code) VALUES (NULL, 'b')").run();
  } finally {
    handle.close();
  }
});

test('two documents can be open at once, each on its own connection', async () => {
  const engine = testEngine();
  const a = await openDocument(documentAt(6, tempDir(), 'a.fieldbook'), { engine });
  const b = await openDocument(beta09Document(tempDir()), { engine });
  try {
    a.db.prepare("INSERT INTO samples (code) VALUES ('in a')").run();
    b.db.prepare("INSERT INTO samples (code) VALUES ('in b')").run();
    a.close();
    b.db.prepare("INSERT INTO samples (code) VALUES ('still b')").run();
    assert.deepEqual(b.db.prepare('SELECT code FROM samples ORDER BY id').pluck().all(), ['in b', 'still b']);
    assert.equal(b.upgrade?.adopted, true);
  } finally {
    b.close();
  }
  assert.equal(classifyDocument(a.path, { engine: fieldbookEngine() }).status, 'current');
});

test('a document from a newer app opens read-only by default and is refused on request', async () => {
  const file = documentAt(6);
  withDb(file, (db) => {
    db.exec("INSERT INTO fieldbook_migrations VALUES (7, '0007-from-the-future', 'abc', '2030-01-01T00:00:00Z', '3.0.0', 1, 'migrate')");
    db.pragma('user_version = 7');
  });
  const before = fileState(file);
  const handle = await openDocument(file, { engine: testEngine() });
  try {
    assert.equal(handle.readOnly, true);
    assert.equal(handle.classification.status, 'newer');
    assert.equal(handle.classification.problem?.code, 'TOO_NEW');
    assert.throws(() => handle.db.exec("INSERT INTO samples (code) VALUES ('x')"), /readonly/);
  } finally {
    handle.close();
  }
  await assert.rejects(openDocument(file, { engine: fieldbookEngine(), newer: 'refuse' }), (e: unknown) => isFieldbookError(e, 'TOO_NEW'));
  assert.deepEqual(fileState(file), before);
});

test('classification covers current, outdated, legacy, newer, foreign and damaged', () => {
  const dir = tempDir();
  assert.equal(classifyDocument(documentAt(6, dir), { engine: fieldbookEngine() }).status, 'current');
  assert.equal(classifyDocument(documentAt(3, dir), { engine: fieldbookEngine() }).status, 'outdated');
  assert.equal(classifyDocument(documentAt(0, dir), { engine: fieldbookEngine() }).status, 'outdated');
  assert.equal(classifyDocument(beta09Document(dir), { engine: fieldbookEngine() }).status, 'legacy');
  const spaced = beta09Document(
    dir,
    'spaced.fieldbook',
    `CREATE TABLE "sites"(id integer primary key,name text not null,lat real,lon real);
    create table samples ( id INTEGER PRIMARY KEY, site_id INTEGER REFERENCES "sites" ( id ), code TEXT NOT NULL, collected TEXT, notes TEXT );
    CREATE TABLE measurements (id INTEGER PRIMARY KEY, sample_id INTEGER NOT NULL REFERENCES samples(id) ON DELETE CASCADE, kind TEXT NOT NULL, value TEXT, unit TEXT) ;`,
  );
  assert.equal(classifyDocument(spaced, { engine: fieldbookEngine() }).status, 'legacy', 'whitespace, case and quoting do not matter');
  const other = beta09Document(dir, 'other.fieldbook', 'CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)');
  assert.deepEqual(
    [classifyDocument(other, { engine: fieldbookEngine() }).status, classifyDocument(other, { engine: fieldbookEngine() }).problem?.code],
    ['foreign', 'UNKNOWN_SCHEMA'],
  );
  const almost = beta09Document(
    dir,
    'almost.fieldbook',
    `CREATE TABLE sites (id INTEGER PRIMARY KEY, name TEXT NOT NULL, lat REAL, lon REAL);
    CREATE TABLE samples (id INTEGER PRIMARY KEY, site_id INTEGER REFERENCES sites(id), code TEXT NOT NULL, collected TEXT, notes TEXT);
    CREATE TABLE measurements (id INTEGER PRIMARY KEY, sample_id INTEGER NOT NULL REFERENCES samples(id), kind TEXT NOT NULL, value TEXT, unit TEXT);`,
  );
  assert.equal(classifyDocument(almost, { engine: fieldbookEngine() }).status, 'foreign', 'a missing ON DELETE CASCADE is not version 1');
  const foreign = documentAt(6, dir, 'foreign.fieldbook');
  withDb(foreign, (db) => db.pragma('application_id = 1234'));
  assert.deepEqual(
    [classifyDocument(foreign, { engine: fieldbookEngine() }).status, classifyDocument(foreign, { engine: fieldbookEngine() }).problem?.code],
    ['foreign', 'NOT_A_FIELDBOOK'],
  );
});

test('stamp adopts a file made by hand and reports whether its schema matches', () => {
  const file = beta09Document();
  const result = stampDocument(file, 1, { engine: fieldbookEngine() });
  assert.deepEqual([result.from, result.to, result.schemaMatches], [0, 1, true]);
  assert.equal(classifyDocument(file, { engine: fieldbookEngine(), check: 'quick' }).status, 'outdated');
  const mismatch = stampDocument(file, 'head', { engine: fieldbookEngine() });
  assert.equal(mismatch.schemaMatches, false);
  assert.match(mismatch.difference ?? '', /does not match version 6/);
  assert.deepEqual(
    rows(file, 'SELECT version, method FROM fieldbook_migrations').map((r) => r.method),
    ['stamp', 'stamp', 'stamp', 'stamp', 'stamp', 'stamp'],
  );
  const back = stampDocument(file, 1, { engine: fieldbookEngine() });
  assert.deepEqual([back.to, back.schemaMatches], [1, true]);
  assert.equal(rows(file, 'SELECT count(*) AS n FROM fieldbook_migrations')[0]!.n, 1);
});

test('createDocument refuses an existing destination and leaves no temporary file', () => {
  const dir = tempDir();
  const file = path.join(dir, 'new.fieldbook');
  createDocument(file, { engine: fieldbookEngine() });
  assert.throws(
    () => createDocument(file, { engine: fieldbookEngine() }),
    (e: unknown) => isFieldbookError(e, 'EXISTS'),
  );
  assert.deepEqual(fs.readdirSync(dir), ['new.fieldbook']);
  assert.throws(
    () => createDocument(path.join(dir, 'missing', 'x.fieldbook'), { engine: fieldbookEngine() }),
    (e: unknown) => isFieldbookError(e, 'NOT_FOUND'),
  );
  assert.throws(
    () => createDocument(path.join(dir, 'y.fieldbook'), { engine: fieldbookEngine(), at: 9 }),
    (e: unknown) => isFieldbookError(e, 'BAD_TARGET'),
  );
  assert.equal(rows(file, 'PRAGMA journal_mode')[0]!.journal_mode, 'delete');
});

test('classifying a WAL-mode document leaves no -wal or -shm file behind and the bytes unchanged', () => {
  const dir = tempDir();
  const file = documentAt(6, dir, 'wal.fieldbook');
  withDb(file, (db) => db.pragma('journal_mode = WAL'));
  assert.deepEqual(fs.readdirSync(dir), ['wal.fieldbook']);
  const before = fileState(file);
  assert.equal(classifyDocument(file, { engine: fieldbookEngine() }).status, 'current');
  assert.equal(classifyDocument(file, { engine: fieldbookEngine(), check: 'full' }).status, 'current');
  assert.deepEqual(fs.readdirSync(dir), ['wal.fieldbook']);
  assert.deepEqual(fileState(file), before);
});

test("an UpgradeRunner runs the upgrade an open needs, given the open's classification; the handle reads the upgraded state from its own connection", async () => {
  const engine = testEngine();
  const file = documentAt(3);
  const seen: string[] = [];
  const handle = await openDocument(file, {
    engine,
    upgrade: async (classification) => {
      seen.push(`${classification.status} ${classification.version}`);
      return upgradeDocument(classification.path, { engine, backup: false });
    },
  });
  try {
    assert.deepEqual(seen, ['outdated 3']);
    assert.deepEqual([handle.readOnly, handle.classification.status, handle.classification.version, handle.upgrade?.from], [false, 'current', 6, 3]);
    assert.deepEqual(
      handle.classification.applied.map((a) => a.version),
      [1, 2, 3, 4, 5, 6],
    );
    assert.deepEqual(handle.classification, classifyDocument(file, { engine }), 'what a classification would say');
  } finally {
    handle.close();
  }
  const current = await openDocument(documentAt(6), { engine, upgrade: async () => assert.fail('a current document needs no upgrade') });
  current.close();
  await assert.rejects(
    openDocument(documentAt(4), { engine, upgrade: async (c) => ({ path: c.path, from: 4, to: 6, backup: null, applied: [], adopted: false }) }),
    (e: unknown) => isFieldbookError(e, 'LOCKED'),
    'a document not at the version the upgrade reported changed meanwhile',
  );
});

test("DocumentHandle.write: a read-only handle refuses before running the edit; the document's rules become INVALID_VALUE in the caller's words", async () => {
  const engine = testEngine();
  const file = richHeadDocument();
  const readOnly = await openDocument(file, { engine, readOnly: true });
  let ran = false;
  await assert.rejects(
    readOnly.write(async () => {
      ran = true;
    }),
    (e: unknown) => isFieldbookError(e, 'READ_ONLY_DOCUMENT'),
  );
  assert.equal(ran, false);
  readOnly.close();
  const handle = await openDocument(file, { engine });
  try {
    const insert = (sql: string) => () => Promise.resolve(handle.db.exec(sql));
    const kinds: string[] = [];
    const words = (r: WriteRefusal) => (kinds.push(r.kind), `refused: ${r.kind}`);
    for (const sql of [
      "INSERT INTO samples (site_id, code) VALUES (1, 'R-1')",
      "INSERT INTO samples (site_id, code) VALUES (1, '')",
      'INSERT INTO samples (site_id, code) VALUES (1, NULL)',
      "INSERT INTO samples (site_id, code) VALUES (99, 'x')",
    ]) {
      await assert.rejects(
        handle.write(insert(sql), words),
        (e: unknown) => isFieldbookError(e, 'INVALID_VALUE') && /^refused: /.test((e as Error).message) && (e as Error).cause instanceof Error,
        sql,
      );
    }
    assert.deepEqual(kinds, ['unique', 'check', 'not-null', 'foreign-key']);
    await assert.rejects(
      handle.write(insert("INSERT INTO samples (site_id, code) VALUES (1, 'R-1')")),
      (e: unknown) => isFieldbookError(e, 'INVALID_VALUE') && /UNIQUE constraint failed/.test((e as Error).message),
      "without words: the error's own",
    );
    const { Sample } = defineModels(handle.sequelize());
    await assert.rejects(
      handle.write(() => Sample.create({ siteId: 1, code: 'R-1' })),
      (e: unknown) => isFieldbookError(e, 'INVALID_VALUE'),
      "Sequelize's unique error",
    );
    await assert.rejects(
      handle.write(async () => {
        throw new Error('not a rule');
      }),
      /^Error: not a rule$/,
    );
    assert.equal(await handle.write(async () => handle.db.prepare("INSERT INTO samples (site_id, code) VALUES (1, 'new')").run().changes), 1);
  } finally {
    handle.close();
  }
  assert.equal(rows(file, "SELECT count(*) AS n FROM samples WHERE code = 'new'")[0]!.n, 1);
});

test("opening an outdated document upgrades it with the open's own classification: one classification, then the check under the write lock", async () => {
  const file = documentAt(3);
  const { value: handle, calls } = await countClassifications(() => openDocument(file, { engine: testEngine() }));
  try {
    assert.deepEqual([handle.upgrade?.from, handle.upgrade?.to, handle.classification.status], [3, 6, 'current']);
    assert.deepEqual(
      calls.map((c) => c.name),
      ['classifyForReading', 'inspectDocument'],
    );
  } finally {
    handle.close();
  }
});
