import fs = require('node:fs');
import path = require('node:path');
import type { Connection } from '../sqlite/connection';
import type { EngineOption } from './classify';
import { randomHex, sha256, sha256Hash } from '../sqlite/hashing';
import { assertDistinctDestination } from '../sqlite/destination';
import { copyUnderReadLock } from './locked-copy';
import { FieldbookError } from '../errors';
import { fileSystemFailure } from '../sqlite/file-system-failure';
import { fsyncPath } from '../sqlite/fsync';
import { NAME_MAX, clipName, forgetTemporaryFile, processIsAlive, removeAtExit, removeDocumentFiles } from '../sqlite/temp-files';

/**
 * The folder holding one document's backups: `<backupDir>/<name>-<hash of its absolute path>`,
 * so documents with the same name in different folders keep separate histories.
 */
export function backupFolderFor(backupDir: string, absolute: string): string {
  const stem =
    path
      .basename(absolute, path.extname(absolute))
      .replace(/[^\p{L}\p{N}._ -]+/gu, '_')
      .slice(0, 80) || 'document';
  return path.join(backupDir, `${stem}-${sha256(absolute).slice(0, 10)}`);
}

/**
 * The backup folder a `backup` option means: false none, true the engine's, a string that
 * folder. An empty (or blank) folder name is refused rather than read as "no backup": it is
 * what an unset variable in `--backup-dir "$DIR"` gives, and skipping the backup silently
 * would leave the user without one.
 * @throws FieldbookError BACKUP_FAILED
 */
export function backupFolderSetting(backup: boolean | string | undefined, engineBackupDir: string): string | null {
  if (backup === false) return null;
  const folder = typeof backup === 'string' ? backup : engineBackupDir;
  if (folder.trim() === '')
    throw new FieldbookError('BACKUP_FAILED', 'the backup folder is empty (""); name a folder, or turn backups off explicitly (--no-backup, backup: false)');
  return folder;
}

/**
 * Copies a document into its backup folder (copyUnderReadLock: the system's copier in another
 * process while this connection holds the read lock; else SQLite's online backup API), as
 * `<name>.v<version>.<UTC time><extension>`. The folder is validated before anything is created
 * (prepareBackupFolder). The copy is written under a `.partial` name, fsynced, then renamed, so
 * a crash never leaves a half backup that looks whole. When the newest backup of the document
 * is of the same version and has the same bytes (a failed or interrupted attempt before), the
 * new copy is dropped and that backup's path is returned: retries do not pile up identical
 * backups. Afterwards only the newest `keep` backups of the document are kept.
 * @throws FieldbookError BACKUP_FAILED, SAME_FILE
 */
export async function backupDocument(db: Connection, absolute: string, version: number, backupDir: string, keep: number, extension: string): Promise<string> {
  const folder = backupFolderFor(path.resolve(backupDir), absolute);
  // Room for `.v<version>.<time>-<n>.p<pid>.<random><extension>.partial-journal` within NAME_MAX.
  const stem = clipName(path.basename(absolute, path.extname(absolute)), NAME_MAX - 80 - extension.length);
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  prepareBackupFolder(folder, absolute);
  const partial = path.join(folder, `${stem}.v${version}.${stamp}.p${process.pid}.${randomHex(3)}${extension}.partial`);
  let target = path.join(folder, `${stem}.v${version}.${stamp}${extension}`);
  removeAtExit(partial);
  try {
    for (let n = 2; fs.existsSync(target); n++) target = path.join(folder, `${stem}.v${version}.${stamp}-${n}${extension}`);
    assertDistinctDestination(target, { sources: [absolute] });
    if (!copyUnderReadLock(db, partial)) await db.backup(partial, { progress: () => 1 << 30 });
    fsyncPath(partial);
    const same = identicalNewestBackup(folder, `${stem}.v${version}.`, partial, extension);
    if (same) {
      removeDocumentFiles(partial);
      return same;
    }
    fs.renameSync(partial, target);
    forgetTemporaryFile(partial);
    fsyncPath(folder);
  } catch (error) {
    removeDocumentFiles(partial);
    if (error instanceof FieldbookError && error.code === 'SAME_FILE') throw error;
    const mapped = fileSystemFailure(error, target, 'write');
    const why = mapped instanceof FieldbookError ? mapped.message : (error as Error).message;
    throw new FieldbookError('BACKUP_FAILED', `could not back up ${absolute} to ${folder}: ${why.replace(/\s*\n\s*/g, ' ')}`, { cause: error, details: { folder } });
  }
  freshBackups.add(target);
  pruneBackups(folder, keep, extension);
  return target;
}

