/**
 * The engine is a package of its own (main/engine, `@fieldbook/engine`): it compiles alone, with
 * nothing of the app, and `npm pack` ships only its own files.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs = require('node:fs');
import path = require('node:path');
import { REPO_ROOT, tempDir } from './helpers/fixtures';

const PACKAGE = path.join(REPO_ROOT, 'main', 'engine');
const TSC = path.join(REPO_ROOT, 'node_modules', 'typescript', 'bin', 'tsc');

test("npm pack lists only the package's own files: its compiled entries, their declarations, its docs", () => {
  const run = spawnSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: PACKAGE, encoding: 'utf8', shell: process.platform === 'win32' });
  assert.equal(run.status, 0, run.stderr);
  const files = (JSON.parse(run.stdout) as { files: { path: string }[] }[])[0]!.files.map((f) => f.path).sort();
  const own = /^(package\.json|README\.md|docs\/[\w.-]+\.md|dist\/[\w/.-]+\.(js|d\.ts))$/;
  assert.deepEqual(
    files.filter((f) => !own.test(f)),
    [],
    'nothing but package.json, README, docs and dist JavaScript with declarations',
  );
  for (const entry of ['index', 'lazy-index', 'testing', 'tooling', 'compile-cache']) {
    assert.ok(files.includes(`dist/${entry}.js`) && files.includes(`dist/${entry}.d.ts`), `the ${entry} entry is packed with its declarations`);
  }
  assert.ok(files.includes('docs/api.md'), 'the API reference is packed');
  assert.ok(!files.some((f) => /(^|\/)(test|dist-test|src)\//.test(f)), 'no tests and no sources');
  const manifest = JSON.parse(fs.readFileSync(path.join(PACKAGE, 'package.json'), 'utf8')) as { exports: Record<string, unknown> };
  assert.deepEqual(Object.keys(manifest.exports).sort(), ['.', './compile-cache', './package.json', './testing', './tooling'], 'the exports map names the public entries only');
});

test('the package compiles on its own: its sources alone, into an empty folder, with nothing of the app', () => {
  const out = tempDir('fieldbook-engine-build-');
  const run = spawnSync(process.execPath, [TSC, '-p', path.join(PACKAGE, 'tsconfig.json'), '--outDir', out, '--tsBuildInfoFile', path.join(out, '.tsbuildinfo'), '--listFiles'], {
    encoding: 'utf8',
  });
  assert.equal(run.status, 0, run.stdout + run.stderr);
  const compiled = run.stdout.split('\n').filter((f) => f && !f.includes(`${path.sep}node_modules${path.sep}`) && !f.includes('/node_modules/'));
  assert.ok(compiled.length > 20, `it compiled the package's files (${compiled.length})`);
  assert.deepEqual(
    compiled.filter((f) => !path.resolve(f).startsWith(path.join(PACKAGE, 'src') + path.sep) && !path.resolve(f).startsWith(PACKAGE + path.sep + 'forbidden-module')),
    [],
    'only files of main/engine/src',
  );
  for (const entry of ['index.js', 'lazy-index.js', 'testing.js', 'tooling.js', 'batch/upgrade-worker.js']) assert.ok(fs.existsSync(path.join(out, entry)), `${entry} is built`);
});
