/**
 * Fixtures of the package's own tests: a fresh temp folder per test and file hashes, on real
 * files. Nothing here knows an app: tests that need migrations write tiny ones of their own.
 */
import { createHash } from 'node:crypto';
import fs = require('node:fs');
import os = require('node:os');
import path = require('node:path');

const made: string[] = [];
process.once('exit', () => made.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

/** A new empty folder under the OS temp folder, removed when the process exits. */
export function tempDir(prefix = 'engine-test-'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  made.push(dir);
  return dir;
}

/** The sha256 of a file's bytes, hex. */
export function sha256File(file: string): string {
  return createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

/** Hashes of a database file and of its `-journal`, `-wal` and `-shm` (null where absent): equal states mean untouched files. */
export function fileState(file: string): Record<string, string | null> {
  return Object.fromEntries(['', '-journal', '-wal', '-shm'].map((suffix) => [suffix || 'main', fs.existsSync(file + suffix) ? sha256File(file + suffix) : null]));
}