/** Backups this process wrote (not reused ones): only those may be discarded again. */
const freshBackups = new Set<string>();

/**
 * Removes a backup that backupDocument just wrote and that turned out useless (the document
 * changed before it could be locked); a reused older backup is left alone.
 */
export function discardBackup(file: string): void {
  if (!freshBackups.delete(file)) return;
  fs.rmSync(file, { force: true });
}

/** The newest finished backup named `<prefix>...<extension>` in `folder` with exactly the bytes of `copy`, if any. */
function identicalNewestBackup(folder: string, prefix: string, copy: string, extension: string): string | null {
  const newest = newestFirst(
    folder,
    fs.readdirSync(folder).filter((e) => e.startsWith(prefix) && e.endsWith(extension)),
  )[0];
  if (!newest || newest.stat.size !== fs.statSync(copy).size) return null;
  return fileSha256(newest.file) === fileSha256(copy) ? newest.file : null;
}

/** The regular files among `names` in `folder`, newest first (by modification time, then by name). */
function newestFirst(folder: string, names: readonly string[]): { file: string; stat: fs.Stats }[] {
  return names
    .map((e) => ({ file: path.join(folder, e), stat: fs.statSync(path.join(folder, e), { throwIfNoEntry: false }) }))
    .filter((b): b is { file: string; stat: fs.Stats } => b.stat?.isFile() === true)
    .sort((a, b) => b.stat.mtimeMs - a.stat.mtimeMs || (a.file < b.file ? 1 : -1));
}

/** The newest backup backupDocument made of a document (in its folder under the engine's backupDir), or null when there is none. */
export function latestBackup(filePath: string, options: EngineOption): string | null {
  const { engine } = options;
  const folder = backupFolderFor(path.resolve(engine.backupDir), path.resolve(filePath));
  let names: string[];
  try {
    names = fs.readdirSync(folder);
  } catch {
    return null;
  }
  return (
    newestFirst(
      folder,
      names.filter((e) => e.endsWith(engine.documentExtension)),
    )[0]?.file ?? null
  );
}

function fileSha256(file: string): string {
  const hash = sha256Hash();
  const fd = fs.openSync(file, 'r');
  try {
    const buffer = Buffer.allocUnsafe(1 << 20);
    for (let n; (n = fs.readSync(fd, buffer, 0, buffer.length, null)) > 0;) hash.update(buffer.subarray(0, n));
  } finally {
    fs.closeSync(fd);
  }
  return hash.digest('hex');
}

/**
 * File system types that only look like folders (Linux statfs magic numbers): proc, sysfs,
 * debugfs, tracefs, securityfs, cgroup, cgroup2, pstore, bpf, configfs, fusectl, binfmt_misc,
 * devpts, mqueue, efivarfs, selinuxfs. Writing a backup there is impossible or meaningless, and
 * Node's recursive mkdir can loop for minutes under /proc.
 */
