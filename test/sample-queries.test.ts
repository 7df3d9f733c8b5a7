/**
 * The app's sample list and site queries (main/app/sample-queries.ts) on real notebooks: natural
 * order, every sort column both ways with empty values last, tag and date filters with true
 * totals, and a sort function no document trigger or view can call.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openDocument } from '@fieldbook/engine';
import { listSamples, listSites, naturalKey, registerNaturalOrder } from '../main/app/sample-queries';
import { documentAt, tempDir, testEngine, withDb } from './helpers/fixtures';

test('naturalKey orders numbers by value, case and accents aside', () => {
  const sorted = (list: string[]) => [...list].sort((a, b) => (naturalKey(a)! < naturalKey(b)! ? -1 : naturalKey(a)! > naturalKey(b)! ? 1 : 0));
  assert.deepEqual(sorted(['S-10', 'S-9', 'S-100', 's-2', 'S-1']), ['S-1', 's-2', 'S-9', 'S-10', 'S-100']);
  assert.deepEqual(sorted(['Site 10', 'Site 2', 'site 1', 'Éboulis', 'eau']), ['eau', 'Éboulis', 'site 1', 'Site 2', 'Site 10']);
  assert.deepEqual(sorted(['x7', 'x06', 'x10']), ['x06', 'x7', 'x10']);
  assert.equal(naturalKey('x007'), naturalKey('x7'), 'leading zeros do not change a number');
  // Numbers longer than the padding still order by value among themselves.
  assert.deepEqual(sorted(['n123456789012345678901234', 'n99999999999999999999', 'n5']), ['n5', 'n99999999999999999999', 'n123456789012345678901234']);
  assert.equal(naturalKey(null), null);
});

async function session(file: string) {
  const handle = await openDocument(file, { engine: testEngine() });
  registerNaturalOrder(handle.db);
  return { handle, sequelize: handle.sequelize() };
}

test('samples sort by every column both ways (empty values last), filter by tag and dates, and count all matches', async () => {
  const file = documentAt(6, tempDir(), 'sorting.fieldbook');
  withDb(file, (db) =>
    db.exec(`
    INSERT INTO sites (id, name) VALUES (1, 'Site 10'), (2, 'Site 2');
    INSERT INTO tags (id, name) VALUES (1, 'water'), (2, 'Sediment');
    INSERT INTO samples (id, site_id, code, collected_on, description) VALUES
      (1, 1, 'S-10', '2021-03-05', 'core 10'), (2, 2, 'S-9', NULL, 'core 9'), (3, NULL, 'S-100', '2021-01-01', NULL),
      (4, 2, 's-1', '2021-03-31', '  '), (5, 1, 'S-2', '2021-12-31', 'Core 2');
    INSERT INTO sample_tags VALUES (1, 1), (2, 2), (5, 1), (5, 2);`),
  );
  const { handle, sequelize } = await session(file);
  try {
    const codes = async (query: Parameters<typeof listSamples>[1]) => (await listSamples(sequelize, query)).samples.map((s) => s.code);
    assert.deepEqual(await codes({}), ['s-1', 'S-2', 'S-9', 'S-10', 'S-100']);
    assert.deepEqual(await codes({ sort: { column: 'code', descending: true } }), ['S-100', 'S-10', 'S-9', 'S-2', 's-1']);
    assert.deepEqual(await codes({ sort: { column: 'collectedOn' } }), ['S-100', 'S-10', 's-1', 'S-2', 'S-9']);
    assert.deepEqual(await codes({ sort: { column: 'collectedOn', descending: true } }), ['S-2', 's-1', 'S-10', 'S-100', 'S-9'], 'no date still last');
    assert.deepEqual(await codes({ sort: { column: 'site' } }), ['s-1', 'S-9', 'S-2', 'S-10', 'S-100'], 'Site 2 before Site 10; no site last');
    assert.deepEqual(await codes({ sort: { column: 'description' } }), ['S-2', 'S-9', 'S-10', 's-1', 'S-100'], 'blank and missing descriptions last, by code');
    assert.deepEqual(await codes({ sort: { column: 'tags' } }), ['S-9', 'S-2', 'S-10', 's-1', 'S-100'], '"Sediment" before "water" (case aside); untagged last');
    const water = await listSamples(sequelize, { tag: 'WATER', limit: 1 });
    assert.deepEqual([water.samples.map((s) => s.code), water.total], [['S-2'], 2], 'a page of one, and the true total');
    const march = await listSamples(sequelize, { collectedFrom: '2021-03-01', collectedTo: '2021-03-31' });
    assert.deepEqual([march.samples.map((s) => s.code), march.total], [['s-1', 'S-10'], 2]);
    assert.deepEqual((await listSamples(sequelize, {})).samples.find((s) => s.code === 'S-2')?.siteName, 'Site 10');
    assert.deepEqual(
      (await listSites(sequelize)).map((s) => s.name),
      ['Site 2', 'Site 10'],
    );
  } finally {
    handle.close();
  }
});

test("the sort function is the app's alone: a document's own trigger or view cannot call it", async () => {
  const file = documentAt(6, tempDir(), 'hostile.fieldbook');
  withDb(file, (db) =>
    db.exec(`
    CREATE VIEW natural_view AS SELECT fieldbook_natural(code) AS k FROM samples;
    CREATE TRIGGER natural_trigger AFTER INSERT ON sites BEGIN SELECT fieldbook_natural(new.name); END;
    INSERT INTO samples (code) VALUES ('S-1');`),
  );
  const { handle } = await session(file);
  try {
    assert.throws(() => handle.db.prepare('SELECT * FROM natural_view').all(), /unsafe use of fieldbook_natural/);
    assert.throws(() => handle.db.exec("INSERT INTO sites (name) VALUES ('x')"), /unsafe use of fieldbook_natural/);
    assert.equal((handle.db.prepare("SELECT fieldbook_natural('S-2') AS k").get() as { k: string }).k, naturalKey('S-2'), 'a query of the app may');
  } finally {
    handle.close();
  }
});
