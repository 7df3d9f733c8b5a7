// @ts-check
'use strict';
/**
 * Which runtime a native addon (`.node`) was built for, read from the file itself, and which
 * one the pinned Electron needs. Used by rebuild-native-for-electron.js (after the rebuild),
 * after-pack.js (every `npm run dist`) and test/native-abi.test.ts.
 *
 * A Node-API addon exports `napi_register_module_v1` and loads in any runtime. Any other addon
 * (better-sqlite3 12.x is one) exports `node_register_module_v<ABI>`, where ABI is the
 * NODE_MODULE_VERSION of the headers it was compiled against: Node and Electron look that exact
 * symbol up when loading it, so its number is the ABI the binary really has — whatever a build
 * tool reported. The name sits NUL-terminated in the file's symbol strings (ELF `.dynstr`,
 * Mach-O's string table with a leading `_`, PE's export name table), so it is found by
 * scanning the bytes.
 */
const fs = require('node:fs');
const path = require('node:path');

/**
 * @typedef {{ kind: 'abi', abi: number } | { kind: 'node-api' } | { kind: 'none' }} Registration
 */

/**
 * Reads what an addon registers.
 * @param {string} file a `.node` file
 * @returns {Registration} `abi` with its NODE_MODULE_VERSION, `node-api`, or `none` (not an addon)
 * @throws Error when the file names two different ABIs (no real build does)
 */
function registeredAbi(file) {
  const text = fs.readFileSync(file).toString('latin1');
  const abis = [...new Set([...text.matchAll(/node_register_module_v(\d+)\0/g)].map((m) => Number(m[1])))];
  if (abis.length > 1) throw new Error(`${file} registers several ABIs (${abis.join(', ')}): not a single build`);
  if (abis.length === 1) return { kind: 'abi', abi: /** @type {number} */ (abis[0]) };
  return /napi_register_module_v\d+\0/.test(text) ? { kind: 'node-api' } : { kind: 'none' };
}

/**
 * The NODE_MODULE_VERSION of an Electron version, from node-abi's table (what @electron/rebuild
 * compiles for).
 * @param {string} version e.g. `40.10.2`
 * @returns {number}
 */
function electronAbi(version) {
  const nodeAbi = /** @type {{ getAbi(target: string, runtime: string): string }} */ (require('node-abi'));
  return Number(nodeAbi.getAbi(version, 'electron'));
}

/** Node's ABIs near this project's floor, for messages (a Node build in an Electron package is the usual mistake). */
const KNOWN = { 115: 'Node 20', 127: 'Node 22', 137: 'Node 24' };

/** @param {number} abi */
function describeAbi(abi) {
  const name = /** @type {Record<number, string>} */ (KNOWN)[abi];
  return name ? `ABI ${abi}, ${name}` : `ABI ${abi}`;
}

/**
 * Every `.node` file under a folder that is neither Node-API nor built for `abi`.
 * @param {string} dir
 * @param {number} abi
 * @returns {{ file: string, registration: Registration }[]}
 */
function wrongAbiAddons(dir, abi) {
  /** @type {{ file: string, registration: Registration }[]} */
  const wrong = [];
  const walk = (/** @type {string} */ folder) => {
    for (const entry of fs.readdirSync(folder, { withFileTypes: true })) {
      const full = path.join(folder, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile() && entry.name.endsWith('.node')) {
        const registration = registeredAbi(full);
        if (registration.kind === 'none' || (registration.kind === 'abi' && registration.abi !== abi)) wrong.push({ file: full, registration });
      }
    }
  };
  walk(dir);
  return wrong;
}

module.exports = { registeredAbi, electronAbi, describeAbi, wrongAbiAddons };
