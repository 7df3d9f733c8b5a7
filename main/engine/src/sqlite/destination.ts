import fs = require('node:fs');
import path = require('node:path');
import { isOpenInThisProcess } from './connection';
import { FieldbookError } from '../errors';
import { diagnoseFolder, fileSystemFailure } from './file-system-failure';

/** What a write that produces a file from documents must not land on. */
export interface DistinctDestinationOptions {
  /** The documents the write reads (the source of an export or subset, the document backed up). */
  sources?: readonly string[];
  /**
   * Documents open elsewhere that this process cannot see: the app runs exports in utility
   * processes and passes the paths of the documents its windows have open. Documents open in
   * this process are found through the connection registry without being listed.
   */
  openDocuments?: readonly string[];
}

/** A file as the system knows it: its real path (folders resolved, the name as written) and, if it exists, its stat. */
export interface FileIdentity {
  path: string;
  stat: fs.Stats | null;
}

/** The real path and stat of a file, existing or not (a missing file keeps its folder's real path and its own name). */
export function fileIdentity(file: string): FileIdentity {
  const absolute = path.resolve(file);
  let real: string;
  try {
    real = fs.realpathSync(absolute);
  } catch {
    try {
      real = path.join(fs.realpathSync(path.dirname(absolute)), path.basename(absolute));
    } catch {
      real = absolute;
    }
  }
  let stat: fs.Stats | null = null;
  try {
    stat = fs.statSync(absolute, { throwIfNoEntry: false }) ?? null;
  } catch {
    // A symlink loop or an unreadable folder: compared by path only.
  }
  return { path: real, stat };
}

/** The SQLite files that belong to a document besides itself; writing one of them breaks the document. */
const SIBLINGS = ['-journal', '-wal', '-shm'];

/**
 * The decision, given the facts: two files are the same when they have the same device and
 * inode (hard links, symlinks, and case variants on case-insensitive file systems all do; an
 * inode of 0 means the file system has none, as FAT on Windows), the same real path, or, when
 * their file system ignores case, real paths equal after folding case and Unicode form (and,
 * on Windows, trailing dots and spaces, which it drops from names).
 */
export function isSameFile(a: FileIdentity, b: FileIdentity, caseInsensitive: boolean, platform: NodeJS.Platform = process.platform): boolean {
  if (a.stat && b.stat && a.stat.ino !== 0 && a.stat.dev === b.stat.dev && a.stat.ino === b.stat.ino) return true;
  if (a.path === b.path) return true;
  return caseInsensitive && foldPath(a.path, platform) === foldPath(b.path, platform);
}

/** A path as a case-insensitive file system compares it. */
export function foldPath(file: string, platform: NodeJS.Platform = process.platform): string {
  const folded = file.normalize('NFC').toLowerCase();
  return platform === 'win32'
    ? folded
        .split(/[\\/]/)
        .map((part) => part.replace(/[. ]+$/, '') || part)
        .join('\\')
    : folded;
}

/**
 * Whether the file system holding an existing file ignores case, found by probing: the file's
 * name (or the nearest folder name with letters) with its case swapped is looked up, and it is
 * the same file only on a case-insensitive file system. False when nothing can be probed.
 */
export function isCaseInsensitiveAt(existing: string): boolean {
  for (let current = path.resolve(existing); path.dirname(current) !== current; current = path.dirname(current)) {
    const name = path.basename(current);
    const swapped = swapCase(name);
    if (swapped === name) continue;
    const original = fs.statSync(current, { throwIfNoEntry: false });
    if (!original) return false;
    let probe: fs.Stats | undefined;
    try {
      probe = fs.statSync(path.join(path.dirname(current), swapped), { throwIfNoEntry: false });
    } catch {
      return false;
    }
    if (!probe) return false;
    return original.ino === 0 || (probe.dev === original.dev && probe.ino === original.ino);
  }
  return false;
}

function swapCase(text: string): string {
  return [...text].map((c) => (c === c.toLowerCase() ? c.toUpperCase() : c.toLowerCase())).join('');
}

