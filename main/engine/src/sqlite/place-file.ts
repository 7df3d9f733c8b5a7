import fs = require('node:fs');
import path = require('node:path');
import { fsyncPath } from './fsync';
import { FieldbookError } from '../errors';
import { forgetTemporaryFile } from './temp-files';

/**
 * Moves a finished file (written and fsynced beside the destination) into place atomically:
 * with `overwrite` it replaces whatever is there (rename); otherwise it refuses with EXISTS if
 * something is there, even if it appeared a moment ago (a hard link cannot replace a file).
 * The folder is fsynced so the new name survives a power loss. File-system errors are thrown
 * as they come (callers tell them in terms of the destination: writeFailure).
 */
export function placeFile(temp: string, destination: string, overwrite = false): void {
  if (overwrite) {
    fs.renameSync(temp, destination);
  } else {
    try {
      fs.linkSync(temp, destination);
      fs.rmSync(temp, { force: true });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') throw new FieldbookError('EXISTS', `${destination} already exists`, { details: { path: destination } });
      if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EXDEV' && code !== 'ENOSYS') throw error;
      // File systems without hard links (FAT, some network shares): check, then rename.
      if (fs.existsSync(destination)) throw new FieldbookError('EXISTS', `${destination} already exists`, { details: { path: destination } });
      fs.renameSync(temp, destination);
    }
  }
  forgetTemporaryFile(temp);
  fsyncPath(path.dirname(destination));
}
