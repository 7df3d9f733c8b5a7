import { instantiate, type WasmMemory } from '../wasm-module';

/**
 * SHA-256 (FIPS 180-4) without node:crypto, for the engine's small hashes: the checksums of its
 * migration files, schema fingerprints. Loading node:crypto costs a cold process about 3.5 ms
 * (it pulls in Node's streams), several times the hashing; this costs about 0.1 ms to load.
 * The compression function is WebAssembly (sha256.wat, beside this file; the base64 below is
 * `wat2wasm sha256.wat`); padding, the constants and the digest are here. test/sha256.test.ts
 * checks it against node:crypto.
 */
const COMPRESS_WASM =
  'AGFzbQEAAAABBQFgAX8AAwIBAAUDAQABBxMCBm1lbW9yeQIABmJsb2NrcwAACtIEAc8EAQ9/QYAIIQFBgAggAGohAgJAA0AgASACTw0BQQAhAwNAIAEgA2ooAgAhBCADIARBGHQgBEGA/gNxQQh0ciAEQQh2QYD+A3EgBEEYdnJyNgKAAiADQQRqIQMgA0HAAEkNAAsDQCADKALEASEEIAMoAvgBIQUgAyADKALAASAEQQd2IARBGXRyIARBEnYgBEEOdHJzIARBA3ZzaiADKALkASAFQRF2IAVBD3RyIAVBE3YgBUENdHJzIAVBCnZzamo2AoACIANBBGohAyADQYACSQ0AC0EAKAKABCEIQQAoAoQEIQlBACgCiAQhCkEAKAKMBCELQQAoApAEIQxBACgClAQhDUEAKAKYBCEOQQAoApwEIQ9BACEDA0AgDyAMQQZ2IAxBGnRyIAxBC3YgDEEVdHJzIAxBGXYgDEEHdHJzaiAMIA1xIAxBf3MgDnFzaiADKAIAIAMoAoACamohBiAIQQJ2IAhBHnRyIAhBDXYgCEETdHJzIAhBFnYgCEEKdHJzIAggCXEgCCAKcXMgCSAKcXNqIQcgDiEPIA0hDiAMIQ0gCyAGaiEMIAohCyAJIQogCCEJIAYgB2ohCCADQQRqIQMgA0GAAkkNAAtBAEEAKAKABCAIajYCgARBAEEAKAKEBCAJajYChARBAEEAKAKIBCAKajYCiARBAEEAKAKMBCALajYCjARBAEEAKAKQBCAMajYCkARBAEEAKAKUBCANajYClARBAEEAKAKYBCAOajYCmARBAEEAKAKcBCAPajYCnAQgAUHAAGohAQwACwsL';

/** The 64 round constants (FIPS 180-4, 4.2.2). */
const K = [
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe,
  0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7,
  0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
  0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
  0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
];

/** The initial hash value (FIPS 180-4, 5.3.3). */
const H0 = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19];

/** Where sha256.wat keeps K, the hash state and the blocks to hash, and how many bytes of blocks it takes at once. */
const K_AT = 0;
const STATE_AT = 512;
const BLOCKS_AT = 1024;
const BLOCKS_MAX = 65536 - BLOCKS_AT;

let compressor: { view: DataView; bytes: Uint8Array; blocks: (n: number) => void } | undefined;

function load(): NonNullable<typeof compressor> {
  const { memory, blocks } = instantiate<{ memory: WasmMemory; blocks: (n: number) => void }>(new Uint8Array(Buffer.from(COMPRESS_WASM, 'base64')));
  // The memory is never grown, so these views stay valid.
  const view = new DataView(memory.buffer);
  K.forEach((k, i) => view.setUint32(K_AT + 4 * i, k, true));
  return { view, bytes: new Uint8Array(memory.buffer), blocks };
}

/** The SHA-256 of `data`, in lower-case hex, as node:crypto's `createHash('sha256').update(data).digest('hex')`. */
export function sha256Bytes(data: Uint8Array): string {
  const { view, bytes, blocks } = (compressor ??= load());
  H0.forEach((h, i) => view.setUint32(STATE_AT + 4 * i, h, true));
  const whole = data.length - (data.length % 64);
  for (let at = 0; at < whole; at += BLOCKS_MAX) {
    const n = Math.min(BLOCKS_MAX, whole - at);
    bytes.set(data.subarray(at, at + n), BLOCKS_AT);
    blocks(n);
  }
  // The last block or two: the rest of the data, a 1 bit, zeros, and the length in bits (64 bits, big-endian).
  const rest = data.length - whole;
  const tail = rest + 9 <= 64 ? 64 : 128;
  bytes.fill(0, BLOCKS_AT, BLOCKS_AT + tail);
  bytes.set(data.subarray(whole), BLOCKS_AT);
  bytes[BLOCKS_AT + rest] = 0x80;
  const bits = data.length * 8;
  view.setUint32(BLOCKS_AT + tail - 8, Math.floor(bits / 2 ** 32));
  view.setUint32(BLOCKS_AT + tail - 4, bits >>> 0);
  blocks(tail);
  let hex = '';
  for (let i = 0; i < 8; i++)
    hex += view
      .getUint32(STATE_AT + 4 * i, true)
      .toString(16)
      .padStart(8, '0');
  return hex;
}
