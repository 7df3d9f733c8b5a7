/**
 * The README's set-up line succeeds whether or not Electron's binary can be downloaded (issue
 * 11, item 1): `npm ci` never runs electron's postinstall download, because package.json's
 * `allowScripts` denies it (npm 11 skips a denied package's install scripts), and `npm start`
 * fetches the binary on demand (build/fetch-electron.js).
 *
 * Each test installs the project's pinned electron with the project's own `allowScripts` into a
 * fresh folder — no ELECTRON_SKIP_BINARY_DOWNLOAD, the download pointed at a closed loopback
 * port and an empty cache, so it fails on every machine, as it does offline. The control shows
 * that the same install with electron's script allowed fails, so the policy is what makes it
 * succeed. The packages come from npm's cache (`--prefer-offline`). CI runs the real `npm ci`
 * of the whole project the same way (.ci/run sets no ELECTRON_SKIP_BINARY_DOWNLOAD).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs = require('node:fs');
import path = require('node:path');
import { test } from 'node:test';
import { REPO_ROOT, tempDir } from './helpers/fixtures';

interface ProjectPackage {
  devDependencies: Record<string, string>;
  allowScripts: Record<string, boolean>;
}
const project = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as ProjectPackage;
const ELECTRON = project.devDependencies.electron!;

/** The environment of a fresh shell: no npm_* variables of a surrounding `npm test`, no skip flag, a download that cannot succeed. */
function installEnvironment(): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^npm_/i.test(name) && name !== 'ELECTRON_SKIP_BINARY_DOWNLOAD'));
  return { ...env, ELECTRON_MIRROR: 'http://127.0.0.1:9/', electron_config_cache: tempDir('fieldbook-electron-cache-') };
}

function installElectron(allowScripts: Record<string, boolean>): { dir: string; status: number | null; output: string } {
  const dir = tempDir('fieldbook-install-');
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'install-probe', private: true, devDependencies: { electron: ELECTRON }, allowScripts }, null, 2));
  const run = spawnSync('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund'], {
    cwd: dir,
    env: installEnvironment(),
    encoding: 'utf8',
    timeout: 180_000,
    shell: process.platform === 'win32',
  });
  return { dir, status: run.status, output: `${run.stdout}\n${run.stderr}` };
}

test("installing the pinned electron with the project's allowScripts succeeds where its binary cannot be downloaded, and keeps its typings", { timeout: 200_000 }, () => {
  assert.equal(project.allowScripts.electron, false, "package.json denies electron's install script");
  const { dir, status, output } = installElectron(project.allowScripts);
  assert.equal(status, 0, output);
  assert.doesNotMatch(output, /EBADENGINE/);
  const electron = path.join(dir, 'node_modules', 'electron');
  assert.ok(fs.existsSync(path.join(electron, 'electron.d.ts')), 'electron.d.ts, which `npm run build` type-checks main/electron against, ships in the package');
  assert.ok(!fs.existsSync(path.join(electron, 'path.txt')), 'the postinstall did not run (it writes path.txt after downloading)');

  // What `npm start` does next: fetch the binary now, and say what to do when that fails.
  const fetch = spawnSync(process.execPath, [path.join(REPO_ROOT, 'build', 'fetch-electron.js')], {
    cwd: dir,
    env: { ...installEnvironment(), ELECTRON_SKIP_BINARY_DOWNLOAD: '1' },
    encoding: 'utf8',
    timeout: 60_000,
  });
  assert.equal(fetch.status, 1, fetch.stderr);
  assert.match(
    fetch.stderr,
    new RegExp(`Could not download Electron ${ELECTRON.replace(/\./g, '\\.')}: .*ECONNREFUSED 127\\.0\\.0\\.1:9`),
    'the download was tried even with ELECTRON_SKIP_BINARY_DOWNLOAD set',
  );
  assert.match(fetch.stderr, /Tests, the CLI and benchmarks need no Electron/);
  assert.match(fetch.stderr, /README, "When Electron cannot be downloaded"/);
});

test("control: the same install with electron's install script allowed fails, because the download fails", { timeout: 200_000 }, () => {
  const { status, output } = installElectron({ ...project.allowScripts, electron: true });
  assert.notEqual(status, 0, output);
  assert.match(output, /ECONNREFUSED 127\.0\.0\.1:9/);
});
