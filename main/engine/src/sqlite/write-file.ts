import fs = require('node:fs');
import { checkDestination, type DistinctDestinationOptions } from './destination';
import { writeFailure } from './file-system-failure';
import { placeFile } from './place-file';
import { partialPathFor, removeDocumentFiles } from './temp-files';

/** How writeFileSafely writes: whether it may replace a file, and the documents it must never land on. */
export interface WriteFileOptions extends DistinctDestinationOptions {
  /** Replace a file already at the destination (the user agreed). Default false: EXISTS. */
  overwrite?: boolean;
}

/**
 * Writes a file that is not a document (an attachment saved out, a CSV export) the way the
 * engine writes documents: the destination is checked as exports check theirs
 * (checkDestination: never a document that is open or read — `sources`, `openDocuments` — or one
 * of its journal files, never a folder, in a folder that exists and can be written), built under a `.partial` name beside the
 * destination, fsynced, then moved into place, so the destination holds either what it held
 * before or the whole new content. `content` is the bytes, or chunks produced as it is written
 * (a generator streams a large file without holding it). Nothing is left behind on a failure.
 * @throws FieldbookError SAME_FILE, EXISTS (without `overwrite`), NO_SPACE, READ_ONLY, NOT_FOUND, IO_ERROR;
 *   whatever `content` throws while it is iterated (the partial file is removed)
 */
export function writeFileSafely(destination: string, content: string | Uint8Array | Iterable<string | Uint8Array>, options: WriteFileOptions = {}): void {
  const overwrite = options.overwrite === true;
  const target = checkDestination(destination, overwrite, options);
  const temp = partialPathFor(target);
  try {
    const fd = fs.openSync(temp, 'wx');
    try {
      const chunks = typeof content === 'string' || content instanceof Uint8Array ? [content] : content;
      for (const chunk of chunks) {
        const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
        for (let written = 0; written < bytes.length;) written += fs.writeSync(fd, bytes, written, bytes.length - written);
      }
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    // Checked again before the file takes the name: a document may have opened there meanwhile.
    checkDestination(target, overwrite, options);
    placeFile(temp, target, overwrite);
  } catch (error) {
    removeDocumentFiles(temp);
    throw writeFailure(error, temp, target);
  }
}
