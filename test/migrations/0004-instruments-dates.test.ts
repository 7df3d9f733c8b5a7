import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fieldbookEngine } from '../../main/engine/engine';
import { downgradeDocument } from '../../main/engine/migrate';
import { documentAt, rows, withDb } from '../helpers/fixtures';
import { columns, dataIssues, migrateTo } from '../helpers/migrate';
import { randomDateTexts, specDate } from '../helpers/spec-rules';

/** [collected, expected collected_on] — null with a non-null original means a data issue. */
const CASES: [unknown, string | null][] = [
  ['2023-05-01', '2023-05-01'], ['2023-05-01T10:22:00Z', '2023-05-01'], ['2023-05-01 08:00', '2023-05-01'], [' 2023-05-01 ', '2023-05-01'],
  ['1/2/2023', '2023-02-01'], ['01.02.2023', '2023-02-01'], ['31/12/1999', '1999-12-31'], ['31/02/2020', null], ['29/2/2020', '2020-02-29'],
  ['29/2/2021', null], ['2023-02-30', null], ['2023-13-01', null], ['2023-5-1', null], ['1/2/23', null], ['1/2.2023', null],
  ['spring 2021', null], ['', null], [null, null], ['2023-05-01x', null], ['2023-05-01t10', null], ['123/4/2020', null],
  ['\t7.11.2022\n', '2022-11-07'], ['2000-02-29', '2000-02-29'], ['1900-02-29', null], ['2023-05-01T', '2023-05-01'], [Buffer.from('2023-05-01'), null],
];

test('0004 turns free-text collection dates into ISO dates and keeps what it cannot read', async () => {
  const file = documentAt(3);
  withDb(file, (db) => {
    db.exec("INSERT INTO sites VALUES (1, 'S', NULL, NULL)");
    const insert = db.prepare('INSERT INTO samples (id, site_id, code, collected, notes) VALUES (?, 1, ?, ?, ?)');
    CASES.forEach(([collected], i) => insert.run(i + 1, `c${i}`, collected, i % 2 ? `notes ${i}` : null));
    db.exec("INSERT INTO measurements VALUES (1, 1, 'pH', 7.5, NULL)");
  });
  await migrateTo(file, 4);
  assert.deepEqual(columns(file, 'samples'), ['id INTEGER', 'site_id INTEGER', 'code TEXT', 'description TEXT', 'collected_on TEXT']);
  assert.deepEqual(columns(file, 'measurements').at(-1), 'instrument_id INTEGER');
  assert.deepEqual(columns(file, 'instruments'), ['id INTEGER', 'name TEXT', 'serial TEXT']);
  const after = rows(file, 'SELECT id, code, description, collected_on FROM samples ORDER BY id');
  CASES.forEach(([collected, iso], i) => {
    assert.deepEqual(after[i], { id: i + 1, code: `c${i}`, description: i % 2 ? `notes ${i}` : null, collected_on: iso }, `collected ${JSON.stringify(collected)}`);
  });
  const expectedIssues = CASES.flatMap(([collected, iso], i) => (iso === null && collected !== null
    ? [{ table_name: 'samples', row_id: i + 1, column_name: 'collected', original_value: collected, schema_version: 4, resolved: 0 }] : []));
  assert.deepEqual(dataIssues(file, 4).map(({ message: _m, ...rest }) => rest), expectedIssues);
  assert.deepEqual(rows(file, 'SELECT id, sample_id, value, instrument_id FROM measurements'), [{ id: 1, sample_id: 1, value: 7.5, instrument_id: null }]);
});

test('0004 measurements.instrument_id is ON DELETE SET NULL', async () => {
  const file = documentAt(3);
  withDb(file, (db) => db.exec("INSERT INTO samples VALUES (1, NULL, 'a', NULL, NULL); INSERT INTO measurements VALUES (1, 1, 'pH', 7, NULL)"));
  await migrateTo(file, 4);
  const fk = rows(file, "SELECT \"table\", \"from\", on_delete FROM pragma_foreign_key_list('measurements') WHERE \"from\" = 'instrument_id'");
  assert.deepEqual(fk, [{ table: 'instruments', from: 'instrument_id', on_delete: 'SET NULL' }]);
  withDb(file, (db) => {
    db.pragma('foreign_keys = ON');
    db.exec("INSERT INTO instruments VALUES (1, 'probe', 'SN1'); UPDATE measurements SET instrument_id = 1; DELETE FROM instruments");
    assert.equal(db.prepare('SELECT instrument_id FROM measurements').pluck().get(), null);
  });
});

test('0004 agrees with the spec rule on thousands of generated dates', async () => {
  const file = documentAt(3);
  const texts = randomDateTexts(3000, 0xda7e);
  const readable = texts.filter((t) => specDate(t).value !== null).length;
  assert.ok(readable > 150 && readable < 2850, `the generated dates exercise both outcomes (${readable} readable)`);
  withDb(file, (db) => {
    const insert = db.prepare("INSERT INTO samples (id, site_id, code, collected) VALUES (?, NULL, 'c', ?)");
    db.transaction(() => texts.forEach((t, i) => insert.run(i + 1, t)))();
  });
  await migrateTo(file, 4);
  const got = rows(file, 'SELECT collected_on FROM samples ORDER BY id');
  const issueIds = new Set(dataIssues(file, 4).map((i) => i.row_id));
  texts.forEach((t, i) => {
    const want = specDate(t);
    assert.equal(got[i]!.collected_on, want.value, `collected ${JSON.stringify(t)}`);
    assert.equal(issueIds.has(i + 1), want.issue, `collected ${JSON.stringify(t)}: data issue ${want.issue ? 'expected' : 'not expected'}`);
  });
});

test('0004 down restores notes and the original free text of unreadable dates', async () => {
  const file = documentAt(3);
  withDb(file, (db) => db.exec("INSERT INTO samples VALUES (1, NULL, 'a', 'spring', 'n1'), (2, NULL, 'b', '1/2/2023', NULL), (3, NULL, 'c', NULL, 'n3')"));
  await migrateTo(file, 4);
  await downgradeDocument(file, { to: 3, backup: false, acceptLoss: true, engine: fieldbookEngine() });
  assert.deepEqual(rows(file, 'SELECT * FROM samples ORDER BY id'), [
    { id: 1, site_id: null, code: 'a', collected: 'spring', notes: 'n1' },
    { id: 2, site_id: null, code: 'b', collected: '2023-02-01', notes: null },
    { id: 3, site_id: null, code: 'c', collected: null, notes: 'n3' },
  ]);
  assert.deepEqual(dataIssues(file, 4), []);
});
