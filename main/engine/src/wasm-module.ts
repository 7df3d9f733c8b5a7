/**
 * The little of WebAssembly's API the engine uses (its typings are Node's, which do not declare
 * it): an instance of a module given as bytes, made synchronously. Used by the checksum of the
 * compile cache's entries (word-checksum.ts) and by SHA-256 (sqlite/sha256.ts): both are small
 * loops that plain JavaScript runs ten times slower before it is optimized, and both are needed
 * where loading zlib or node:crypto first would cost more than the work.
 */

/** A module's memory: its bytes, and a way to grow it by 64 KiB pages. */
export interface WasmMemory {
  buffer: ArrayBuffer;
  grow(pages: number): number;
}

interface Wasm {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object) => { exports: unknown };
}

/** The exports of a new instance of the module `bytes` (which imports nothing). */
export function instantiate<Exports>(bytes: Uint8Array): Exports {
  const wasm = (globalThis as unknown as { WebAssembly: Wasm }).WebAssembly;
  return new wasm.Instance(new wasm.Module(bytes)).exports as Exports;
}
