/**
 * Issue 11, item 7: `subset` exports everything only when asked (`--all`) and reports a selection
 * that matches nothing as an error, writing nothing; the CLI's messages name its flags, never
 * the API's fields (`collectedFrom`, `overwrite`, `acceptLoss`, `force: true`, `backup: false`).
 * Real documents, the real CLI.
 */
import assert from 'node:assert/strict';
import fs = require('node:fs');
import path = require('node:path');
import { test } from 'node:test';
import { main } from '../main/cli/main';
import { documentAt, runCli, sha256File, tempDir, withDb, type CliResult } from './helpers/fixtures';
import { richHeadDocument } from './helpers/rich-document';

/** API names that must not reach a person at the command line (`overwrite` only as the flag `--overwrite`). */
const API_NAMES = /collectedFrom|collectedTo|sampleIds|siteIds|acceptLoss|force: true|backup: false|(?<!--)\boverwrite\b/;

function assertError(run: CliResult, code: string, exit: number, message: RegExp, what: string): void {
  assert.equal(run.status, exit, `${what}: ${run.stderr}`);
  assert.match(run.stderr, new RegExp(`^error: ${code}: [^\\n]+\\n$`), what);
  assert.match(run.stderr, message, what);
  assert.doesNotMatch(run.stderr, API_NAMES, `${what} names the CLI's flags`);
}

test('subset needs a selection or --all; --all exports every sample; a selection that matches nothing is EMPTY_SELECTION and writes nothing', () => {
  const dir = tempDir();
  const source = richHeadDocument(dir);
  const out = path.join(dir, 'out.fieldbook');
  assertError(
    runCli(['subset', source, '--out', out]),
    'USAGE',
    2,
    /subset needs a selection \(--sample, --site, --tag, --from, --to\), or --all to export every sample/,
    'no selection',
  );
  assertError(
    runCli(['subset', source, '--out', out, '--all', '--site', '1']),
    'USAGE',
    2,
    /--all exports every sample; leave it out to export only --site 1/,
    '--all and a selection',
  );
  for (const selection of [
    ['--site', '999'],
    ['--sample', '12345', '--sample', '12346'],
    ['--tag', 'no-such-tag'],
    ['--from', '2100-01-01'],
  ]) {
    const run = runCli(['subset', source, '--out', out, ...selection]);
    assertError(run, 'EMPTY_SELECTION', 2, new RegExp(`${selection.join(' ')} matched no sample in .*; nothing was written`), selection.join(' '));
    const json = runCli(['subset', source, '--out', out, ...selection, '--json']);
    assert.deepEqual([json.status, (json.json as { error: { code: string } }).error.code], [2, 'EMPTY_SELECTION']);
  }
  assert.deepEqual(
    fs.readdirSync(dir).filter((f) => f.startsWith('out')),
    [],
    'nothing written, no temporary file left',
  );
  const all = runCli(['subset', source, '--out', out, '--all', '--json']);
  assert.equal(all.status, 0, all.stderr);
  const samples = withDb(source, (db) => db.prepare('SELECT count(*) FROM samples').pluck().get() as number);
  assert.equal((all.json as { counts: Record<string, number> }).counts.samples, samples);
  // An empty document is still what --all of a notebook without samples gives.
  const empty = runCli(['subset', documentAt(6, dir, 'empty.fieldbook'), '--out', path.join(dir, 'e.fieldbook'), '--all', '--json']);
  assert.deepEqual([empty.status, (empty.json as { empty: boolean }).empty], [0, true]);
});

test("error messages name the CLI's flags: --overwrite, --from/--to, --force, --yes, --no-backup", () => {
  const dir = tempDir();
  const source = richHeadDocument(dir);
  const taken = documentAt(6, dir, 'taken.fieldbook');
  const before = sha256File(taken);
  assertError(runCli(['subset', source, '--out', taken, '--site', '1']), 'EXISTS', 3, /already exists \(--overwrite replaces it\)/, 'subset onto a file');
  assertError(runCli(['export', source, '--out', taken, '--as-version', '3']), 'EXISTS', 3, /--overwrite replaces it/, 'export onto a file');
  assertError(runCli(['salvage', source, '--out', taken]), 'EXISTS', 3, /--overwrite replaces it/, 'salvage onto a file');
  assert.equal(sha256File(taken), before);
  const out = path.join(dir, 'x.fieldbook');
  assertError(
    runCli(['subset', source, '--out', out, '--from', '2020-05-01', '--to', '2020-01-01']),
    'BAD_SELECTION',
    2,
    /--from 2020-05-01 is after --to 2020-01-01/,
    'a reversed date range',
  );
  assertError(runCli(['subset', source, '--out', out, '--from', '2020-13-01']), 'BAD_SELECTION', 2, /--from must be a date written YYYY-MM-DD/, 'an impossible date');
  assertError(runCli(['subset', source, '--out', out, '--to', 'May']), 'BAD_SELECTION', 2, /--to must be a date/, 'a word for a date');

  const foreign = path.join(dir, 'other.db');
  withDb(foreign, (db) => db.exec('CREATE TABLE things (id INTEGER PRIMARY KEY)'));
  assertError(runCli(['stamp', foreign, 'head']), 'UNKNOWN_SCHEMA', 3, /\(--force stamps it anyway\)/, 'stamping a foreign file');

  const tagged = documentAt(6, dir, 'tagged.fieldbook');
  withDb(tagged, (db) => db.exec("INSERT INTO tags (id, name) VALUES (1, 'ice')"));
  assertError(runCli(['downgrade', tagged, '1', '--no-backup']), 'DATA_LOSS', 3, /nothing was changed \(--yes accepts the loss\)/, 'a lossy downgrade');
  assertError(runCli(['upgrade', documentAt(3, dir), '--backup-dir', '']), 'BACKUP_FAILED', 3, /turn backups off explicitly \(--no-backup\)/, 'an empty backup folder');
});

test("subset's progress is a status line the terminal's Io shows and clears at the end, none with --json or off a terminal", async () => {
  const dir = tempDir();
  const source = richHeadDocument(dir);
  const run = async (args: string[], terminal: boolean) => {
    const statuses: string[] = [];
    const err: string[] = [];
    const io = { out: () => {}, err: (t: string) => err.push(t), isTerminal: terminal, ...(terminal ? { status: (t: string) => statuses.push(t) } : {}) };
    const code = await main(['subset', source, '--all', '--out', path.join(dir, `out-${args.length}-${terminal}.fieldbook`), ...args], io);
    assert.equal(code, 0, err.join('\n'));
    return statuses;
  };
  const shown = await run([], true);
  assert.ok(
    shown.some((s) => /^copying samples: \d+\/\d+ rows$/.test(s)),
    JSON.stringify(shown),
  );
  assert.equal(shown.at(-1), '', 'the last status clears the line');
  assert.deepEqual(await run(['--json'], true), []);
  assert.deepEqual(await run([], false), []);
});
