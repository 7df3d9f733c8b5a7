import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fieldbookEngine } from '../../main/fieldbook/fieldbook-engine';
import { downgradeDocument } from '@fieldbook/engine';
import { documentAt, rows, withDb } from '../helpers/fixtures';
import { columns, dataIssues, migrateTo, objectNames } from '../helpers/migrate';
import { randomCodes, specCodeRenames, type CodeValue } from '../helpers/spec-rules';

/** [id, site_id, code before, code after] */
const SAMPLES: [number, number | null, string, string][] = [
  [1, 1, 'A', 'A'], [2, 1, 'A', 'A-3'], [3, 1, 'A-2', 'A-2'], [4, 1, 'A', 'A-4'], [5, 1, 'B', 'B'], [6, 1, 'B', 'B-2'],
  [7, 2, 'A', 'A'], [8, 2, 'A', 'A-2'],
  [9, null, 'A', 'A'], [10, null, 'A', 'A'],
  [11, 3, 'X', 'X'], [12, 3, 'X-2', 'X-2'], [13, 3, 'X', 'X-3'], [14, 3, 'X-2', 'X-2-2'],
  [15, 4, 'C', 'C'], [16, 4, 'C-3', 'C-3'], [17, 4, 'C', 'C-2'], [18, 4, 'C', 'C-4'], [19, 4, 'c', 'c'],
  [20, 5, 'D', 'D'], [21, 5, 'D-2', 'D-2'], [22, 5, 'D-3', 'D-3'], [23, 5, 'D', 'D-4'], [24, 5, 'D-10', 'D-10'],
];

test('0005 renames duplicate codes per site by the code-k rule, then makes them unique', async () => {
  const file = documentAt(4);
  withDb(file, (db) => {
    db.exec("INSERT INTO sites (id, name) VALUES (1, 'a'), (2, 'b'), (3, 'c'), (4, 'd'), (5, 'e')");
    const insert = db.prepare('INSERT INTO samples (id, site_id, code, description) VALUES (?, ?, ?, ?)');
    for (const [id, site, code] of SAMPLES) insert.run(id, site, code, `d${id}`);
    db.exec("INSERT INTO measurements (id, sample_id, kind, value) VALUES (1, 2, 'pH', 7)");
  });
  await migrateTo(file, 5);
  assert.deepEqual(rows(file, 'SELECT id, site_id, code, description FROM samples ORDER BY id'),
    SAMPLES.map(([id, site, , code]) => ({ id, site_id: site, code, description: `d${id}` })));
  const renamed = SAMPLES.filter(([, , before, after]) => before !== after);
  assert.deepEqual(dataIssues(file, 5).map((i) => [i.table_name, i.row_id, i.column_name, i.original_value, i.resolved]),
    renamed.map(([id, , before]) => ['samples', id, 'code', before, 0]));
  assert.ok(objectNames(file, 'index').includes('samples_site_code_uq'));
  assert.throws(() => withDb(file, (db) => db.exec("INSERT INTO samples (site_id, code) VALUES (1, 'A')")), /UNIQUE/);
  assert.deepEqual(columns(file, 'attachments'), ['id INTEGER', 'sample_id INTEGER', 'filename TEXT', 'mime TEXT', 'data BLOB', 'sha256 TEXT']);
  assert.deepEqual(rows(file, 'SELECT id, sample_id FROM measurements'), [{ id: 1, sample_id: 2 }]);
});

test('0005 down restores the original duplicate codes', async () => {
  const file = documentAt(4);
  withDb(file, (db) => db.exec("INSERT INTO sites (id, name) VALUES (1, 'a'); INSERT INTO samples (id, site_id, code) VALUES (1, 1, 'A'), (2, 1, 'A')"));
  await migrateTo(file, 5);
  withDb(file, (db) => db.exec("INSERT INTO attachments VALUES (1, 1, 'f.png', 'image/png', x'00ff', 'abc')"));
  await downgradeDocument(file, { to: 4, backup: false, acceptLoss: true, engine: fieldbookEngine() });
  assert.deepEqual(rows(file, 'SELECT id, code FROM samples ORDER BY id'), [{ id: 1, code: 'A' }, { id: 2, code: 'A' }]);
  assert.ok(!objectNames(file, 'table').includes('attachments'));
});

/** Seeds a version-4 document with `codes` (sample i + 1 gets codes[i], at one of three sites or none). */
function documentWithCodes(codes: readonly CodeValue[]): { file: string; samples: { id: number; siteId: number | null; code: CodeValue }[] } {
  const file = documentAt(4);
  const samples = codes.map((code, i) => ({ id: i + 1, siteId: [1, 2, 3, null][i % 4]!, code }));
  withDb(file, (db) => {
    db.exec("INSERT INTO sites (id, name) VALUES (1, 'a'), (2, 'b'), (3, 'c')");
    const insert = db.prepare('INSERT INTO samples (id, site_id, code) VALUES (?, ?, ?)');
    for (const s of samples) insert.run(s.id, s.siteId, s.code);
  });
  return { file, samples };
}

const hexOf = (value: unknown) => (Buffer.isBuffer(value) ? `blob:${value.toString('hex')}` : `text:${Buffer.from(String(value)).toString('hex')}`);

test('0005 renames codes holding NULs and BLOB codes by the code-k rule (an independent JS reading), byte for byte', async () => {
  const fixed: CodeValue[] = ['a\0x', 'a\0x', 'a\0x-2', 'a\0x', 'a\0y', '\0', '\0', '\0-2', Buffer.from('ab'), Buffer.from('ab'), 'ab', 'ab', 'A', 'A\0'];
  const codes = [...fixed.flatMap((c) => [c, c, c, c]), ...randomCodes(600, 0x5c0de)];
  const { file, samples } = documentWithCodes(codes);
  await migrateTo(file, 5);
  const want = specCodeRenames(samples);
  const got = withDb(file, (db) => {
    db.defaultSafeIntegers(false);
    return db.prepare('SELECT id, code FROM samples ORDER BY id').all() as { id: number; code: unknown }[];
  });
  for (const row of got) {
    const s = samples[row.id - 1]!;
    const expected = want.get(row.id) ?? s.code;
    assert.equal(hexOf(row.code), hexOf(expected), `sample ${row.id} (${JSON.stringify(String(s.code))}${Buffer.isBuffer(s.code) ? ' as a BLOB' : ''})`);
  }
  const issues = dataIssues(file, 5);
  assert.deepEqual(issues.map((i) => i.row_id), [...want.keys()].sort((a, b) => a - b));
  for (const issue of issues) assert.equal(hexOf(issue.original_value), hexOf(samples[issue.row_id - 1]!.code), `the issue of sample ${issue.row_id} keeps the original bytes and type`);
  assert.ok(want.size > 100, `the generated codes exercise the rule (${want.size} renames)`);
});

test('0005 down gives codes holding NULs and BLOB codes back byte for byte', async () => {
  const codes: CodeValue[] = ['a\0x', 'a\0x', 'a\0x-2', 'a\0x', '\0', '\0', Buffer.from('é'), Buffer.from('é'), 'é', 'é'].flatMap((c) => [c, c, c, c]);
  const { file, samples } = documentWithCodes(codes);
  await migrateTo(file, 5);
  assert.ok(dataIssues(file, 5).length > 10);
  await downgradeDocument(file, { to: 4, backup: false, acceptLoss: true, engine: fieldbookEngine() });
  const back = rows(file, 'SELECT id, code FROM samples ORDER BY id');
  assert.deepEqual(back.map((r) => hexOf(r.code)), samples.map((s) => hexOf(s.code)));
});
