// @ts-check
'use strict';
/**
 * electron-builder's `afterPack` hook (electron-builder.yml): refuses a package whose native
 * addons are not built for the Electron it ships. It reads the ABI each `.node` file in the
 * packed app registers (native-abi.js) and compares it with the pinned Electron's, so a Node
 * build of better-sqlite3 — left there by `npm test`, or by a "successful" rebuild against the
 * wrong headers — fails `npm run dist` here instead of failing on users' machines with "was
 * compiled against a different Node.js version".
 *
 * Test-only opt-out: FIELDBOOK_PACKAGE_NODE_BUILD=layout-test-only lets test/packaging.test.ts
 * pack the Node build (the one its probe can load under Node) to check the package's layout.
 * Such a package cannot run in Electron; never set it for a package you mean to ship.
 */
const path = require('node:path');
const { describeAbi, electronAbi, wrongAbiAddons } = require('./native-abi');

const OPT_OUT = 'FIELDBOOK_PACKAGE_NODE_BUILD';

/** @param {{ appOutDir: string, packager: { info: { framework: { version: string } } } }} context */
exports.default = async function afterPack(context) {
  const version = context.packager.info.framework.version;
  const abi = electronAbi(version);
  const wrong = wrongAbiAddons(context.appOutDir, abi);
  if (wrong.length === 0) {
    console.log(`  • native addons are built for Electron ${version} (ABI ${abi})`);
    return;
  }
  const lines = wrong.map(
    ({ file, registration }) => `  ${path.relative(context.appOutDir, file)}: ${registration.kind === 'abi' ? describeAbi(registration.abi) : 'no Node registration at all'}`,
  );
  if (process.env[OPT_OUT] === 'layout-test-only') {
    console.warn(`  • ${OPT_OUT}=layout-test-only: packing addons that Electron ${version} (ABI ${abi}) cannot load, for a layout test:\n${lines.join('\n')}`);
    return;
  }
  throw new Error(
    `The package's native addons are not built for Electron ${version} (ABI ${abi}):\n${lines.join('\n')}\n` +
      'Run `npm run dist` (it rebuilds them for Electron first: node build/rebuild-native-for-electron.js); see README, "One better-sqlite3 for two runtimes".',
  );
};
