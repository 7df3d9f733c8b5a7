/**
 * Issue 11, item 1 (part): `fieldbook demo FILE` writes a realistic old notebook, so the README's
 * main-job line works with nothing of the user's own: upgrading it backs it up, converts what it
 * can and keeps the rest as data issues.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs = require('node:fs');
import path = require('node:path');
import { rows, runCli, sha256File, tempDir } from './helpers/fixtures';

test('fieldbook demo writes a 1.0 notebook whose upgrade keeps every awkward value as a data issue', () => {
  const dir = tempDir();
  const file = path.join(dir, 'glacier survey.fieldbook');
  const made = runCli(['demo', file]);
  assert.equal(made.status, 0, made.stderr);
  assert.match(made.stdout, /next: fieldbook upgrade "/);
  const info = runCli(['info', file, '--check', '--json']);
  assert.deepEqual([(info.json as { status: string }).status, (info.json as { version: number }).version], ['outdated', 1]);
  const backups = path.join(dir, 'backups');
  const upgraded = runCli(['upgrade', file, '--backup-dir', backups, '--json']);
  assert.equal(upgraded.status, 0, upgraded.stderr);
  const result = upgraded.json as { from: number; to: number; backup: string };
  assert.deepEqual([result.from, result.to], [1, 6]);
  assert.ok(fs.existsSync(result.backup), 'the backup comes first');
  const issues = rows(file, 'SELECT table_name AS t, column_name AS c, original_value AS v FROM data_issues ORDER BY id').map(
    (r) => `${String(r.t)}.${String(r.c)}=${String(r.v)}`,
  );
  for (const expected of ['measurements.value=trace', 'measurements.value=n/a', 'samples.collected=spring', 'samples.code=MC-02', 'sites.lat=146.45', 'samples.code=']) {
    assert.ok(issues.includes(expected), `${expected} is kept as a data issue: ${issues.join(', ')}`);
  }
  assert.deepEqual(
    rows(file, "SELECT value FROM measurements WHERE sample_id = 1 AND kind = 'pH'").map((r) => r.value),
    [7.4],
    'a decimal comma is converted',
  );
  assert.equal(rows(file, 'SELECT count(*) AS n FROM samples')[0]!.n, 9);
});

test('fieldbook demo never replaces a file', () => {
  const dir = tempDir();
  const file = path.join(dir, 'mine.fieldbook');
  fs.writeFileSync(file, 'my own notes');
  const before = sha256File(file);
  const run = runCli(['demo', file]);
  assert.equal(run.status, 3);
  assert.match(run.stderr, /^error: EXISTS: /);
  assert.equal(sha256File(file), before);
});
