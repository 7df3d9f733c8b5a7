/**
 * Values that start with a dash: every option that takes a value reads a negative number or a
 * relative target as its value (`--opt -5` and `--opt=-5` alike), positionals too (`stamp FILE
 * -1`), and the command's own validation decides — never util.parseArgs's "ambiguous".
 */
import assert from 'node:assert/strict';
import fs = require('node:fs');
import path = require('node:path');
import { test } from 'node:test';
import { classifyDocument } from '@fieldbook/engine';
import { documentAt, runCli, tempDir, type CliResult } from './helpers/fixtures';
import { richHeadDocument } from './helpers/rich-document';
import { fieldbookEngine } from '../main/fieldbook/fieldbook-engine';

/** Both spellings of an option with a value: `--name value` and `--name=value`. */
function bothForms(name: string, value: string): string[][] {
  return [[`--${name}`, value], [`--${name}=${value}`]];
}

function assertNotParserError(run: CliResult, what: string): void {
  assert.doesNotMatch(run.stderr, /ambiguous|Unknown option|argument missing/i, `${what}: ${run.stderr}`);
}

function assertFails(run: CliResult, code: string, exit: number, message: RegExp, what: string, parserError = false): void {
  if (!parserError) assertNotParserError(run, what);
  assert.equal(run.status, exit, `${what}: ${run.stderr}${run.stdout}`);
  assert.match(run.stderr, new RegExp(`^error: ${code}: [^\\n]+\\n$`), what);
  assert.match(run.stderr, message, what);
}

test('downgrade --to -N and upgrade --to +N count from the document; upgrade --to -1 is refused as a target behind it', () => {
  for (const form of bothForms('to', '-2')) {
    const file = documentAt(6);
    const run = runCli(['downgrade', file, ...form, '--no-backup', '--json']);
    assertNotParserError(run, form.join(' '));
    assert.equal(run.status, 0, run.stderr);
    assert.deepEqual([(run.json as { from: number }).from, (run.json as { to: number }).to], [6, 4]);
  }
  for (const form of bothForms('to', '-1')) {
    assertFails(runCli(['upgrade', documentAt(4), ...form]), 'BAD_TARGET', 2, /use downgrade to go back to 3/, `upgrade ${form.join(' ')}`);
  }
  const up = runCli(['upgrade', documentAt(2), '--to', '+3', '--no-backup', '--json']);
  assert.equal((up.json as { to: number }).to, 5, up.stderr);
  assertFails(runCli(['downgrade', documentAt(2), '--to', '-3']), 'BAD_TARGET', 2, /versions go from 0/, 'below base');
});

test('export --as-version -N counts from the source (head for a current source, its own version for an outdated one)', () => {
  const dir = tempDir();
  const current = richHeadDocument(dir);
  const outdated = documentAt(4, dir);
  for (const [i, form] of [...bothForms('as-version', '-1'), ...bothForms('as-version', '-3')].entries()) {
    const run = runCli(['export', current, '--out', path.join(dir, `current-${i}.fieldbook`), ...form, '--json']);
    assertNotParserError(run, form.join(' '));
    assert.equal(run.status, 0, run.stderr);
    const expected = form.join('=').endsWith('-1') ? 5 : 3;
    assert.equal((run.json as { version: number }).version, expected, form.join(' '));
    assert.equal(classifyDocument(path.join(dir, `current-${i}.fieldbook`), { engine: fieldbookEngine() }).version, expected);
  }
  const older = runCli(['export', outdated, '--out', path.join(dir, 'older.fieldbook'), '--as-version', '-1', '--json']);
  assert.equal(older.status, 0, older.stderr);
  assert.equal((older.json as { version: number }).version, 3);
  assertFails(runCli(['export', current, '--out', path.join(dir, 'x.fieldbook'), '--as-version', '-7']), 'BAD_TARGET', 2, /versions go from 0/, 'below base');
  const foreign = path.join(dir, 'not-a-document.fieldbook');
  fs.writeFileSync(foreign, 'text');
  assertFails(
    runCli(['export', foreign, '--out', path.join(dir, 'y.fieldbook'), '--as-version=-1']),
    'NOT_SQLITE',
    3,
    /not an SQLite database/,
    'a relative target reports the source problem first',
  );
  assert.equal(fs.existsSync(path.join(dir, 'x.fieldbook')) || fs.existsSync(path.join(dir, 'y.fieldbook')), false);
});

