import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import fs = require('node:fs');
import path = require('node:path');
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { CLI, REPO_ROOT, beta09Document, documentAt, runCli, tempDir } from './helpers/fixtures';

test('info --json reports path, status, version, head, application id and applied migrations', () => {
  const file = documentAt(6);
  const info = runCli(['info', file, '--json']);
  assert.equal(info.status, 0, info.stderr);
  const json = info.json as Record<string, unknown> & { applied: Record<string, unknown>[] };
  assert.deepEqual([json.path, json.status, json.version, json.head, json.applicationId], [file, 'current', 6, 6, 1178815281]);
  assert.equal(json.applied.length, 6);
  for (const key of ['name', 'checksum', 'appliedAt', 'appVersion']) assert.ok(key in json.applied[0]!, `applied entries have ${key}`);
});

test('info exits 0 for every classification it can make, including damaged files', () => {
  const dir = tempDir();
  const png = path.join(dir, 'picture.fieldbook');
  require('node:fs').writeFileSync(png, Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'));
  for (const [file, status] of [
    [documentAt(2, dir), 'outdated'],
    [beta09Document(dir), 'legacy'],
    [png, 'damaged'],
  ] as const) {
    const info = runCli(['info', file, '--json']);
    assert.equal(info.status, 0, info.stderr);
    assert.equal((info.json as { status: string }).status, status);
  }
});

test('upgrade, downgrade, stamp, new, current and history work end to end with --json', () => {
  const dir = tempDir();
  const file = path.join(dir, 'n.fieldbook');
  assert.equal(runCli(['new', file, '--at', '2', '--json']).status, 0);
  const backups = path.join(dir, 'backups');
  const up = runCli(['upgrade', file, '--to', '+2', '--backup-dir', backups, '--json']);
  assert.equal(up.status, 0, up.stderr);
  const upJson = up.json as { from: number; to: number; backup: string; applied: { name: string }[] };
  assert.deepEqual([upJson.from, upJson.to, upJson.applied.map((a) => a.name)], [2, 4, ['0003-numeric-values', '0004-instruments-dates']]);
  assert.ok(upJson.backup.startsWith(backups));
  assert.equal((runCli(['current', file, '--json']).json as { version: number }).version, 4);
  assert.equal(runCli(['upgrade', file, '--json', '--no-backup']).status, 0);
  const down = runCli(['downgrade', file, '--to', '0003', '--no-backup', '--json']);
  assert.equal(down.status, 0, down.stderr);
  assert.equal((down.json as { to: number }).to, 3);
  const stamp = runCli(['stamp', file, 'head', '--json']);
  assert.equal(stamp.status, 0);
  assert.equal((stamp.json as { schemaMatches: boolean }).schemaMatches, false);
  assert.equal(runCli(['stamp', file, '3']).status, 0);
  const history = runCli(['history', '--json']);
  assert.equal((history.json as { migrations: { name: string }[] }).migrations[5]!.name, '0006-search-checked-values');
  assert.match(runCli(['history']).stdout, /0003-numeric-values/);
});

test('errors: one line on stderr, JSON on stdout with --json, exit 2 for usage and 3 for documents', () => {
  const missing = path.join(tempDir(), 'nope.fieldbook');
  const plain = runCli(['upgrade', missing]);
  assert.equal(plain.status, 3);
  assert.match(plain.stderr, /^error: NOT_FOUND: .*nope\.fieldbook\n$/);
  const asJson = runCli(['upgrade', missing, '--json']);
  assert.equal(asJson.status, 3);
  assert.equal((asJson.json as { error: { code: string } }).error.code, 'NOT_FOUND');
  for (const args of [['frobnicate'], ['upgrade'], ['upgrade', documentAt(1), '--bogus'], ['upgrade', documentAt(1), '--to', 'nonsense'], ['downgrade', documentAt(3)], []]) {
    const run = runCli(args);
    assert.equal(run.status, 2, `${args.join(' ')}: ${run.stderr}`);
  }
  const exists = runCli(['new', documentAt(6), '--json']);
  assert.deepEqual([exists.status, (exists.json as { error: { code: string } }).error.code], [3, 'EXISTS']);
});

test('info on a current document loads only what classifying needs: no Sequelize, umzug, migration runner, subsets, batches, other commands or node:crypto', () => {
  const file = documentAt(6);
  const script = `
    const main = require(${JSON.stringify(path.join(REPO_ROOT, 'dist', 'main', 'cli', 'main.js'))});
    main.main(['info', ${JSON.stringify(file)}, '--json'], { out() {}, err: console.error, isTerminal: false }).then((code) => {
      const files = Object.keys(require.cache).map((m) => m.split(require('path').sep).join('/'));
      const packages = files.filter((m) => /node_modules\\/(sequelize|umzug)\\//.test(m));
      const engine = files.filter((m) => /engine\\/dist\\/(documents\\/(migrate|open|create|stamp)|subset|batch|sequelize|migrations\\/offline-sql|schema\\/schema-operations)/.test(m));
      const cli = files.filter((m) => /cli\\/commands\\/(?!info)/.test(m));
      console.log(JSON.stringify({ code, packages, engine, cli, readline: files.some((m) => m.endsWith('readline.js')), crypto: process.moduleLoadList.includes('NativeModule crypto') }));
    });`;
  // A script file, not `node -e`: -e loads node:crypto itself, for its globals.
  const scriptFile = path.join(tempDir(), 'info-modules.js');
  fs.writeFileSync(scriptFile, script);
  const run = spawnSync(process.execPath, [scriptFile], { encoding: 'utf8' });
  assert.deepEqual(JSON.parse(run.stdout), { code: 0, packages: [], engine: [], cli: [], readline: false, crypto: false }, run.stderr);
});

test("upgrade loads umzug's runner and nothing of umzug it does not run (its CLI, globbing, storages, rerun modes), and no node:crypto", () => {
  const file = path.join(tempDir(), 'v1.fieldbook');
  fs.copyFileSync(documentAt(1), file);
  // Every module compiled, as Node compiles it (a deferred module is a placeholder that never compiles).
  const script = `
    const Module = require('module');
    const compiled = [];
    const compile = Module.prototype._compile;
    Module.prototype._compile = function (content, filename) { compiled.push(filename.split(require('path').sep).join('/')); return compile.call(this, content, filename); };
    const main = require(${JSON.stringify(path.join(REPO_ROOT, 'dist', 'main', 'cli', 'main.js'))});
    main.main(['upgrade', ${JSON.stringify(file)}, '--no-backup', '--json'], { out() {}, err: console.error, isTerminal: false }).then((code) => {
      const umzug = compiled.filter((m) => /node_modules\\/(umzug|tinyglobby|fdir|picomatch|@rushstack)\\//.test(m)).map((m) => m.replace(/.*node_modules\\//, ''));
      console.log(JSON.stringify({ code, umzug, crypto: process.moduleLoadList.includes('NativeModule crypto') }));
    });`;
  const scriptFile = path.join(tempDir(), 'upgrade-modules.js');
  fs.writeFileSync(scriptFile, script);
  const run = spawnSync(process.execPath, [scriptFile], { encoding: 'utf8' });
  assert.deepEqual(JSON.parse(run.stdout), { code: 0, umzug: ['umzug/lib/umzug.js', 'umzug/lib/templates.js', 'umzug/lib/storage/contract.js'], crypto: false }, run.stderr);
});

test('standard output: a reader that stops early is not an error, and /dev/null or a file take the output as a pipe does', async () => {
  // The reader's end is closed before the command writes anything: its first write meets EPIPE.
  const child = spawn(process.execPath, [CLI, 'history', '--json'], { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.destroy();
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  assert.deepEqual({ code, stderr }, { code: 0, stderr: '' });
  const piped = runCli(['history', '--json']);
  const file = path.join(tempDir(), 'history.json');
  const toFile = spawnSync(process.execPath, [CLI, 'history', '--json'], { stdio: ['ignore', fs.openSync(file, 'w'), 'pipe'] });
  assert.equal(toFile.status, 0, String(toFile.stderr));
  assert.equal(fs.readFileSync(file, 'utf8'), piped.stdout);
  const toNull = spawnSync(process.execPath, [CLI, 'history', '--json'], { stdio: ['ignore', fs.openSync('/dev/null', 'w'), 'pipe'] });
  assert.deepEqual([toNull.status, String(toNull.stderr)], [0, '']);
});

test('a reader that stops early does not change the exit code: a batch upgrade with a failed file still says 3, and its work is done', async () => {
  const dir = tempDir();
  const old = documentAt(1, dir, 'old.fieldbook');
  const newer = documentAt(6, dir, 'newer.fieldbook');
  const db = new Database(newer);
  db.pragma('user_version = 99');
  db.close();
  const env = { ...process.env, FIELDBOOK_DATA_DIR: path.join(dir, 'data') };
  const child = spawn(process.execPath, [CLI, 'upgrade', old, newer, '--no-backup'], { stdio: ['ignore', 'pipe', 'pipe'], env });
  child.stdout.destroy();
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  assert.deepEqual({ code, stderr }, { code: 3, stderr: '' }, 'the code it has with its output read: one file failed');
  const upgraded = new Database(old, { readonly: true });
  assert.equal(upgraded.pragma('user_version', { simple: true }), 6, 'the outdated file was upgraded all the same');
  upgraded.close();
  // An error reported as JSON on standard output keeps its code too.
  const missing = spawn(process.execPath, [CLI, 'info', path.join(dir, 'missing.fieldbook'), '--json'], { stdio: ['ignore', 'pipe', 'ignore'], env });
  missing.stdout.destroy();
  const read = runCli(['info', path.join(dir, 'missing.fieldbook'), '--json']).status;
  assert.notEqual(read, 0);
  assert.equal(await new Promise<number | null>((resolve) => missing.on('close', resolve)), read);
});

test('help documents the TARGET grammar with dash values, downgrade --yes and stamp --force', () => {
  const help = runCli(['--help']);
  assert.match(help.stdout, /\+N\/-N \(relative to the document's version; for export, the source's\)/);
  assert.match(help.stdout, /--to -1, --as-version=-2/);
  assert.match(runCli(['downgrade', '--help']).stdout, /--yes/);
  assert.match(runCli(['stamp', '--help']).stdout, /--force/);
});
