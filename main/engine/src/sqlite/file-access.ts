import fs = require('node:fs');
import path = require('node:path');
import { FieldbookError } from '../errors';
import { obstructedCompanions } from './sqlite-header';

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
 * permission. SQLite needs to create its journal in the folder, so a read-only folder counts, and
 * so does a folder (or anything but a regular file) in the place of its `-journal`, `-wal` or `-shm`.
 */
export function readOnlyReason(absolute: string): string | null {
  const folder = path.dirname(absolute);
  const stat = fs.statSync(absolute);
  const folderStat = fs.statSync(folder);
  const file = writeRefusal(absolute);
  return (stat.mode & 0o222) === 0
    ? 'the file is read-only'
    : file === 'EROFS'
      ? 'it is on a read-only file system'
      : file
        ? 'you do not have permission to change it (or it is locked against changes)'
        : (folderStat.mode & 0o222) === 0 || writeRefusal(folder)
          ? `its folder ${folder} is read-only (SQLite needs to write a journal beside it)`
          : obstruction(absolute);
}

/** Why SQLite cannot keep its journal, WAL or shared memory beside `absolute`, or null. */
function obstruction(absolute: string): string | null {
  const [first] = obstructedCompanions(absolute);
  return first === undefined
    ? null
    : `${first} is ${fs.statSync(first).isDirectory() ? 'a folder' : 'not a regular file'}, where SQLite keeps its ${first.slice(absolute.length + 1)} file; move it away first`;
}

/**
 * Refuses files that must not be written (see readOnlyReason).
 * @throws FieldbookError READ_ONLY
 */
export function assertWritable(absolute: string): void {
  const why = readOnlyReason(absolute);
  if (why) throw new FieldbookError('READ_ONLY', `${absolute} cannot be changed: ${why}`, { details: { path: absolute } });
}