test('stamp takes a relative target as its positional; new, show, sql --from and history -r say a relative target needs a document', () => {
  const file = documentAt(5);
  const stamp = runCli(['stamp', file, '-2', '--json']);
  assertNotParserError(stamp, 'stamp FILE -2');
  assert.equal(stamp.status, 0, stamp.stderr);
  assert.equal((stamp.json as { to: number }).to, 3);
  const forced = runCli(['stamp', '--force', file, '+1']);
  assert.equal(forced.status, 0, forced.stderr);
  const dir = tempDir();
  for (const args of [
    ['new', path.join(dir, 'n.fieldbook'), '--at', '-1'],
    ['new', path.join(dir, 'n.fieldbook'), '--at=-1'],
    ['show', '-1'],
    ['sql', '--from', '-1'],
    ['sql', '--from=-2', '--to', 'head'],
    ['history', '-r', '-2:head'],
    ['history', '--range', '-1:'],
  ]) {
    assertFails(runCli(args), 'BAD_TARGET', 2, /relative target counts from a document's version.*head-\d/, args.join(' '));
  }
  assert.equal(fs.existsSync(path.join(dir, 'n.fieldbook')), false);
  const sql = runCli(['sql', '--from', '6', '--to', '-2']);
  assert.equal(sql.status, 0, sql.stderr);
  assert.match(sql.stdout, /version 6 → 4/);
});

test('subset --sample/--site read negative and zero ids as values and refuse them as ids; dates starting with a dash are read too', () => {
  const dir = tempDir();
  const source = richHeadDocument(dir);
  for (const [name, value] of [
    ['sample', '-5'],
    ['site', '-1'],
    ['sample', '0'],
    ['site', '-0'],
  ]) {
    for (const form of bothForms(name!, value!)) {
      const run = runCli(['subset', source, '--out', path.join(dir, 'out.fieldbook'), ...form]);
      assertFails(run, 'BAD_SELECTION', 2, new RegExp(`${name} ids are positive integers`), form.join(' '));
      const json = runCli(['subset', source, '--out', path.join(dir, 'out.fieldbook'), ...form, '--json']);
      assert.equal((json.json as { error: { code: string } }).error.code, 'BAD_SELECTION');
    }
  }
  const mixed = runCli(['subset', source, '--out', path.join(dir, 'out.fieldbook'), '--sample', '10', '--sample', '-11']);
  assertFails(mixed, 'BAD_SELECTION', 2, /not -11/, 'one bad id among good ones');
  for (const form of [...bothForms('from', '-2023-01-01'), ...bothForms('to', '-5')]) {
    assertFails(runCli(['subset', source, '--out', path.join(dir, 'out.fieldbook'), ...form]), 'BAD_SELECTION', 2, /date/, form.join(' '));
  }
  assert.equal(fs.existsSync(path.join(dir, 'out.fieldbook')), false);
  const good = runCli(['subset', source, '--out', path.join(dir, 'ok.fieldbook'), '--sample=+10', '--json']);
  assert.equal(good.status, 0, good.stderr);
  assert.equal((good.json as { counts: Record<string, number> }).counts.samples, 1);
});

test('other value options read dash-digit values as values: --number, --backup-dir; real options and -- still behave', () => {
  for (const form of bothForms('number', '-5')) {
    assertFails(runCli(['revision', '-m', 'x', ...form]), 'USAGE', 2, /--number takes a migration number, not -5/, form.join(' '));
  }
  const cwd = tempDir();
  const file = documentAt(3);
  const up = runCli(['upgrade', file, '--backup-dir', '-5', '--json'], { cwd });
  assert.equal(up.status, 0, up.stderr);
  assert.ok(path.resolve(cwd, (up.json as { backup: string }).backup).startsWith(path.join(cwd, '-5') + path.sep));
  assert.ok(fs.readdirSync(path.join(cwd, '-5')).length > 0, 'the backup folder is named -5');
  assertFails(runCli(['upgrade', file, '-x']), 'USAGE', 2, /unknown option '-x'/, 'an unknown short option', true);
  assertFails(runCli(['upgrade', file, '--to']), 'USAGE', 2, /argument missing/, 'a value option at the end', true);
  const afterDashes = runCli(['stamp', file, '--', '-1']);
  assert.equal(afterDashes.status, 0, afterDashes.stderr);
  assert.equal(classifyDocument(file, { engine: fieldbookEngine() }).version, 5);
});

test('a value that starts with a dash but is no number is a USAGE error that says how to pass it; written with = it is taken', () => {
  const dir = tempDir();
  const source = richHeadDocument(dir, 'notes.fieldbook');
  for (const value of ['-x.fieldbook', '--', '--overwrite']) {
    const run = runCli(['subset', source, '--out', value], { cwd: dir });
    assert.equal(run.status, 2, `--out ${value}: ${run.stderr}`);
    assert.match(run.stderr, /^error: USAGE: [^\n]*\n$/, `--out ${value}: one line: ${run.stderr}`);
  }
  assert.match(runCli(['subset', source, '--out', '-x.fieldbook'], { cwd: dir }).stderr, /--out=-XYZ/, 'the hint to write --out=-x.fieldbook');
  const taken = runCli(['subset', source, '--out=-x.fieldbook', '--sample', '10'], { cwd: dir });
  assert.equal(taken.status, 0, taken.stderr);
  assert.ok(fs.existsSync(path.join(dir, '-x.fieldbook')));
  assert.equal(classifyDocument(path.join(dir, '-x.fieldbook'), { engine: fieldbookEngine() }).status, 'current');
});
