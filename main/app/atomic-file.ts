import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import * as path from 'node:path';
import { FieldbookError } from '@fieldbook/engine';
import { checkDestination, clipName, fileSystemFailure, fsyncPath, NAME_MAX, type DistinctDestinationOptions } from '@fieldbook/engine/tooling';

/** Text written to a file being built, in order (buffered: call `write` as often as is natural). */
export interface TextSink {
  write(text: string): Promise<void>;
}

const BUFFER_BYTES = 1 << 16;

/** The hidden temporary name a file is built under, beside its destination (same folder: the rename is atomic). */
export function temporaryNameFor(destination: string): string {
  const suffix = `.${process.pid}.${randomBytes(4).toString('hex')}.partial`;
  return path.join(path.dirname(destination), `.${clipName(path.basename(destination), NAME_MAX - 1 - suffix.length)}${suffix}`);
}

/**
 * Writes a new file at `destination`, all or nothing. The destination is checked first with the
 * engine's rules (checkDestination): never one of `sources` or `openDocuments` — the notebook
 * itself however spelled, nor its `-journal`, `-wal` or `-shm` file (SAME_FILE) — an existing
 * file only with `overwrite` (EXISTS), in a folder that exists and can be written. `fill` writes
 * into a hidden temporary file beside it, which is then fsynced, the destination checked again,
 * and renamed into place (without `overwrite`, linked, so a file that appeared meanwhile is not
 * replaced). On any failure, `fill`'s included, the temporary file is removed and the
 * destination is as it was. File-system errors become FieldbookErrors naming the destination.
 * @throws FieldbookError SAME_FILE, EXISTS, NOT_FOUND, READ_ONLY, NO_SPACE, IO_ERROR, and whatever `fill` throws
 */
export async function writeFileAtomically<T>(destination: string, options: { overwrite: boolean } & DistinctDestinationOptions, fill: (sink: TextSink) => Promise<T>): Promise<T> {
  const target = checkDestination(destination, options.overwrite, options);
  const temp = temporaryNameFor(target);
  let handle: FileHandle | null = null;
  try {
    handle = await fs.promises.open(temp, 'wx');
    const file = handle;
    let pending: string[] = [];
    let pendingBytes = 0;
    const flush = async () => {
      if (pending.length === 0) return;
      const text = pending.join('');
      pending = [];
      pendingBytes = 0;
      await file.write(text, null, 'utf8');
    };
    const result = await fill({
      async write(text) {
        pending.push(text);
        pendingBytes += text.length;
        if (pendingBytes >= BUFFER_BYTES) await flush();
      },
    });
    await flush();
    await file.sync();
    await file.close();
    handle = null;
    checkDestination(target, options.overwrite, options);
    place(temp, target, options.overwrite);
    fsyncPath(path.dirname(target));
    return result;
  } catch (error) {
    throw inTermsOf(error, temp, target);
  } finally {
    await handle?.close().catch(() => undefined);
    fs.rmSync(temp, { force: true });
  }
}

function place(temp: string, target: string, overwrite: boolean): void {
  if (overwrite) return fs.renameSync(temp, target);
  try {
    fs.linkSync(temp, target);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') throw new FieldbookError('EXISTS', `${target} already exists`, { details: { path: target } });
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EXDEV' && code !== 'ENOSYS') throw error;
    // File systems without hard links (FAT, some network shares): check, then rename.
    if (fs.existsSync(target)) throw new FieldbookError('EXISTS', `${target} already exists`, { details: { path: target } });
    fs.renameSync(temp, target);
  }
}

/** A failure told about the destination: file-system errors mapped as the engine maps them, the temporary name never shown. */
function inTermsOf(error: unknown, temp: string, target: string): unknown {
  const mapped = fileSystemFailure(error, target, 'write');
  if (!(mapped instanceof FieldbookError) || !mapped.message.includes(temp)) return mapped;
  return new FieldbookError(mapped.code, mapped.message.split(temp).join(target), { cause: mapped.cause ?? mapped, details: { ...mapped.details, path: target } });
}