/**
 * Refuses a destination that is one of the sources, a document open in this process, or one of
 * `openDocuments`, however it is spelled: the same path (`./`, `..`, a trailing slash), a
 * symlink or hard link to it, a case variant on a case-insensitive file system, or one of its
 * `-journal`/`-wal`/`-shm` files (also of a document open in this process: replacing a live
 * connection's journal or WAL loses its transactions). Whether the caller allowed overwriting does not matter:
 * replacing a document with a copy of (part of) itself loses data.
 * @throws FieldbookError SAME_FILE
 */
export function assertDistinctDestination(destination: string, options: DistinctDestinationOptions = {}): void {
  const target = fileIdentity(destination);
  const refuse = (what: string) => {
    throw new FieldbookError('SAME_FILE', `${path.resolve(destination)} is ${what}; choose another destination (nothing was written)`, {
      details: { path: path.resolve(destination) },
    });
  };
  if (target.stat && isOpenInThisProcess(target.stat)) refuse('a document that is open');
  for (const suffix of SIBLINGS) {
    if (!target.path.endsWith(suffix)) continue;
    const owner = fs.statSync(target.path.slice(0, -suffix.length), { throwIfNoEntry: false });
    if (owner && isOpenInThisProcess(owner)) refuse(`the ${suffix.slice(1)} file of a document that is open (${target.path.slice(0, -suffix.length)})`);
  }
  const others = [
    ...(options.sources ?? []).map((file) => ({ file, what: 'the document being read' })),
    ...(options.openDocuments ?? []).map((file) => ({ file, what: 'a document that is open' })),
  ];
  for (const { file, what } of others) {
    const other = fileIdentity(file);
    if (isSameFile(target, other, caseInsensitiveFor(target, other))) refuse(`${what} (${other.path})`);
    for (const suffix of SIBLINGS) {
      const sibling = fileIdentity(other.path + suffix);
      if (isSameFile(target, sibling, caseInsensitiveFor(target, sibling))) refuse(`the ${suffix.slice(1)} file of ${what} (${other.path})`);
    }
  }
}

/** Probes only when the paths differ in nothing but case: the probe costs a few stats. */
function caseInsensitiveFor(a: FileIdentity, b: FileIdentity): boolean {
  if (a.path === b.path || foldPath(a.path) !== foldPath(b.path)) return false;
  const existing = b.stat ? b.path : a.stat ? a.path : path.dirname(b.path);
  return isCaseInsensitiveAt(existing);
}

/**
 * Checks a destination before anything is written: not a source or open document (SAME_FILE,
 * whatever `overwrite` says), not an existing file unless `overwrite`, never an existing folder
 * or other non-file, in a folder that exists and can be written. A path that cannot name a file
 * (a NUL in it, a file where a folder should be, a name too long) is NOT_FOUND. A destination
 * that is a symlink (to a file that is not a source) is replaced by the new file with
 * `overwrite`: the link goes, the file it pointed to is left as it was. Returns the absolute path.
 * @throws FieldbookError SAME_FILE, EXISTS, NOT_FOUND, READ_ONLY
 */
export function checkDestination(destination: string, overwrite: boolean, distinct: DistinctDestinationOptions = {}): string {
  const target = path.resolve(destination);
  if (target.includes('\0'))
    throw new FieldbookError('NOT_FOUND', `cannot write ${JSON.stringify(target)}: a file name cannot contain a NUL character`, { details: { path: target } });
  let existing: fs.Stats | undefined;
  try {
    existing = fs.statSync(target, { throwIfNoEntry: false });
  } catch (error) {
    throw fileSystemFailure(error, target, 'write');
  }
  assertDistinctDestination(target, distinct);
  if (existing && !overwrite) throw new FieldbookError('EXISTS', `${target} already exists (use overwrite to replace it)`, { details: { path: target } });
  if (existing && !existing.isFile()) throw new FieldbookError('EXISTS', `${target} exists and is not a file`, { details: { path: target } });
  const folder = path.dirname(target);
  const diagnosis = diagnoseFolder(folder);
  if (diagnosis === 'missing') throw new FieldbookError('NOT_FOUND', `no such folder: ${folder}`, { details: { path: target, folder } });
  if (diagnosis === 'read-only') throw new FieldbookError('READ_ONLY', `cannot write ${target}: the folder ${folder} cannot be written`, { details: { path: target, folder } });
  return target;
}
