/**
 * Issue 11, item 7: the command line as people already use Alembic. `upgrade FILE head` and
 * `downgrade FILE -1` take the target positionally where that is unambiguous and refuse with the
 * spelling that works where it is not; `heads`; `history -r` refuses a range that runs
 * backwards, as Alembic does; an upgrade says how many values it kept as data issues.
 * Real documents, the real CLI in a child process.
 */
import assert from 'node:assert/strict';
import fs = require('node:fs');
import path = require('node:path');
import { test } from 'node:test';
import { classifyDocument } from '@fieldbook/engine';
import { fieldbookEngine } from '../main/fieldbook/fieldbook-engine';
import { beta09Document, documentAt, rows, runCli, sha256File, tempDir, withDb, type CliResult } from './helpers/fixtures';

const version = (file: string) => classifyDocument(file, { engine: fieldbookEngine() }).version;

function assertUsage(run: CliResult, message: RegExp, what: string): void {
  assert.equal(run.status, 2, `${what}: ${run.stderr}`);
  assert.match(run.stderr, /^error: USAGE: [^\n]+\n$/, what);
  assert.match(run.stderr, message, what);
}

test("upgrade FILE TARGET and downgrade FILE TARGET take the target positionally, as Alembic's upgrade head / downgrade -1", () => {
  const file = documentAt(2);
  const up = runCli(['upgrade', file, '4', '--no-backup', '--json']);
  assert.equal(up.status, 0, up.stderr);
  assert.deepEqual([(up.json as { from: number }).from, (up.json as { to: number }).to, version(file)], [2, 4, 4]);
  assert.equal(runCli(['upgrade', file, 'head', '--no-backup']).status, 0);
  assert.equal(version(file), 6);
  const down = runCli(['downgrade', file, '-1', '--no-backup', '--json']);
  assert.equal(down.status, 0, down.stderr);
  assert.equal(version(file), 5);
  for (const form of [['--to', '-1'], ['--to=-1']]) {
    const run = runCli(['downgrade', file, ...form, '--no-backup', '--json']);
    assert.equal(run.status, 0, `${form.join(' ')}: ${run.stderr}`);
  }
  assert.equal(version(file), 3);
  assert.equal(runCli(['upgrade', file, '0005-attach', '--no-backup']).status, 0, 'a migration name prefix');
  assert.equal(version(file), 5);
  // Several documents and a target: the batch goes to the target.
  const dir = tempDir();
  const [a, b] = [documentAt(1, dir, 'a.fieldbook'), documentAt(2, dir, 'b.fieldbook')];
  const batch = runCli(['upgrade', a, b, '3', '--no-backup', '--json']);
  assert.equal(batch.status, 0, batch.stderr);
  assert.deepEqual([version(a), version(b)], [3, 3]);
});

test('a positional target is refused with the spelling that works where it is ambiguous, misplaced or given twice', () => {
  const cwd = tempDir();
  const file = documentAt(2, cwd, 'notes.fieldbook');
  fs.mkdirSync(path.join(cwd, '3'));
  const before = sha256File(file);
  const cases: [string[], RegExp][] = [
    [['upgrade', file, '3'], /"3" is both a file or folder here and a target: write --to 3 for the target, or \.\/3 for the file/],
    [['upgrade', 'head'], /"head" is a target, not a document: upgrade needs the document first \(fieldbook upgrade FILE head\)/],
    [['downgrade', '-1'], /downgrade needs the document first \(fieldbook downgrade FILE -1\)/],
    [['upgrade', 'head', file], /"head" is no file or folder here; a target goes last/],
    [['upgrade', file, 'head', '--to', '4'], /the target is given twice \(--to 4 and head\)/],
    [['downgrade', file, '1', '--to', '1'], /the target is given twice/],
    [['downgrade', file], /downgrade needs a target: fieldbook downgrade FILE TARGET, or --to TARGET/],
    [['downgrade', file, '1', '0'], /too many arguments/],
  ];
  for (const [args, message] of cases) assertUsage(runCli(args, { cwd }), message, args.join(' '));
  assert.equal(sha256File(file), before, 'nothing was upgraded');
  // ./3 is the folder: an upgrade of two paths (the folder holds no documents).
  const both = runCli(['upgrade', file, './3', '--no-backup', '--json'], { cwd });
  assert.equal(both.status, 0, both.stderr);
  assert.equal(version(file), 6);
  // A name that neither exists nor reads as a target stays a path: the batch reports it missing.
  const missing = runCli(['upgrade', documentAt(5), path.join(cwd, 'gone.fieldbook'), '--no-backup', '--json'], { cwd });
  assert.equal(missing.status, 3);
  assert.equal((missing.json as { totals: { failed: number } }).totals.failed, 1);
});

