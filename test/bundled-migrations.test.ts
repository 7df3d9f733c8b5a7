import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs = require('node:fs');
import path = require('node:path');
import { test } from 'node:test';
import { loadBundledMigrations, isFieldbookError } from '@fieldbook/engine';
import { locateMigrationsDir } from '@fieldbook/engine/tooling';
import { REPO_ROOT, documentAt, runCli, tempDir } from './helpers/fixtures';
import { fieldbookMigrationsDir } from '../main/fieldbook/fieldbook-engine';

/** A copy of the compiled migrations folder to break in various ways. */
function copyOfBuiltMigrations(): string {
  const dir = path.join(tempDir(), 'migrations');
  fs.cpSync(path.join(REPO_ROOT, 'dist', 'migrations'), dir, { recursive: true });
  return dir;
}

function expectBroken(dir: string, pattern: RegExp): void {
  assert.throws(
    () => loadBundledMigrations({ dir }),
    (e: unknown) => isFieldbookError(e, 'BAD_MIGRATIONS') && pattern.test((e as Error).message),
  );
}

test('the engine finds its migrations from its own location, not the working directory', () => {
  assert.equal(fieldbookMigrationsDir(), path.join(REPO_ROOT, 'dist', 'migrations'));
  const set = loadBundledMigrations({ dir: fieldbookMigrationsDir() });
  assert.equal(set.head, 6);
  assert.deepEqual(
    set.migrations.map((m) => m.file),
    ['0001-initial.js', '0002-tags.js', '0003-numeric-values.js', '0004-instruments-dates.js', '0005-attachments-unique-codes.js', '0006-search-checked-values.js'],
  );
});

test('a verified copy loads; missing, extra, altered and reordered migrations are refused by name', () => {
  assert.equal(loadBundledMigrations({ dir: copyOfBuiltMigrations() }).head, 6);
  const missing = copyOfBuiltMigrations();
  fs.rmSync(path.join(missing, '0004-instruments-dates.js'));
  expectBroken(missing, /0004-instruments-dates\.js is missing/);
  const extra = copyOfBuiltMigrations();
  fs.writeFileSync(path.join(extra, '0007-later.js'), 'exports.up = () => {};');
  expectBroken(extra, /0007-later\.js is not in the manifest/);
  const altered = copyOfBuiltMigrations();
  fs.appendFileSync(path.join(altered, '0003-numeric-values.js'), '\n// tampered\n');
  expectBroken(altered, /0003-numeric-values\.js was changed/);
  const reordered = copyOfBuiltMigrations();
  const manifestFile = path.join(reordered, 'manifest.json');
  const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8')) as { migrations: unknown[] };
  [manifest.migrations[1], manifest.migrations[2]] = [manifest.migrations[2], manifest.migrations[1]];
  fs.writeFileSync(manifestFile, JSON.stringify(manifest));
  expectBroken(reordered, /0003-numeric-values\.js is out of order/);
  const noManifest = copyOfBuiltMigrations();
  fs.rmSync(path.join(noManifest, 'manifest.json'));
  expectBroken(noManifest, /missing migrations manifest/);
});

test('a migration runs as it was verified: a file changed between the check and its step does not run', () => {
  const dir = copyOfBuiltMigrations();
  const set = loadBundledMigrations({ dir, verify: 'before-running' });
  set.verify();
  const migration = set.byName.get('0003-numeric-values')!;
  fs.writeFileSync(migration.path, "exports.up = () => { throw new Error('tampered'); };\n");
  const mod = set.load(migration);
  assert.doesNotMatch(String(mod.up), /tampered/);
  assert.match(String(mod.up), /data_issues/);
  assert.equal((require(migration.path) as { up: unknown }).up, mod.up, 'a later require gets the module that ran');
  // A fresh set verifies the changed file, and refuses it.
  expectBroken(dir, /0003-numeric-values\.js was changed/);
});

