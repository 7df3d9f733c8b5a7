import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { fieldbookEngine } from '../../main/fieldbook/fieldbook-engine';
import { downgradeDocument } from '@fieldbook/engine';
import { documentAt, rows, runCli, withDb } from '../helpers/fixtures';
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

/**
 * Dates holding NUL (U+0000) anywhere, as text and as blobs, and the ends of the year range
 * (0001–9999: there is no year 0000), next to dates that convert.
 */
const EDGE_DATES: unknown[] = [
  '2014-02-16\0junk', '2014-02-16\0', '\u00002014-02-16', '2014-02-16 \0', '2014-02-16T\0', '1/2/2023\0', '1.2.\u00002023', '\0', ' \0 ',
  '0000-01-01', '0000-01-01T10:00', '0000-02-29', '1/1/0000', '29.2.0000', '31/12/0000',
  '0001-01-01', '9999-12-31', '31/12/9999', '1.1.0001', '9999-12-31T23:59', '2014-02-16',
  Buffer.from('2014-02-16\0', 'latin1'), Buffer.from([0]),
];

const collectedBytes = (file: string) => rows(file, 'SELECT id, typeof(collected) AS type, hex(collected) AS bytes FROM samples ORDER BY id');

function seedEdgeDates(file: string): void {
  withDb(file, (db) => {
    const insert = db.prepare("INSERT INTO samples (id, site_id, code, collected) VALUES (?, NULL, 'c', ?)");
    EDGE_DATES.forEach((v, i) => insert.run(i + 1, v));
  });
}

function assertEdgeOutcome(file: string, before: Record<string, unknown>[]): void {
  const after = rows(file, 'SELECT collected_on FROM samples ORDER BY id');
  EDGE_DATES.forEach((v, i) => assert.equal(after[i]!.collected_on, specDate(v).value, `collected ${JSON.stringify(String(v))} (${typeof v})`));
  assert.deepEqual(after.slice(15, 21).map((r) => r.collected_on), ['0001-01-01', '9999-12-31', '9999-12-31', '0001-01-01', '9999-12-31', '2014-02-16']);
  const issues = rows(file, "SELECT row_id AS id, typeof(original_value) AS type, hex(original_value) AS bytes FROM data_issues WHERE table_name = 'samples' AND column_name = 'collected' AND schema_version = 4 ORDER BY id");
  const expected = before.filter((_, i) => specDate(EDGE_DATES[i]).issue);
  assert.deepEqual(issues, expected, 'one issue per date holding NUL, per year 0000 and per blob, with its original type and every byte');
  assert.equal(expected.length, 17);
}

test('0004: a date holding NUL anywhere, or in year 0000, becomes NULL with a data issue keeping its exact type and bytes', async () => {
  const file = documentAt(3);
  seedEdgeDates(file);
  const before = collectedBytes(file);
  assert.equal(before[0]!.bytes, '323031342D30322D3136006A756E6B', 'the NUL was stored inside the text');
  await migrateTo(file, 4);
  assertEdgeOutcome(file, before);
  await downgradeDocument(file, { to: 3, backup: false, acceptLoss: true, engine: fieldbookEngine() });
  const back = collectedBytes(file);
  before.forEach((b, i) => {
    if (specDate(EDGE_DATES[i]).issue) assert.deepEqual(back[i], b, `down gives ${JSON.stringify(String(EDGE_DATES[i]))} back byte for byte`);
  });
});

test('0004: the offline script run by Debian\'s sqlite3 shell (3.40) reads NUL and year-0000 dates the same way', () => {
  const file = documentAt(3);
  seedEdgeDates(file);
  const before = collectedBytes(file);
  const script = runCli(['sql', '3:4']);
  assert.equal(script.status, 0, script.stderr);
  const run = spawnSync('sqlite3', ['-bail', file], { input: script.stdout, encoding: 'utf8' });
  assert.equal(run.status, 0, run.stderr);
  assertEdgeOutcome(file, before);
});
