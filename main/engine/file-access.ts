import * as fs from 'node:fs';
import * as path from 'node:path';
import { FieldbookError } from './errors';

/** True when this process may write `target` (a file or folder). */
export function canWrite(target: string): boolean {
  try {
    fs.accessSync(target, fs.constants.W_OK);
    return true;
  } catch {
    return false;
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
  return (stat.mode & 0o222) === 0 ? 'the file is read-only'
    : !canWrite(absolute) ? 'you do not have permission to change it'
    : (folderStat.mode & 0o222) === 0 || !canWrite(folder) ? `its folder ${folder} is read-only (SQLite needs to write a journal beside it)`
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
