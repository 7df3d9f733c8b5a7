import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { documentAt, rows, runCli, withDb } from '../helpers/fixtures';
import { columns, dataIssues, migrateTo } from '../helpers/migrate';
import { randomValueTexts, specNumber } from '../helpers/spec-rules';
import { fieldbookEngine } from '../../main/fieldbook/fieldbook-engine';

/** [original value, expected number or null, whether a data issue is expected] */
const CASES: [unknown, number | null, boolean][] = [
  ['12.5', 12.5, false], [' 7 ', 7, false], ['3,25', 3.25, false], ['1e3', 1000, false], ['', null, true], ['n/a', null, true],
  [null, null, false], ['1,234.5', null, true], ['1,2,3', null, true], ['-.5', -0.5, false], ['+3.', 3, false],
  ['\t42\n', 42, false], ['\u00a012', 12, false], ['1e', null, true], ['e3', null, true], ['0x10', null, true],
  ['١٢', null, true], ['12.5 m', null, true], [' , ', null, true], ['1E+05', 100000, false], ['5.e3', 5000, false],
  ['007', 7, false], ['−5', null, true], ['.', null, true], ['+', null, true], ['1e5.5', null, true], ['--1', null, true],
  ['1-2', null, true], ['  -0,75  ', -0.75, false], ['4.2E-2', 0.042, false], ['1e+', null, true], [Buffer.from('12'), null, true],
];

test('0003 converts measurement values by the spec rule and keeps every original it cannot read', async () => {
  const file = documentAt(2);
  withDb(file, (db) => {
    db.exec("INSERT INTO sites VALUES (1, 'S', NULL, NULL); INSERT INTO samples VALUES (1, 1, 'a', NULL, NULL), (2, 1, 'b', NULL, NULL)");
    const insert = db.prepare('INSERT INTO measurements (id, sample_id, kind, value, unit) VALUES (?, ?, ?, ?, ?)');
    CASES.forEach(([value], i) => insert.run(i + 10, 1 + (i % 2), `kind ${i}`, value, i % 3 ? 'u' : null));
  });
  await migrateTo(file, 3);
  assert.deepEqual(columns(file, 'measurements'), ['id INTEGER', 'sample_id INTEGER', 'kind TEXT', 'value REAL', 'unit TEXT']);
  const after = rows(file, 'SELECT id, sample_id, kind, value, typeof(value) AS type, unit FROM measurements ORDER BY id');
  assert.equal(after.length, CASES.length);
  CASES.forEach(([original, expected], i) => {
    const row = after[i]!;
    assert.deepEqual([row.id, row.sample_id, row.kind, row.unit], [i + 10, 1 + (i % 2), `kind ${i}`, i % 3 ? 'u' : null], `other columns of row ${i + 10} kept`);
    if (expected === null) assert.equal(row.value, null, `${JSON.stringify(original)} becomes NULL`);
    else {
      assert.equal(row.type, 'real', `${JSON.stringify(original)} is stored as REAL`);
      assert.ok(Math.abs((row.value as number) - expected) < 1e-12, `${JSON.stringify(original)} → ${String(row.value)}, expected ${expected}`);
    }
  });
  const issues = dataIssues(file, 3);
  const expectedIssues = CASES.flatMap(([original, , issue], i) => (issue ? [{
    table_name: 'measurements', row_id: i + 10, column_name: 'value', original_value: original, schema_version: 3, resolved: 0,
  }] : []));
  assert.deepEqual(issues.map(({ message: _m, ...rest }) => rest), expectedIssues);
  assert.ok(issues.every((i) => i.message.length > 0));
});

test('0003 agrees with the spec rule on thousands of generated values', async () => {
  const file = documentAt(2);
  const values = randomValueTexts(4000, 0xf1e1d);
  const readable = values.filter((v) => specNumber(v).value !== null).length;
  assert.ok(readable > 200 && readable < 3800, `the generated values exercise both outcomes (${readable} numbers)`);
  withDb(file, (db) => {
    db.exec("INSERT INTO samples VALUES (1, NULL, 'a', NULL, NULL)");
    const insert = db.prepare("INSERT INTO measurements (id, sample_id, kind, value) VALUES (?, 1, 'k', ?)");
    db.transaction(() => values.forEach((v, i) => insert.run(i + 1, v)))();
  });
  await migrateTo(file, 3);
  const got = rows(file, 'SELECT id, value FROM measurements ORDER BY id');
  const issueIds = new Set(dataIssues(file, 3).map((i) => i.row_id));
  values.forEach((v, i) => {
    const want = specNumber(v);
    const value = got[i]!.value as number | null;
    const label = `value ${JSON.stringify(v)}`;
    if (want.value === null) assert.equal(value, null, label);
    else assert.ok(value !== null && (value === want.value || Math.abs(value - want.value) <= Math.abs(want.value) * 1e-15), `${label}: got ${String(value)}, want ${want.value}`);
    assert.equal(issueIds.has(i + 1), want.issue, `${label}: data issue ${want.issue ? 'expected' : 'not expected'}`);
  });
});

