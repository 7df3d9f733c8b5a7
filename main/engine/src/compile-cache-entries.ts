/**
 * The entries of the engine's compile cache (compile-cache.ts) on disk: one file per module,
 * named after its path, holding a version line, the path, the source and V8's data with its
 * checksum. Written beside their place and renamed, read only for the very source they hold.
 */
import fs = require('node:fs');
import path = require('node:path');
import { checksum } from './word-checksum';

/** The part of an entry before the source text: a version line that V8's own check does not cover. */
const ENTRY_VERSION = `fieldbook-compile-cache 1 ${process.version} ${process.arch} ${process.versions.v8}\n`;

/** The entry's file name: readable, and unique by the checksum of the full path (its path is checked too). */
export function entryName(filename: string): string {
  return `${path
    .basename(filename)
    .replace(/[^\w.-]/g, '_')
    .slice(0, 60)}-${checksum(Buffer.from(filename))}.v8cache`;
}

/** An entry: the version line, the path, the source's byte length and the checksum of V8's data on one line each, the source, then V8's data. */
function entryHead(filename: string, sourceBytes: number): string {
  return `${ENTRY_VERSION}${encodeURIComponent(filename)}\n${sourceBytes}\n`;
}

/** The cached code for exactly this file and source, or undefined. */
export function readEntry(entry: string, filename: string, source: string): Buffer | undefined {
  let data: Buffer;
  try {
    data = fs.readFileSync(entry);
  } catch {
    return undefined;
  }
  const sourceBytes = Buffer.byteLength(source);
  const head = entryHead(filename, sourceBytes);
  const start = Buffer.byteLength(head) + CHECKSUM_LINE;
  const end = start + sourceBytes;
  if (data.length <= end || data.toString('utf8', 0, start - CHECKSUM_LINE) !== head || data.toString('utf8', start, end) !== source) return undefined;
  const code = data.subarray(end);
  // V8 trusts code it is given that passes its header checks: damaged data would crash the process.
  return data.toString('latin1', start - CHECKSUM_LINE, start) === `${checksum(code)}\n` ? code : undefined;
}

/**
 * Writes an entry beside its place and renames it there, so a reader never sees half of one,
 * when V8's data (`made`) has at least `atLeastBytes`. Best effort: true when it was written.
 */
export function writeEntry(entry: string, filename: string, source: string, made: () => Buffer, atLeastBytes = 0): boolean {
  const temporary = `${entry}.${process.pid}.tmp`;
  try {
    const code = made();
    if (code.length < atLeastBytes) return false;
    const text = Buffer.from(source);
    const head = `${entryHead(filename, text.length)}${checksum(code)}\n`;
    fs.writeFileSync(temporary, Buffer.concat([Buffer.from(head), text, code]), { mode: 0o600 });
    fs.renameSync(temporary, entry);
    return true;
  } catch {
    try {
      fs.rmSync(temporary, { force: true });
    } catch {
      // a cache is best effort: a process never fails at exit for it
    }
    return false;
  }
}

/** The checksum line's length: 8 hex digits and a newline. */
const CHECKSUM_LINE = 9;

/** A temporary entry (`<entry>.<pid>.tmp`) older than this (ms) belongs to a process that was killed while writing it. */
const STALE_TEMPORARY_MS = 10 * 60 * 1000;

/**
 * Removes the temporary entries of `dir` that writers killed between writing and renaming left
 * behind (writeEntry removes its own on failure); recent ones may be a live process's. Best effort.
 */
export function removeStaleTemporaries(dir: string, now = Date.now()): void {
  try {
    for (const name of fs.readdirSync(dir)) {
      if (!/\.v8cache\.\d+\.tmp$/.test(name)) continue;
      const file = path.join(dir, name);
      const stat = fs.lstatSync(file, { throwIfNoEntry: false });
      if (stat?.isFile() && now - stat.mtimeMs > STALE_TEMPORARY_MS) fs.rmSync(file, { force: true });
    }
  } catch {
    // a cache is best effort: a process never fails at exit for it
  }
}
