/**
 * The engine's SHA-256 (src/sqlite/sha256.ts, WebAssembly) gives node:crypto's digest for every
 * input: FIPS 180-2's examples, every length across the padding's boundaries (55, 56, 63, 64
 * bytes...), lengths across the blocks it takes at once, strings as UTF-8 (a lone surrogate
 * included), and `sha256` (src/sqlite/hashing.ts) on both sides of the size from which it hands
 * the work to node:crypto. A small hash loads no node:crypto (its reason to exist).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import crypto = require('node:crypto');
import path = require('node:path');
import { test } from 'node:test';
import { sha256 } from '../src/sqlite/hashing';
import { sha256Bytes } from '../src/sqlite/sha256';

const nodeSha256 = (data: string | Uint8Array) => crypto.createHash('sha256').update(data).digest('hex');

/** Deterministic bytes (a linear congruential sequence), so a failure names an input that can be made again. */
function bytes(length: number, seed: number): Buffer {
  const out = Buffer.alloc(length);
  let x = seed >>> 0;
  for (let i = 0; i < length; i++) {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
    out[i] = x >>> 24;
  }
  return out;
}

test("FIPS 180-2's examples", () => {
  assert.equal(sha256Bytes(Buffer.from('')), 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  assert.equal(sha256Bytes(Buffer.from('abc')), 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  assert.equal(sha256Bytes(Buffer.from('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq')), '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1');
  assert.equal(sha256Bytes(Buffer.alloc(1_000_000, 'a')), 'cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0');
});

test('every length from 0 to 300 bytes, and lengths across the blocks taken at once, as node:crypto', () => {
  for (let length = 0; length <= 300; length++) {
    const data = bytes(length, length);
    assert.equal(sha256Bytes(data), nodeSha256(data), `${length} bytes`);
  }
  const batch = 65536 - 1024;
  for (const length of [batch - 64, batch - 1, batch, batch + 1, batch + 55, batch + 56, 2 * batch + 63, 3 * batch + 200]) {
    const data = bytes(length, length);
    assert.equal(sha256Bytes(data), nodeSha256(data), `${length} bytes`);
  }
  const data = bytes(1000, 7);
  assert.equal(sha256Bytes(data.subarray(13, 900)), nodeSha256(data.subarray(13, 900)), 'a view into a larger buffer');
});

test('sha256 hashes strings as UTF-8, and agrees with node:crypto on both sides of its hand-over size', () => {
  // Small inputs first: once a large one has loaded node:crypto, sha256 uses it for all.
  for (const text of ['', 'plain', 'Zürich — 東京 🦉', 'a\0b', 'lone \uD800 surrogate', 'é'.repeat(16_000)])
    assert.equal(sha256(text), nodeSha256(text), JSON.stringify(text.slice(0, 30)));
  const handOver = 32 * 1024;
  for (const length of [handOver - 1, handOver, handOver + 1, 5 * handOver]) {
    const data = bytes(length, 3);
    assert.equal(sha256(data), nodeSha256(data), `${length} bytes`);
  }
  assert.equal(sha256('é'.repeat(40_000)), nodeSha256('é'.repeat(40_000)));
  // Calls in any order start afresh: no state leaks from one hash into the next.
  assert.equal(sha256Bytes(Buffer.from('abc')), 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
});

test('a small hash loads no node:crypto; a large one does', () => {
  const hashing = path.join(__dirname, '..', 'src', 'sqlite', 'hashing.js');
  const loaded = "process.moduleLoadList.includes('NativeModule crypto')";
  const script = `const { sha256 } = require(${JSON.stringify(hashing)}); const small = sha256('x'.repeat(32768)); const before = ${loaded}; const large = sha256('x'.repeat(32769)); console.log(JSON.stringify({ small, before, large, after: ${loaded} }));`;
  const run = spawnSync(process.execPath, ['-'], { input: script, encoding: 'utf8' });
  assert.deepEqual(JSON.parse(run.stdout), { small: nodeSha256('x'.repeat(32768)), before: false, large: nodeSha256('x'.repeat(32769)), after: true }, run.stderr);
});
