import type * as NodeCrypto from 'node:crypto';

let loaded: typeof NodeCrypto | undefined;

/**
 * `node:crypto`, loaded on first use. Loading it pulls in Node's streams (about 3 ms of a
 * process's start), and the engine's cheapest and most frequent paths (classifying a document,
 * `fieldbook info`) hash nothing.
 */
function nodeCrypto(): typeof NodeCrypto {
  return (loaded ??= require('node:crypto') as typeof NodeCrypto);
}

/** The sha256 of `data`, in hex. */
export function sha256(data: string | Buffer): string {
  return nodeCrypto().createHash('sha256').update(data).digest('hex');
}

/** A sha256 hash to feed in pieces (a large file read in chunks). */
export function sha256Hash(): NodeCrypto.Hash {
  return nodeCrypto().createHash('sha256');
}

/** `bytes` random bytes in hex: a unique part for a temporary file's name. */
export function randomHex(bytes: number): string {
  return nodeCrypto().randomBytes(bytes).toString('hex');
}