test('0003 down gives unreadable values their original text back', async () => {
  const file = documentAt(2);
  withDb(file, (db) => db.exec("INSERT INTO samples VALUES (1, NULL, 'a', NULL, NULL); INSERT INTO measurements VALUES (1, 1, 'k', 'n/a', NULL), (2, 1, 'k', '3,5', NULL)"));
  await migrateTo(file, 3);
  const { downgradeDocument } = require('@fieldbook/engine') as typeof import('@fieldbook/engine');
  await downgradeDocument(file, { engine: fieldbookEngine(), to: 2, backup: false, acceptLoss: true });
  assert.deepEqual(rows(file, 'SELECT id, value FROM measurements ORDER BY id'), [{ id: 1, value: 'n/a' }, { id: 2, value: '3.5' }]);
});

/** Values holding NUL (U+0000) anywhere, as text and as blobs, next to ones that convert. */
const NUL_VALUES: unknown[] = [
  '12.5\0abc', '12\0', '\0', '\u000012', ' 7 \0', '1e3\0x', '3,25\0', '\0\0', '\t\0 ', '-.5\0', '12.5', '1e3',
  Buffer.from('12\0', 'latin1'), Buffer.from([0]), Buffer.from('12.5'),
];

/** id, type and exact bytes of each measurement value (hex compares every byte, NULs included). */
const valueBytes = (file: string) => rows(file, 'SELECT id, typeof(value) AS type, hex(value) AS bytes FROM measurements ORDER BY id');

function seedNulValues(file: string): void {
  withDb(file, (db) => {
    db.exec("INSERT INTO samples VALUES (1, NULL, 'a', NULL, NULL)");
    const insert = db.prepare("INSERT INTO measurements (id, sample_id, kind, value) VALUES (?, 1, 'k', ?)");
    NUL_VALUES.forEach((v, i) => insert.run(i + 1, v));
  });
}

/** Checks the converted document against the spec's reading, issue by issue, byte by byte. */
function assertNulOutcome(file: string, before: Record<string, unknown>[]): void {
  const after = rows(file, 'SELECT id, value, typeof(value) AS type FROM measurements ORDER BY id');
  NUL_VALUES.forEach((v, i) => {
    const want = specNumber(v);
    assert.equal(after[i]!.value, want.value, `value ${JSON.stringify(String(v))} (${typeof v})`);
    if (want.value !== null) assert.equal(after[i]!.type, 'real');
  });
  const issues = rows(file, "SELECT row_id AS id, typeof(original_value) AS type, hex(original_value) AS bytes FROM data_issues WHERE table_name = 'measurements' AND column_name = 'value' AND schema_version = 3 ORDER BY id");
  const expected = before.filter((_, i) => specNumber(NUL_VALUES[i]).issue);
  assert.deepEqual(issues, expected, 'one issue per value holding NUL (and per blob), with its original type and every byte');
  assert.ok(expected.length >= 12);
}

test('0003: a value holding NUL anywhere is no number: NULL, and a data issue keeps its exact type and bytes', async () => {
  const file = documentAt(2);
  seedNulValues(file);
  const before = valueBytes(file);
  assert.equal(before[0]!.bytes, '31322E3500616263', 'the NUL was stored inside the text');
  await migrateTo(file, 3);
  assertNulOutcome(file, before);
  const { downgradeDocument } = require('@fieldbook/engine') as typeof import('@fieldbook/engine');
  await downgradeDocument(file, { engine: fieldbookEngine(), to: 2, backup: false, acceptLoss: true });
  const back = valueBytes(file);
  before.forEach((b, i) => {
    if (specNumber(NUL_VALUES[i]).issue) assert.deepEqual(back[i], b, `down gives ${JSON.stringify(String(NUL_VALUES[i]))} back byte for byte`);
  });
});

test('0003: the offline script run by Debian\'s sqlite3 shell (3.40) treats NUL values the same way', () => {
  const file = documentAt(2);
  seedNulValues(file);
  const before = valueBytes(file);
  const script = runCli(['sql', '2:3']);
  assert.equal(script.status, 0, script.stderr);
  const run = spawnSync('sqlite3', ['-bail', file], { input: script.stdout, encoding: 'utf8' });
  assert.equal(run.status, 0, run.stderr);
  assertNulOutcome(file, before);
});
