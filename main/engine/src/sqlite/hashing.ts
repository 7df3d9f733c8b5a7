import type * as NodeCrypto from 'node:crypto';

let loaded: typeof NodeCrypto | undefined;
let small: typeof import('./sha256') | undefined;

/**
 * `node:crypto`, loaded on first use. Loading it pulls in Node's streams (about 3.5 ms of a
 * process's start), and the engine's cheapest and most frequent paths (classifying a document,
 * `fieldbook info`) hash nothing, and an upgrade hashes only small texts (sha256.ts).
 */
function nodeCrypto(): typeof NodeCrypto {
  return (loaded ??= require('node:crypto') as typeof NodeCrypto);
}

/**
 * Up to this many bytes are hashed by sha256.ts (nothing to load; about 60 MB/s until V8
 * optimizes it, so 32 KiB take it about 0.5 ms), more by node:crypto (about 3.5 ms to load, then
 * far faster), and everything by node:crypto once this process has loaded it.
 */
const SMALL_INPUT = 32 * 1024;

/** The sha256 of `data` (a string as UTF-8), in hex. */
export function sha256(data: string | Buffer): string {
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  // Loaded on first use too: classifying a document, the most frequent path, hashes nothing.
  return bytes.length <= SMALL_INPUT && loaded === undefined
    ? (small ??= require('./sha256') as typeof import('./sha256')).sha256Bytes(bytes)
    : nodeCrypto().createHash('sha256').update(bytes).digest('hex');
}

/** A sha256 hash to feed in pieces (a large file read in chunks). */
export function sha256Hash(): NodeCrypto.Hash {
  return nodeCrypto().createHash('sha256');
}

/** `bytes` random bytes in hex: a unique part for a temporary file's name. */
export function randomHex(bytes: number): string {
  return nodeCrypto().randomBytes(bytes).toString('hex');
}
