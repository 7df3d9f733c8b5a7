/**
 * Issue 11, item 7: per-command help comes from commander and describes every option with its
 * default; `info` starts without commander (a benchmark figure) and parses exactly as commander
 * would. The real CLI in child processes; the two parsers compared on the same specs.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs = require('node:fs');
import path = require('node:path');
import { test } from 'node:test';
import { info } from '../main/cli/commands/info';
import { parseWithCommander, quickParse } from '../main/cli/parse-args';
import { REPO_ROOT, documentAt, runCli, tempDir } from './helpers/fixtures';

/** The command names `fieldbook --help` lists. */
function commandNames(): string[] {
  const help = runCli(['--help']);
  assert.equal(help.status, 0);
  return [...help.stdout.matchAll(/^ {2}([a-z]+) {2,}\S/gm)].map((m) => m[1]!);
}

/** The option entries of a commander help text, each with its wrapped description joined. */
function optionEntries(help: string): string[] {
  const section = help.split(/^Options:$/m)[1]!.split(/^\S/m)[0]!;
  const entries: string[] = [];
  for (const line of section.split('\n')) {
    if (/^ {2}-/.test(line)) entries.push(line.trim());
    else if (/^ {4,}\S/.test(line) && entries.length) entries[entries.length - 1] += ` ${line.trim()}`;
  }
  return entries;
}

test("every command's --help lists each of its options with its default (or that it is required), from commander", () => {
  const names = commandNames();
  for (const name of ['info', 'upgrade', 'downgrade', 'stamp', 'heads', 'history', 'subset', 'export', 'sql', 'revision', 'check']) assert.ok(names.includes(name), name);
  for (const name of names) {
    const run = runCli([name, '--help']);
    assert.equal(run.status, 0, `${name}: ${run.stderr}`);
    assert.match(run.stdout, new RegExp(`^Usage: fieldbook ${name}`), name);
    const entries = optionEntries(run.stdout);
    assert.ok(
      entries.some((e) => e.startsWith('--json')),
      `${name} lists --json`,
    );
    for (const entry of entries) {
      if (entry.startsWith('-h, --help')) continue;
      assert.match(entry, /\((default: |required)/, `${name}: ${entry}`);
    }
    assert.equal(runCli(['help', name]).stdout, run.stdout, `fieldbook help ${name} is the same help`);
  }
  const upgrade = runCli(['upgrade', '--help']).stdout;
  assert.match(upgrade, /--to <TARGET> +the version to upgrade to[^(]*\([^)]*\) \(default:\s+head\)/);
  assert.match(upgrade, /--no-backup +make no backup \(default: a backup is made\)/);
  assert.match(upgrade, /\+N\/-N \(relative to the document's version; for export, the source's\)/, 'the TARGET grammar');
  assert.match(runCli(['subset', '--help']).stdout, /--all +every sample/);
  assert.match(runCli(['downgrade', '--help']).stdout, /--yes +accept losing/);
  assert.match(runCli(['stamp', '-h']).stdout, /--force/);
});

test('info parses without commander, and reads its arguments exactly as commander does', () => {
  const file = documentAt(6);
  for (const args of [[file], [file, '--json'], ['--json', file], [file, '--check', '--json'], ['--check', '--check', file], ['--', '-1.fieldbook']]) {
    const quick = quickParse(args, info);
    assert.ok(quick, `quick path for ${args.join(' ')}`);
    assert.deepEqual(quick, parseWithCommander('info', args, info), args.join(' '));
  }
  for (const args of [['--help'], [file, '-h'], [file, '-x'], [], [file, file], [file, '--json=yes']]) {
    assert.equal(quickParse(args, info), null, `commander reads ${args.join(' ')}`);
  }
  assert.equal(runCli(['info', file, file]).status, 2);
  assert.match(runCli(['info', file, '--bogus']).stderr, /^error: USAGE: unknown option '--bogus'/);
  assert.match(runCli(['sql', '-2:head']).stderr, /^error: USAGE: unknown option '-2:head'; a value that starts with a dash goes after -- \(fieldbook sql -- -2:head\)/);

  const loaded = (args: string[]) => {
    const script = path.join(tempDir(), 'modules.js');
    fs.writeFileSync(
      script,
      `require(${JSON.stringify(path.join(REPO_ROOT, 'dist', 'main', 'cli', 'main.js'))})
      .main(${JSON.stringify(args)}, { out() {}, err() {}, isTerminal: false })
      .then((code) => console.log(JSON.stringify({ code, commander: Object.keys(require.cache).some((m) => /node_modules[\\\\/]commander[\\\\/]/.test(m)) })));`,
    );
    return JSON.parse(spawnSync(process.execPath, [script], { encoding: 'utf8' }).stdout) as { code: number; commander: boolean };
  };
  assert.deepEqual(loaded(['info', file, '--json']), { code: 0, commander: false });
  assert.deepEqual(loaded(['info', '--help']), { code: 0, commander: true });
  assert.deepEqual(loaded(['current', file]), { code: 0, commander: true }, 'other commands parse with commander');
});