test('app roots (as an Electron shell passes them) are searched in order', () => {
  const packagedResources = tempDir();
  fs.cpSync(path.join(REPO_ROOT, 'dist', 'migrations'), path.join(packagedResources, 'migrations'), { recursive: true });
  const emptyRoot = tempDir();
  assert.equal(locateMigrationsDir({ roots: [emptyRoot, packagedResources] }), path.join(packagedResources, 'migrations'));
  assert.equal(locateMigrationsDir({ roots: [REPO_ROOT] }), path.join(REPO_ROOT, 'dist', 'migrations'), 'a development app root finds the built migrations');
  assert.throws(
    () => locateMigrationsDir({ roots: [emptyRoot] }),
    (e: unknown) => isFieldbookError(e, 'BAD_MIGRATIONS'),
  );
});

test('the CLI works from an unrelated working directory', () => {
  const file = documentAt(2);
  for (const cwd of ['/', tempDir()]) {
    const history = runCli(['history', '--json'], { cwd });
    assert.equal(history.status, 0, history.stderr);
    assert.equal((history.json as { migrations: unknown[] }).migrations.length, 6);
    const upgrade = runCli(['upgrade', file, '--no-backup', '--json'], { cwd });
    assert.equal(upgrade.status, 0, upgrade.stderr);
  }
});

test('from the source tree (TypeScript loader) the engine uses migrations/*.ts and their manifest', () => {
  const tsx = path.join(REPO_ROOT, 'node_modules', 'tsx', 'dist', 'cjs', 'index.cjs');
  const script = `require(${JSON.stringify(path.join(REPO_ROOT, 'main', 'cli', 'main.ts'))}).main(['history', '--json']).then((c) => { process.exitCode = c; })`;
  const run = spawnSync(process.execPath, ['--require', tsx, '-e', script], { cwd: '/', encoding: 'utf8' });
  assert.equal(run.status, 0, run.stderr);
  const out = JSON.parse(run.stdout) as { migrations: { path: string }[] };
  assert.equal(out.migrations.length, 6);
  const listing = spawnSync(
    process.execPath,
    [
      '--require',
      tsx,
      '-e',
      `const { fieldbookEngine } = require(${JSON.stringify(path.join(REPO_ROOT, 'main', 'fieldbook', 'fieldbook-engine.ts'))});
    console.log(require(${JSON.stringify(require.resolve('@fieldbook/engine'))}).listMigrations({ engine: fieldbookEngine() })[0].path)`,
    ],
    { cwd: '/', encoding: 'utf8' },
  );
  assert.equal(listing.stdout.trim(), path.join(REPO_ROOT, 'migrations', '0001-initial.ts'), listing.stderr);
});

test('an engine reads only the manifest to identify documents and verifies the files before migrating', async () => {
  const { FIELDBOOK_APPLICATION_ID } = require('../main/fieldbook/fieldbook-engine') as typeof import('../main/fieldbook/fieldbook-engine');
  const { createEngine, classifyDocument, upgradeDocument } = require('@fieldbook/engine') as typeof import('@fieldbook/engine');
  const dir = copyOfBuiltMigrations();
  fs.appendFileSync(path.join(dir, '0005-attachments-unique-codes.js'), '\n// tampered\n');
  const engine = createEngine({ applicationId: FIELDBOOK_APPLICATION_ID, versionTable: 'fieldbook_migrations', appName: 'Fieldbook', appVersion: 'test', migrations: { dir } });
  const file = documentAt(4);
  assert.equal(classifyDocument(file, { engine }).status, 'outdated');
  await assert.rejects(
    upgradeDocument(file, { engine, backup: false }),
    (e: unknown) => isFieldbookError(e, 'BAD_MIGRATIONS') && /0005-attachments-unique-codes\.js was changed/.test((e as Error).message),
  );
  assert.equal(classifyDocument(file, { engine }).version, 4, 'nothing ran');
});
