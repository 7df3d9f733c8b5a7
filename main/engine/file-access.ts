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
 * Refuses files that must not be written: read-only permission bits (checked directly, since
 * access() always says yes to root) or a folder where SQLite cannot create its journal.
 * @throws FieldbookError READ_ONLY
 */
export function assertWritable(absolute: string): void {
  const stat = fs.statSync(absolute);
  const file = writeRefusal(absolute);
  const folder = file ? null : writeRefusal(path.dirname(absolute));
  const why = (stat.mode & 0o222) === 0 ? 'the file is read-only'
    : file === 'EROFS' ? 'it is on a read-only file system'
    : file ? 'you do not have permission to change it (or it is locked against changes)'
    : folder ? `its folder ${path.dirname(absolute)} is read-only (SQLite needs to write a journal beside it)`
    : null;
  if (why) throw new FieldbookError('READ_ONLY', `${absolute} cannot be changed: ${why}`, { details: { path: absolute } });
}
