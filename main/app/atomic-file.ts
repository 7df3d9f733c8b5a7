import type { FileHandle } from 'node:fs/promises';
import fs = require('node:fs');
import { checkDestination, partialPathFor, placeFile, removeDocumentFiles, writeFailure, type DistinctDestinationOptions } from '@fieldbook/engine/tooling';

/** Text written to a file being built, in order (buffered: call `write` as often as is natural). */
export interface TextSink {
  write(text: string): Promise<void>;
}

const BUFFER_CHARACTERS = 1 << 16;

/**
 * Writes a new file at `destination`, all or nothing, the way the engine writes its exports. The
 * destination is checked first (checkDestination): never one of `sources` or `openDocuments` —
 * the notebook itself however spelled, nor its `-journal`, `-wal` or `-shm` file (SAME_FILE) — an
 * existing file only with `overwrite` (EXISTS), in a folder that exists and can be written.
 * `fill` writes into a hidden `.partial` file beside it (partialPathFor: same folder, so the
 * rename is atomic; removed at exit if the process dies), which is then fsynced, the destination
 * checked again, and moved into place (placeFile: without `overwrite` a file that appeared
 * meanwhile is not replaced; the folder is fsynced). On any failure, `fill`'s included, the
 * partial file is removed and the destination is as it was; file-system errors become
 * FieldbookErrors naming the destination (writeFailure).
 * @throws FieldbookError SAME_FILE, EXISTS, NOT_FOUND, READ_ONLY, NO_SPACE, IO_ERROR, and whatever `fill` throws
 */
export async function writeFileAtomically<T>(destination: string, options: { overwrite: boolean } & DistinctDestinationOptions, fill: (sink: TextSink) => Promise<T>): Promise<T> {
  const target = checkDestination(destination, options.overwrite, options);
  const temp = partialPathFor(target);
  let handle: FileHandle | null = null;
  try {
    handle = await fs.promises.open(temp, 'wx');
    const file = handle;
    let pending: string[] = [];
    let pendingCharacters = 0;
    const flush = async () => {
      if (pending.length === 0) return;
      const text = pending.join('');
      pending = [];
      pendingCharacters = 0;
      await file.write(text, null, 'utf8');
    };
    const result = await fill({
      async write(text) {
        pending.push(text);
        pendingCharacters += text.length;
        if (pendingCharacters >= BUFFER_CHARACTERS) await flush();
      },
    });
    await flush();
    await file.sync();
    await file.close();
    handle = null;
    checkDestination(target, options.overwrite, options);
    placeFile(temp, target, options.overwrite);
    return result;
  } catch (error) {
    throw writeFailure(error, temp, target);
  } finally {
    await handle?.close().catch(() => undefined);
    removeDocumentFiles(temp);
  }
}