const PSEUDO_FILE_SYSTEMS = new Set([
  0x9fa0, 0x62656572, 0x64626720, 0x74726163, 0x73636673, 0x27e0eb, 0x63677270, 0x6165676c, 0xcafe4a11, 0x62656570, 0x65735543, 0x42494e4d, 0x1cd1, 0x19800202, 0xde5e81e4,
  0xf97cff8c,
]);
/** Folders of Linux that hold kernel interfaces and devices, not files (devtmpfs reports tmpfs's type). */
const PSEUDO_FOLDERS = ['/proc', '/sys', '/dev'];

/**
 * Makes sure a backup folder can be created and written before anything is created: walks up
 * to the first existing ancestor and refuses when a component of the path is a file, when that
 * ancestor is on a pseudo file system (/proc, /sys, /dev, ...), or cannot be written; only then
 * creates the missing folders. Never hangs.
 * @throws FieldbookError BACKUP_FAILED (one line, naming the folder)
 */
export function prepareBackupFolder(folder: string, document: string): void {
  const target = path.resolve(folder);
  const fail = (why: string, cause?: unknown) => new FieldbookError('BACKUP_FAILED', `could not back up ${document} to ${target}: ${why}`, { cause, details: { folder: target } });
  let ancestor = target;
  let stat: fs.Stats | undefined;
  for (;;) {
    try {
      stat = fs.statSync(ancestor, { throwIfNoEntry: false });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOTDIR') throw fail(`${ancestor} cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`, error);
    }
    if (stat) break;
    const parent = path.dirname(ancestor);
    if (parent === ancestor) throw fail('no part of the path exists');
    ancestor = parent;
  }
  if (!stat.isDirectory()) throw fail(`${ancestor} is a file, not a folder`);
  let real = ancestor;
  try {
    real = fs.realpathSync(ancestor);
  } catch {
    // Judged by the path as given.
  }
  if (process.platform === 'linux' && PSEUDO_FOLDERS.some((p) => real === p || real.startsWith(p + '/'))) {
    throw fail(`${ancestor} is a system folder (${real.split('/')[1]}), not a place for files`);
  }
  try {
    const type = fs.statfsSync(ancestor).type;
    if (PSEUDO_FILE_SYSTEMS.has(type)) throw fail(`${ancestor} is on a system pseudo file system (type 0x${type.toString(16)}), not a place for files`);
  } catch (error) {
    if (error instanceof FieldbookError) throw error;
  }
  try {
    fs.accessSync(ancestor, fs.constants.W_OK);
  } catch (error) {
    throw fail(`${ancestor} cannot be written (${(error as NodeJS.ErrnoException).code ?? 'error'})`, error);
  }
  if (ancestor === target) return;
  try {
    fs.mkdirSync(target, { recursive: true });
  } catch (error) {
    const mapped = fileSystemFailure(error, path.join(target, 'backup'), 'create');
    throw fail(mapped instanceof FieldbookError ? `the folder could not be created (${mapped.code})` : (error as Error).message, error);
  }
}

/**
 * Keeps the newest `keep` backups in a document's folder and removes leftovers of interrupted
 * backups: at once when the process that wrote them is gone (their names carry its id), after
 * ten minutes for older names.
 */
export function pruneBackups(folder: string, keep: number, extension: string): void {
  let entries: string[];
  try {
    entries = fs.readdirSync(folder);
  } catch {
    return;
  }
  for (const { file } of newestFirst(
    folder,
    entries.filter((e) => e.endsWith(extension)),
  ).slice(keep))
    fs.rmSync(file, { force: true });
  const stale = Date.now() - 10 * 60 * 1000;
  for (const e of entries.filter((x) => x.endsWith('.partial'))) {
    const file = path.join(folder, e);
    const pid = Number(/\.p(\d+)\.[0-9a-f]{6}\.[^.]+\.partial$/.exec(e)?.[1]);
    const orphaned = Number.isInteger(pid) && pid !== process.pid && !processIsAlive(pid);
    if (orphaned || (fs.statSync(file, { throwIfNoEntry: false })?.mtimeMs ?? Infinity) < stale) fs.rmSync(file, { force: true });
  }
}