test("heads shows the one head, as Alembic's heads does for a history without branches", () => {
  const text = runCli(['heads']);
  assert.equal(text.status, 0, text.stderr);
  assert.match(text.stdout, /^ {3}6 {2}0006-search-checked-values \(head\) {2}\S/);
  assert.equal(text.stdout.trim().split('\n').length, 1);
  const json = runCli(['heads', '--verbose', '--json']).json as { heads: { version: number; name: string; path: string }[] };
  assert.deepEqual(
    json.heads.map((h) => [h.version, h.name]),
    [[6, '0006-search-checked-values']],
  );
  assert.ok(fs.existsSync(json.heads[0]!.path), 'verbose gives the file');
  assert.equal((runCli(['history', '--json']).json as { head: number }).head, json.heads[0]!.version);
});

test('history -r refuses a range that runs backwards, as Alembic does, and says how to write it; an empty range says so', () => {
  for (const range of ['4:2', '0004:2', 'head:base']) {
    const run = runCli(['history', '-r', range]);
    assert.equal(run.status, 2, `${range}: ${run.stderr}`);
    assert.match(run.stderr, /^error: BAD_TARGET: the range \S+ runs backwards: version \d comes after version \d \(ranges are written oldest first: \S+\)\n$/, range);
    assert.equal(run.stdout, '');
  }
  assert.match(runCli(['history', '-r', '4:2']).stderr, /oldest first: 2:4/);
  const forward = runCli(['history', '-r', '2:4', '--json']).json as { migrations: { version: number }[] };
  assert.deepEqual(
    forward.migrations.map((m) => m.version),
    [3, 4],
    'after 2 up to 4: what upgrading a version-2 document to 4 runs',
  );
  const same = runCli(['history', '-r', '4:4']);
  assert.deepEqual([same.status, same.stdout], [0, 'no migrations in this range\n']);
});

test('upgrade says how many values it kept as data issues (0.9 and 1.0 notebooks, one step at a time, and a batch), in text and JSON', () => {
  const dir = tempDir();
  const beta = beta09Document(dir);
  withDb(beta, (db) => {
    db.exec("INSERT INTO sites (id, name, lat, lon) VALUES (1, 'Ridge', 146.45, 11.2)");
    db.exec("INSERT INTO samples (id, site_id, code, collected) VALUES (1, 1, 'A-1', 'spring'), (2, 1, 'A-1', '2019-06-01')");
    db.exec("INSERT INTO measurements (sample_id, kind, value, unit) VALUES (1, 'pH', 'trace', NULL), (1, 'Ca', '7,5', 'mg/l'), (2, 'pH', 'n/a', NULL)");
  });
  const run = runCli(['upgrade', beta, '--no-backup', '--json']);
  assert.equal(run.status, 0, run.stderr);
  const kept = rows(beta, 'SELECT count(*) AS n FROM data_issues')[0]!.n as number;
  assert.ok(kept >= 4, `the awkward values were kept as data issues (${kept})`);
  assert.equal((run.json as { dataIssues: number }).dataIssues, kept);

  const demo = path.join(dir, 'demo.fieldbook');
  assert.equal(runCli(['demo', demo]).status, 0);
  const first = runCli(['upgrade', demo, '3', '--no-backup']);
  assert.equal(first.status, 0, first.stderr);
  const atThree = rows(demo, 'SELECT count(*) AS n FROM data_issues')[0]!.n as number;
  assert.match(
    first.stdout,
    new RegExp(`^data issues: ${atThree} values could not be converted and were kept as they were \\(Data issues in the app, or: sqlite3 .*data_issues`, 'm'),
  );
  const second = runCli(['upgrade', demo, '--no-backup', '--json']);
  const total = rows(demo, 'SELECT count(*) AS n FROM data_issues')[0]!.n as number;
  assert.ok(total > atThree, 'the later migrations kept more');
  assert.equal((second.json as { dataIssues: number }).dataIssues, total - atThree, 'only what this upgrade added');
  assert.match(runCli(['upgrade', documentAt(5), '--no-backup']).stdout, /^data issues: none \(every value was carried over\)$/m);
  assert.doesNotMatch(runCli(['upgrade', demo, '--no-backup']).stdout, /data issues/, 'nothing to do, nothing to say');

  const folder = tempDir();
  assert.equal(runCli(['demo', path.join(folder, 'one.fieldbook')]).status, 0);
  documentAt(6, folder, 'current.fieldbook');
  const batch = runCli(['upgrade', folder, '--no-backup', '--json']);
  assert.equal(batch.status, 0, batch.stderr);
  const summary = batch.json as { totals: { dataIssues: number }; files: { path: string; dataIssues?: number }[] };
  const oneKept = rows(path.join(folder, 'one.fieldbook'), 'SELECT count(*) AS n FROM data_issues')[0]!.n as number;
  assert.equal(summary.totals.dataIssues, oneKept);
  assert.equal(summary.files.find((f) => f.path.endsWith('one.fieldbook'))!.dataIssues, oneKept);
  assert.equal(summary.files.find((f) => f.path.endsWith('current.fieldbook'))!.dataIssues, undefined);
});
