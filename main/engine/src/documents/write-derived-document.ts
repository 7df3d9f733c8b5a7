import type { Engine } from '../engine';
import { FieldbookError } from '../errors';
import { checkDestination } from '../sqlite/destination';
import { writeFailure } from '../sqlite/file-system-failure';
import { fsyncPath } from '../sqlite/fsync';
import { placeFile } from '../sqlite/place-file';
import { partialPathFor, removeDocumentFiles } from '../sqlite/temp-files';
import { readableSource, type ReadableSource } from './readable-source';

/** What a write of a new document made from a source (an export, a subset) is told. */
export interface DerivedDocumentOptions {
  /** Replace an existing file at the destination (default false: EXISTS). */
  overwrite?: boolean;
  /** Documents open in this process, which the destination must not be. */
  openDocuments?: readonly string[];
  /** Stops the write at its next safe point (ABORTED); nothing is left behind. */
  signal?: AbortSignal;
}

/** @throws FieldbookError ABORTED when `signal` has been aborted (nothing was written yet, or it is removed). */
export function abortIfAsked(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new FieldbookError('ABORTED', 'the export was cancelled; nothing was written');
}

/**
 * Writes a new document derived from `source` at `destination`, all or nothing: the destination
 * is checked (never the source or an open document; EXISTS unless `overwrite`), the source made
 * readable at head (readableSource), `produce` fills a `.partial` file beside the destination,
 * which is fsynced and moved into place after the destination is checked again. On any failure
 * the partial file is removed and file-system errors become their FieldbookErrors.
 * @throws FieldbookError SAME_FILE, EXISTS, READ_ONLY, NO_SPACE, ABORTED, the source's codes and what `produce` throws
 */
export async function writeDerivedDocument<T>(
  engine: Engine,
  source: string,
  destination: string,
  options: DerivedDocumentOptions,
  produce: (readable: ReadableSource, temp: string, target: string) => Promise<T>,
): Promise<T> {
  const distinct = { sources: [source], openDocuments: options.openDocuments };
  const target = checkDestination(destination, options.overwrite === true, distinct);
  abortIfAsked(options.signal);
  const readable = await readableSource(engine, source);
  const temp = partialPathFor(target);
  try {
    const result = await produce(readable, temp, target);
    fsyncPath(temp);
    abortIfAsked(options.signal);
    checkDestination(target, options.overwrite === true, distinct);
    placeFile(temp, target, options.overwrite === true);
    return result;
  } catch (error) {
    throw writeFailure(error, temp, target);
  } finally {
    removeDocumentFiles(temp);
    readable.dispose();
  }
}
