import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Connection } from './connection';
import { sha256 } from './bundled-migrations';
import { FieldbookError } from './errors';

/**
 * The folder holding one document's backups: `<backupDir>/<name>-<hash of its absolute path>`,
 * so documents with the same name in different folders keep separate histories.
 */
export function backupFolderFor(backupDir: string, absolute: string): string {
  const stem = path.basename(absolute, path.extname(absolute)).replace(/[^\p{L}\p{N}._ -]+/gu, '_').slice(0, 80) || 'document';
  return path.join(backupDir, `${stem}-${sha256(absolute).slice(0, 10)}`);
}

/**
 * Copies a document with SQLite's online backup API into its backup folder, as
 * `<name>.v<version>.<UTC time>.fieldbook`. The copy is written under a `.partial` name,
 * fsynced, then renamed, so a crash never leaves a half backup that looks whole. Afterwards only
 * the newest `keep` backups of the document are kept.
 * @throws FieldbookError BACKUP_FAILED
 */
export async function backupDocument(db: Connection, absolute: string, version: number, backupDir: string, keep: number): Promise<string> {
  const folder = backupFolderFor(backupDir, absolute);
  const stem = path.basename(absolute, path.extname(absolute));
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  let target = path.join(folder, `${stem}.v${version}.${stamp}.fieldbook`);
  const partial = `${target}.partial`;
  try {
    fs.mkdirSync(folder, { recursive: true });
    for (let n = 2; fs.existsSync(target); n++) target = path.join(folder, `${stem}.v${version}.${stamp}-${n}.fieldbook`);
    await db.backup(partial, { progress: () => 1 << 30 });
    fsyncPath(partial);
    fs.renameSync(partial, target);
    fsyncPath(folder);
  } catch (error) {
    fs.rmSync(partial, { force: true });
    throw new FieldbookError('BACKUP_FAILED', `could not back up ${absolute} to ${folder}: ${(error as Error).message}`, { cause: error });
  }
  pruneBackups(folder, keep);
  return target;
}

/** Keeps the newest `keep` backups in a document's folder and removes leftovers of backups interrupted over ten minutes ago. */
export function pruneBackups(folder: string, keep: number): void {
  let entries: string[];
  try {
    entries = fs.readdirSync(folder);
  } catch {
    return;
  }
  const backups = entries
    .filter((e) => e.endsWith('.fieldbook'))
    .map((e) => ({ e, time: fs.statSync(path.join(folder, e)).mtimeMs }))
    .sort((a, b) => b.time - a.time || (a.e < b.e ? 1 : -1));
  for (const { e } of backups.slice(keep)) fs.rmSync(path.join(folder, e), { force: true });
  const stale = Date.now() - 10 * 60 * 1000;
  for (const e of entries.filter((x) => x.endsWith('.partial'))) {
    const file = path.join(folder, e);
    if ((fs.statSync(file, { throwIfNoEntry: false })?.mtimeMs ?? Infinity) < stale) fs.rmSync(file, { force: true });
  }
}

/** Flushes a file (or folder, where the platform allows) to stable storage. */
export function fsyncPath(target: string): void {
  let fd: number;
  try {
    fd = fs.openSync(target, 'r');
  } catch {
    return;
  }
  try {
    fs.fsyncSync(fd);
  } catch {
    // Folders cannot be fsynced on Windows; files always can.
  } finally {
    fs.closeSync(fd);
  }
}
