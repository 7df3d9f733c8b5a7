import * as fs from 'node:fs';
import * as path from 'node:path';
import { FieldbookError } from './errors';

/** True when this process may write `target` (a file or folder). */
export function canWrite(target: string): boolean {
  return writeRefusal(target) === null;
}

/** Why `target` cannot be written (access()'s errno: EACCES, EPERM for immutable files, EROFS), or null. */
function writeRefusal(target: string): string | null {
  try {
    fs.accessSync(target, fs.constants.W_OK);
    return null;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code ?? 'EACCES';
  }
}

/**
 * Why `absolute` cannot be changed in place, or null when it can: read-only permission bits of
 * the file or of its folder (checked directly, since access() always says yes to root), or no
 * permission. SQLite needs to create its journal in the folder, so a read-only folder counts.
 */
export function readOnlyReason(absolute: string): string | null {
  const folder = path.dirname(absolute);
  const stat = fs.statSync(absolute);
  const folderStat = fs.statSync(folder);
  const file = writeRefusal(absolute);
  return (stat.mode & 0o222) === 0 ? 'the file is read-only'
    : file === 'EROFS' ? 'it is on a read-only file system'
    : file ? 'you do not have permission to change it (or it is locked against changes)'
    : (folderStat.mode & 0o222) === 0 || writeRefusal(folder) ? `its folder ${folder} is read-only (SQLite needs to write a journal beside it)`
    : null;
}

/**
 * Refuses files that must not be written (see readOnlyReason).
 * @throws FieldbookError READ_ONLY
 */
export function assertWritable(absolute: string): void {
  const why = readOnlyReason(absolute);
  if (why) throw new FieldbookError('READ_ONLY', `${absolute} cannot be changed: ${why}`, { details: { path: absolute } });
}
