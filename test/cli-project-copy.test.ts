/**
 * Issue 11, item 7, in a runnable copy of the built project (test/helpers/project-copy.ts):
 * `revision --autogenerate` and `check` read the model sources as they are now, not the compiled
 * models of the last build; a better-sqlite3 that cannot be loaded (package or binary missing,
 * a binary that is no library) is one line with the fix and exit 5, not a stack trace.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs = require('node:fs');
import path = require('node:path');
import { test } from 'node:test';
import { nativeModuleFailure } from '../main/cli/native-module';
import { documentAt, tempDir } from './helpers/fixtures';
import { projectCopy, type ProjectCopyOptions } from './helpers/project-copy';

function runCopy(root: string, args: string[]) {
  const run = spawnSync(process.execPath, [path.join(root, 'bin', 'fieldbook.js'), ...args], {
    cwd: tempDir('fieldbook-cwd-'),
    encoding: 'utf8',
    env: { ...process.env, FIELDBOOK_DATA_DIR: tempDir('fieldbook-data-') },
  });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

test('revision --autogenerate and check see a model edited since the last build (no build in between)', () => {
  const root = projectCopy();
  assert.match(runCopy(root, ['revision', '-m', 'nothing yet', '--autogenerate']).stdout, /^no changes: the models match the migrations/);
  const site = path.join(root, 'main', 'models', 'site.ts');
  const source = fs.readFileSync(site, 'utf8');
  const edited = source.replace('lon: { type: DataTypes.REAL },', 'lon: { type: DataTypes.REAL },\n    elevation: { type: DataTypes.REAL },');
  assert.notEqual(edited, source, 'the edit applies');
  fs.writeFileSync(site, edited);
  const compiled = fs.readFileSync(path.join(root, 'dist', 'main', 'models', 'site.js'), 'utf8');
  assert.doesNotMatch(compiled, /elevation/, 'the compiled models are stale');
  const check = runCopy(root, ['check', '--json']);
  assert.equal(check.status, 1, check.stdout + check.stderr);
  assert.match(check.stdout, /elevation/);
  const run = runCopy(root, ['revision', '-m', 'site elevation', '--autogenerate', '--json']);
  assert.equal(run.status, 0, run.stderr);
  const written = JSON.parse(run.stdout) as { path: string; changes: { description: string }[] };
  assert.equal(written.path, path.join(root, 'migrations', '0007-site-elevation.ts'));
  assert.ok(
    written.changes.some((c) => /sites\.elevation/.test(c.description)),
    JSON.stringify(written.changes),
  );
  assert.match(fs.readFileSync(written.path, 'utf8'), /elevation REAL/);
});

test('a better-sqlite3 that cannot be loaded is one line naming the fix, exit 5, also with --json', () => {
  const file = documentAt(6);
  const cases: [ProjectCopyOptions['betterSqlite3'], RegExp, string][] = [
    ['no-binary', /its native binary \(better_sqlite3\.node\) is missing/, 'npm rebuild better-sqlite3'],
    ['not-a-library', /its native binary cannot be loaded \(/, 'npm rebuild better-sqlite3'],
    ['absent', /the package is not installed/, 'npm ci'],
  ];
  for (const [mode, why, fix] of cases) {
    const root = projectCopy({ betterSqlite3: mode });
    for (const args of [
      ['info', file],
      ['upgrade', file, '--no-backup'],
      ['new', path.join(tempDir(), 'n.fieldbook')],
    ]) {
      const run = runCopy(root, args);
      const what = `${mode}: ${args[0]}`;
      assert.equal(run.status, 5, `${what}: ${run.stderr}`);
      assert.match(run.stderr, /^error: NATIVE_MODULE: better-sqlite3 cannot be loaded: [^\n]+\n$/, `${what}: one line, no stack`);
      assert.match(run.stderr, why, what);
      assert.ok(run.stderr.includes(`fix: ${fix} (in the Fieldbook folder)`), `${what}: ${run.stderr}`);
    }
    const json = runCopy(root, ['info', file, '--json']);
    assert.equal(json.status, 5);
    assert.equal((JSON.parse(json.stdout) as { error: { code: string } }).error.code, 'NATIVE_MODULE');
  }
  assert.equal(runCopy(projectCopy(), ['info', file]).status, 0, 'the same copy with the real package works');
});

test('a binary built for another runtime is recognised from the message Node gives (cannot be built here: no Electron headers)', () => {
  // The text Node 20 throws for a module of another ABI (here, better-sqlite3 after `npm start` built it for Electron 40).
  const error = Object.assign(
    new Error(
      "The module '/app/node_modules/better-sqlite3/build/Release/better_sqlite3.node'\n" +
        'was compiled against a different Node.js version using\nNODE_MODULE_VERSION 143. This version of Node.js requires\n' +
        'NODE_MODULE_VERSION 115. Please try re-compiling or re-installing\nthe module (for instance, using `npm rebuild` or `npm install`).',
    ),
    { code: 'ERR_DLOPEN_FAILED' },
  );
  assert.match(nativeModuleFailure(error) ?? '', /built for another runtime \(NODE_MODULE_VERSION 143; this Node\.js v\d+\.\d+\.\d+ needs 115.*fix: npm rebuild better-sqlite3/);
  assert.ok(nativeModuleFailure(new Error('wrapped', { cause: error })), 'also as a cause');
  assert.equal(nativeModuleFailure(Object.assign(new Error("Cannot find module 'sequelize'"), { code: 'MODULE_NOT_FOUND' })), null, 'other modules are other errors');
});
