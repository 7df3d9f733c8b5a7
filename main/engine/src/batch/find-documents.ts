import fs = require('node:fs');
import path = require('node:path');
import type { FileFailure } from './file-failure';

/** What the walk found at one path, in the order it was found. */
export type FoundPath =
  /** A regular file to look at (explicit, or named with the document extension in a folder). */
  | { path: string; kind: 'file'; key: string }
  /** A symbolic link in a folder that leads nowhere; not a document. */
  | { path: string; kind: 'broken-link'; reason: string }
  /** A path that was asked for (or a folder that had to be read) and could not be. */
  | { path: string; kind: 'problem'; error: FileFailure };

/** Options of findDocuments. */
export interface FindOptions {
  /** The extension, with its dot, of the files picked up from folders (compared without regard to case). */
  extension: string;
  /** Descend into subfolders (default false: only a folder's direct entries). */
  recursive?: boolean;
  /** Folders never walked into (e.g. the backup folder: its files are old versions on purpose). */
  excludeFolders?: readonly string[];
}

/**
 * Expands paths into the files to consider: a file given explicitly is taken whatever its name;
 * a folder contributes its regular files named `*<extension>` (case-insensitive), sorted by
 * name, and with `recursive` those of its subfolders too. Symbolic links are followed; a folder
 * is entered at most once (by device and inode), so link loops end. Never throws: a missing
 * path or an unreadable folder becomes a `problem` entry.
 *
 * Each file carries `key`, its identity on disk (device and inode, or the real path where the
 * file system has no inode numbers), so callers can tell when two paths name the same file —
 * including hard links, which a real path does not reveal.
 */
export function findDocuments(paths: readonly string[], options: FindOptions): FoundPath[] {
  const extension = options.extension.toLowerCase();
  const isDocumentName = (name: string) => name.toLowerCase().endsWith(extension);
  const found: FoundPath[] = [];
  const entered = new Set<string>();
  const excluded = new Set<string>();
  for (const folder of options.excludeFolders ?? []) {
    const stat = statOrNull(path.resolve(folder));
    if (stat?.isDirectory()) excluded.add(identity(path.resolve(folder), stat));
  }
  for (const given of paths) {
    const absolute = path.resolve(given);
    let stat: fs.BigIntStats;
    try {
      stat = fs.statSync(absolute, { bigint: true });
    } catch (error) {
      found.push({ path: absolute, kind: 'problem', error: { code: 'NOT_FOUND', message: describeStatError(error, absolute) } });
      continue;
    }
    if (stat.isFile()) found.push({ path: absolute, kind: 'file', key: identity(absolute, stat) });
    else if (stat.isDirectory()) walk(absolute, stat, options.recursive === true, { entered, excluded, isDocumentName }, found);
    else found.push({ path: absolute, kind: 'problem', error: { code: 'NOT_FOUND', message: `${absolute} is not a regular file or a folder` } });
  }
  return found;
}

/**
 * Depth-first, entries sorted by name, with an explicit stack (deep trees do not overflow).
 * Excluded folders are skipped when met inside a walk; a folder given explicitly is always walked.
 */
function walk(
  root: string,
  rootStat: fs.BigIntStats,
  recursive: boolean,
  seen: { entered: Set<string>; excluded: Set<string>; isDocumentName: (name: string) => boolean },
  found: FoundPath[],
): void {
  const { entered, excluded } = seen;
  const stack: { folder: string; stat: fs.BigIntStats }[] = [{ folder: root, stat: rootStat }];
  while (stack.length) {
    const { folder, stat } = stack.pop()!;
    const id = identity(folder, stat);
    if (entered.has(id)) continue;
    entered.add(id);
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(folder, { withFileTypes: true });
    } catch (error) {
      found.push({ path: folder, kind: 'problem', error: { code: 'NOT_FOUND', message: `cannot read the folder ${folder}: ${(error as Error).message}` } });
      continue;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const subfolders: { folder: string; stat: fs.BigIntStats }[] = [];
    for (const entry of entries) {
      const full = path.join(folder, entry.name);
      if (!entry.isFile() && !entry.isDirectory() && !entry.isSymbolicLink()) continue;
      if (entry.isFile() && !seen.isDocumentName(entry.name)) continue;
      if (entry.isDirectory() && !recursive) continue;
      const target = statOrNull(full);
      if (!target) {
        if (seen.isDocumentName(entry.name)) found.push({ path: full, kind: 'broken-link', reason: `${full} is a symbolic link to a file that does not exist` });
        continue;
      }
      if (target.isFile() && seen.isDocumentName(entry.name)) found.push({ path: full, kind: 'file', key: identity(full, target) });
      else if (target.isDirectory() && recursive && !excluded.has(identity(full, target))) subfolders.push({ folder: full, stat: target });
    }
    // Reversed so the first subfolder is walked first.
    stack.push(...subfolders.reverse());
  }
}

function statOrNull(target: string): fs.BigIntStats | null {
  try {
    return fs.statSync(target, { bigint: true });
  } catch {
    return null;
  }
}

function identity(target: string, stat: fs.BigIntStats): string {
  if (stat.ino !== 0n) return `${stat.dev}:${stat.ino}`;
  try {
    return `real:${fs.realpathSync.native(target)}`;
  } catch {
    return `path:${target}`;
  }
}

function describeStatError(error: unknown, absolute: string): string {
  const code = (error as { code?: string }).code;
  if (code === 'ENOENT' || code === 'ENOTDIR') return `no such file or folder: ${absolute}`;
  if (code === 'ELOOP') return `${absolute} is a symbolic link that leads back to itself`;
  return `cannot look at ${absolute}: ${(error as Error).message}`;
}
