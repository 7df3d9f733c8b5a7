/**
 * build/native-abi.js: which runtime a `.node` file is built for, read from the binary (what
 * `npm run dist`'s after-pack hook and the Electron rebuild script rely on), on the real
 * better-sqlite3 build of this checkout, and the pinned Electron's ABI from node-abi's table,
 * checked against the `abi_version` file the electron package ships.
 */
import assert from 'node:assert/strict';
import fs = require('node:fs');
import path = require('node:path');
import { test } from 'node:test';
import { REPO_ROOT, tempDir } from './helpers/fixtures';

type Registration = { kind: 'abi'; abi: number } | { kind: 'node-api' } | { kind: 'none' };
interface NativeAbi {
  registeredAbi(file: string): Registration;
  electronAbi(version: string): number;
  describeAbi(abi: number): string;
  wrongAbiAddons(dir: string, abi: number): { file: string; registration: Registration }[];
}

const nativeAbi = require(path.join(REPO_ROOT, 'build', 'native-abi.js')) as NativeAbi;

const NODE_BUILD = path.join(path.dirname(require.resolve('better-sqlite3/package.json', { paths: [REPO_ROOT] })), 'build', 'Release', 'better_sqlite3.node');
const electronPackage = path.join(REPO_ROOT, 'node_modules', 'electron');

test("the better-sqlite3 this Node loads registers this Node's ABI (115 on Node 20)", () => {
  assert.deepEqual(nativeAbi.registeredAbi(NODE_BUILD), { kind: 'abi', abi: Number(process.versions.modules) });
  if (process.versions.node.startsWith('20.')) assert.deepEqual(nativeAbi.registeredAbi(NODE_BUILD), { kind: 'abi', abi: 115 });
  assert.equal(nativeAbi.describeAbi(115), 'ABI 115, Node 20');
});

test("the pinned Electron's ABI from node-abi is the one its package declares (abi_version)", () => {
  const version = (JSON.parse(fs.readFileSync(path.join(electronPackage, 'package.json'), 'utf8')) as { version: string }).version;
  const declared = Number(fs.readFileSync(path.join(electronPackage, 'abi_version'), 'utf8').trim());
  assert.equal(nativeAbi.electronAbi(version), declared);
  assert.notEqual(declared, Number(process.versions.modules), 'Electron and Node differ, which is why the check exists');
});

test("a folder holding the Node build is reported for Electron's ABI and passes for Node's; a Node-API addon passes for any", () => {
  const dir = tempDir();
  fs.mkdirSync(path.join(dir, 'build', 'Release'), { recursive: true });
  const copy = path.join(dir, 'build', 'Release', 'better_sqlite3.node');
  fs.copyFileSync(NODE_BUILD, copy);
  fs.writeFileSync(path.join(dir, 'napi.node'), Buffer.from('\x7fELF....napi_register_module_v1\0....', 'latin1'));
  assert.deepEqual(nativeAbi.registeredAbi(path.join(dir, 'napi.node')), { kind: 'node-api' });
  assert.deepEqual(nativeAbi.wrongAbiAddons(dir, 143), [{ file: copy, registration: { kind: 'abi', abi: Number(process.versions.modules) } }]);
  assert.deepEqual(nativeAbi.wrongAbiAddons(dir, Number(process.versions.modules)), []);
});

test('a file that is no addon registers nothing and is reported; one naming two ABIs is refused', () => {
  const dir = tempDir();
  const text = path.join(dir, 'notes.node');
  fs.writeFileSync(text, 'node_register_module_v115 without its terminator is not a symbol name');
  assert.deepEqual(nativeAbi.registeredAbi(text), { kind: 'none' });
  assert.deepEqual(nativeAbi.wrongAbiAddons(dir, 115), [{ file: text, registration: { kind: 'none' } }]);
  const mixed = path.join(dir, 'mixed.bin');
  fs.writeFileSync(mixed, Buffer.concat([fs.readFileSync(NODE_BUILD), Buffer.from('node_register_module_v143\0', 'latin1')]));
  assert.throws(() => nativeAbi.registeredAbi(mixed), /registers several ABIs \(115, 143\)|registers several ABIs/);
});
