#!/usr/bin/env node
'use strict';
/**
 * `npm start` and `npm run dist`: rebuilds the app's native module (better-sqlite3) for the
 * pinned Electron with `electron-builder install-app-deps`, then checks that the result really
 * is an Electron build. Exits non-zero, saying why, when it is not.
 *
 * Why not install-app-deps alone:
 * - @electron/rebuild skips a module whose `build/Release/.forge-meta` says it already built it
 *   for this Electron. `npm test` rebuilds better-sqlite3 for Node in place, and when that is a
 *   prebuilt download the marker survives: install-app-deps (and electron-builder's own rebuild
 *   before packaging) would skip, and Electron would load — or an installer ship — a Node
 *   binary. So the marker goes first.
 * - With npm's `nodedir` setting, node-gyp compiles against that Node's headers even when asked
 *   for Electron, and reports success. A non-N-API module's registration symbol
 *   (`node_register_module_v<ABI>`, read by native-abi.js) names the ABI it was really built for.
 * `npm run dist` checks the packed binary once more (after-pack.js).
 */
const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const { describeAbi, electronAbi, registeredAbi } = require('./native-abi');

const root = path.resolve(__dirname, '..');
const release = path.join(root, 'node_modules', 'better-sqlite3', 'build', 'Release');
const marker = path.join(release, '.forge-meta');
const binary = path.join(release, 'better_sqlite3.node');

fs.rmSync(marker, { force: true });
const builderCli = path.join(path.dirname(require.resolve('electron-builder/package.json', { paths: [root] })), 'cli.js');
const rebuild = spawnSync(process.execPath, [builderCli, 'install-app-deps', ...process.argv.slice(2)], { cwd: root, stdio: 'inherit' });
if (rebuild.status !== 0) {
  console.error('\nCould not rebuild better-sqlite3 for Electron (no network? see README, "When Electron cannot be downloaded").');
  console.error('`npm test` rebuilds it for Node again.');
  process.exit(rebuild.status || 1);
}

// @electron/rebuild writes `<platform>--<arch>--<ABI>` after building.
const abi = fs.existsSync(marker) ? Number(fs.readFileSync(marker, 'utf8').split('--').pop()) : null;
if (!abi || !fs.existsSync(binary)) {
  console.error(`better-sqlite3 was not rebuilt for Electron (no ${path.relative(root, fs.existsSync(binary) ? marker : binary)}).`);
  process.exit(1);
}
const wanted = electronAbi(require(path.join(root, 'node_modules', 'electron', 'package.json')).version);
const registration = registeredAbi(binary);
const builtFor = registration.kind === 'abi' ? registration.abi : null;
if (builtFor !== wanted || abi !== wanted) {
  console.error(
    `better-sqlite3 was "rebuilt" for Electron (ABI ${wanted}) but the binary is built for ${builtFor === null ? 'no ABI' : describeAbi(builtFor)}: node-gyp used other headers.`,
  );
  console.error('Check `npm config get nodedir` and remove that setting (`npm config delete nodedir`), then run this again.');
  fs.rmSync(marker, { force: true });
  process.exit(1);
}
console.log(`better-sqlite3 is built for Electron (ABI ${abi}).`);
