import fs = require('node:fs');
import os = require('node:os');
import path = require('node:path');
import { fileSystemFailure } from './file-system-failure';
import { randomHex } from './hashing';

/**
 * Private temporary documents (upgraded copies of outdated sources, temporary subsets) live in
 * `<OS temp>/fieldbook-temp/`, named `<kind>-<pid>-<random>.fieldbook`. They, and the `.partial`
 * files built beside destinations, are removed when done, at process exit (also when the CLI
 * stops on a signal: removeTemporaryFiles), and, for a process that crashed or was killed, by the
 * next process that makes one (a file whose process is gone is stale).
 */
export function tempFolder(): string {
  return path.join(os.tmpdir(), 'fieldbook-temp');
}

const made = new Set<string>();
let exitHook = false;

/** Removes the file (and its journal files) when the process exits, unless forgetTemporaryFile is called first. */
export function removeAtExit(file: string): void {
  made.add(file);
  if (!exitHook) {
    exitHook = true;
    process.on('exit', removeTemporaryFiles);
  }
}

/** The file is no longer temporary (it was renamed into place or removed): exit leaves it alone. */
export function forgetTemporaryFile(file: string): void {
  made.delete(file);
}

/** Removes every temporary and partial file this process made and has not finished with (exit, signals). */
export function removeTemporaryFiles(): void {
  for (const file of [...made]) removeDocumentFiles(file);
}

/**
 * A fresh path for a temporary document; the file is not created.
 * @throws FieldbookError READ_ONLY, NO_SPACE when the temp folder cannot be made
 */
export function tempDocumentPath(kind: string): string {
  const folder = tempFolder();
  try {
    fs.mkdirSync(folder, { recursive: true });
  } catch (error) {
    throw fileSystemFailure(error, folder, 'create the temporary folder');
  }
  sweepStaleTempFiles(folder);
  const file = path.join(folder, `${kind}-${process.pid}-${randomHex(6)}.fieldbook`);
  removeAtExit(file);
  return file;
}

/** Removes a document and the journal files SQLite may have left beside it. */
export function removeDocumentFiles(file: string): void {
  for (const suffix of ['', '-journal', '-wal', '-shm']) fs.rmSync(file + suffix, { force: true });
  made.delete(file);
}

/** True when a process with this id exists (it may belong to another user). */
export function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Removes temporary documents (and partial files) left here by processes that no longer exist. */
export function sweepStaleTempFiles(folder = tempFolder()): void {
  let entries: string[];
  try {
    entries = fs.readdirSync(folder);
  } catch {
    return;
  }
  for (const entry of entries) {
    const pid = Number((/^[a-z]+-(\d+)-/.exec(entry) ?? PARTIAL.exec(entry))?.[1]);
    if (Number.isInteger(pid) && pid !== process.pid && !processIsAlive(pid)) fs.rmSync(path.join(folder, entry), { force: true });
  }
}

const PARTIAL = /^\..+\.(\d+)\.[0-9a-f]{8}\.partial$/;

/** The longest file name (in UTF-8 bytes) the common file systems take (ext4, APFS, NTFS in UTF-16 units: 255). */
export const NAME_MAX = 255;
/** What SQLite appends to a database's name for its own files (`-journal` is the longest). */
export const JOURNAL_ROOM = '-journal'.length;

/**
 * A name cut (at a character boundary) to at most `maxBytes` UTF-8 bytes, so that names made
 * from a user's file name plus a suffix stay creatable when the user's name is itself near the
 * limit.
 */
export function clipName(name: string, maxBytes: number): string {
  if (Buffer.byteLength(name) <= maxBytes) return name;
  let clipped = '';
  for (const c of name) {
    if (Buffer.byteLength(clipped + c) > maxBytes) break;
    clipped += c;
  }
  return clipped;
}

/**
 * Where a document is built before it is renamed into place: a hidden `.partial` file beside
 * the destination (same folder, so the rename is atomic), its name cut to fit NAME_MAX. Partial files of processes that died
 * in that folder are removed first. The file is removed at exit unless it was renamed into place
 * (placeFile forgets it).
 */
export function partialPathFor(destination: string): string {
  const folder = path.dirname(destination);
  try {
    for (const entry of fs.readdirSync(folder)) {
      const pid = Number(PARTIAL.exec(entry)?.[1]);
      if (Number.isInteger(pid) && pid !== process.pid && !processIsAlive(pid)) removeDocumentFiles(path.join(folder, entry));
    }
  } catch {
    // An unreadable folder fails later, with a clearer error, when the file is created.
  }
  const suffix = `.${process.pid}.${randomHex(4)}.partial`;
  const partial = path.join(folder, `.${clipName(path.basename(destination), NAME_MAX - 1 - suffix.length - JOURNAL_ROOM)}${suffix}`);
  removeAtExit(partial);
  return partial;
}
