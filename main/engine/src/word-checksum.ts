/**
 * The checksum of the compile cache's entries (compile-cache.ts), which loads nothing: V8 runs
 * cached code that passes its header checks without checking the rest, so an entry damaged on
 * disk would crash the process that used it.
 */
import { instantiate, type WasmMemory } from './wasm-module';

/**
 * A tiny WebAssembly function, (func (param $bytes i32) (result i32)), that folds memory[0, $bytes)
 * four bytes at a time into h = (h ^ word) * 16777619 from h = 2166136261 (FNV-1's constants,
 * over words): every change of one word changes the result. WebAssembly because plain JS is ten
 * times slower at it before it is optimized, and zlib.crc32 would load zlib (3 ms) first. Text:
 *   (module (memory (export "m") 1)
 *     (func (export "h") (param $n i32) (result i32) (local $i i32) (local $h i32)
 *       (local.set $h (i32.const 0x811c9dc5))
 *       (block (loop (br_if 1 (i32.ge_u (local.get $i) (local.get $n)))
 *         (local.set $h (i32.mul (i32.xor (local.get $h) (i32.load (local.get $i))) (i32.const 0x01000193)))
 *         (local.set $i (i32.add (local.get $i) (i32.const 4))) (br 0)))
 *       (local.get $h)))
 */
const CHECKSUM_WASM = [
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x06, 0x01, 0x60, 0x01, 0x7f, 0x01, 0x7f, 0x03, 0x02, 0x01, 0x00, 0x05, 0x03, 0x01, 0x00, 0x01, 0x07, 0x09, 0x02, 0x01,
  0x6d, 0x02, 0x00, 0x01, 0x68, 0x00, 0x00, 0x0a, 0x36, 0x01, 0x34, 0x01, 0x02, 0x7f, 0x41, 0xc5, 0xbb, 0xf2, 0x88, 0x78, 0x21, 0x02, 0x02, 0x40, 0x03, 0x40, 0x20, 0x01, 0x20,
  0x00, 0x4f, 0x0d, 0x01, 0x20, 0x02, 0x20, 0x01, 0x28, 0x02, 0x00, 0x73, 0x41, 0x93, 0x83, 0x80, 0x08, 0x6c, 0x21, 0x02, 0x20, 0x01, 0x41, 0x04, 0x6a, 0x21, 0x01, 0x0c, 0x00,
  0x0b, 0x0b, 0x20, 0x02, 0x0b,
];

let folder: { memory: WasmMemory; fold: (bytes: number) => number } | undefined;

/** The checksum of `data` (zero-padded to whole words), as 8 hex digits. */
export function checksum(data: Uint8Array): string {
  if (!folder) {
    const { m, h } = instantiate<{ m: WasmMemory; h: (bytes: number) => number }>(new Uint8Array(CHECKSUM_WASM));
    folder = { memory: m, fold: h };
  }
  const padded = (data.length + 3) & ~3;
  const pages = Math.ceil(padded / 65536) - folder.memory.buffer.byteLength / 65536;
  if (pages > 0) folder.memory.grow(pages);
  const memory = new Uint8Array(folder.memory.buffer);
  memory.set(data);
  memory.fill(0, data.length, padded);
  return (folder.fold(padded) >>> 0).toString(16).padStart(8, '0');
}
