#!/usr/bin/env node
// @ts-check
'use strict';
/**
 * `npm start`, first step after the build: makes sure the electron package has its binary,
 * downloading it now if it has none. `npm ci` never downloads it (package.json `allowScripts`
 * denies electron's postinstall), so setting up succeeds offline and the tests, CLI and
 * benchmarks never need it; only launching the app does.
 *
 * This runs the electron package's own installer (node_modules/electron/install.js, which
 * @electron/get drives: ELECTRON_MIRROR, ELECTRON_CUSTOM_DIR, the cache in
 * `electron_config_cache` or ~/.cache/electron, ELECTRON_OVERRIDE_DIST_PATH all work as usual).
 * It returns at once when the binary is there. ELECTRON_SKIP_BINARY_DOWNLOAD is ignored here:
 * starting the app needs the binary. Resolves electron from the working directory (npm runs
 * scripts in the project folder). Exits non-zero, saying what to do, when the download fails.
 */
const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');

const electronDir = path.dirname(require.resolve('electron/package.json', { paths: [process.cwd()] }));
const { version } = JSON.parse(fs.readFileSync(path.join(electronDir, 'package.json'), 'utf8'));
const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;
if (override) {
  // Electron's index.js then runs `<override>/<path.txt or "electron">`; nothing to download.
  const pathFile = path.join(electronDir, 'path.txt');
  const executable = path.join(override, fs.existsSync(pathFile) ? fs.readFileSync(pathFile, 'utf8') : 'electron');
  if (fs.existsSync(executable)) process.exit(0);
  console.error(`ELECTRON_OVERRIDE_DIST_PATH is set, but ${executable} does not exist.`);
  process.exit(1);
}
const env = { ...process.env };
delete env.ELECTRON_SKIP_BINARY_DOWNLOAD;
const install = spawnSync(process.execPath, [path.join(electronDir, 'install.js')], { cwd: electronDir, env, stdio: ['ignore', 'inherit', 'pipe'], encoding: 'utf8' });
const pathFile = path.join(electronDir, 'path.txt');
if (install.status === 0 && fs.existsSync(pathFile)) process.exit(0);

const reason = (install.stderr || '').split('\n').find((line) => /Error|error/.test(line)) ?? `exit ${install.status}`;
console.error(`Could not download Electron ${version}: ${reason.trim()}`);
console.error('Tests, the CLI and benchmarks need no Electron. To start the app, give it one: a mirror (ELECTRON_MIRROR),');
console.error(`or electron-v${version}-${process.platform}-${process.arch}.zip unpacked by hand; see README, "When Electron cannot be downloaded".`);
process.exit(1);
