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
 * Refuses files that must not be written: read-only permission bits (checked directly, since
 * access() always says yes to root) or a folder where SQLite cannot create its journal.
 * @throws FieldbookError READ_ONLY
 */
export function assertWritable(absolute: string): void {
  const stat = fs.statSync(absolute);
  const why = (stat.mode & 0o222) === 0 ? 'the file is read-only'
    : !canWrite(absolute) ? 'you do not have permission to change it'
    : !canWrite(path.dirname(absolute)) ? 'its folder is read-only (SQLite needs to write a journal beside it)'
    : null;
  if (why) throw new FieldbookError('READ_ONLY', `${absolute} cannot be changed: ${why}`, { details: { path: absolute } });
}
