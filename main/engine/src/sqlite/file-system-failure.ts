import fs = require('node:fs');
import path = require('node:path');
import { FieldbookError, describeCause } from '../errors';
import { canWrite } from './file-access';

/**
 * The one place where failures of the file system, as Node (errno codes) and SQLite (result
 * codes) report them, become FieldbookErrors:
 * - EACCES, EPERM, EROFS, SQLITE_READONLY → READ_ONLY;
 * - ENOSPC, EDQUOT, EFBIG, SQLITE_FULL → NO_SPACE;
 * - ENOENT, ENOTDIR, ENAMETOOLONG, ELOOP → NOT_FOUND (no file can be at such a path);
 * - SQLITE_CANTOPEN and SQLITE_IOERR are explained by looking at the folder (missing,
 *   not writable, full); an I/O error nothing explains is IO_ERROR, never DAMAGED (a failed write
 *   says nothing about the bytes already on disk: DAMAGED is for SQLITE_CORRUPT/NOTADB only).
 * Messages name the file the user asked for and its folder, never internal temporary names.
 * Anything else is returned unchanged (it is a bug, shown with its stack).
 */
export function fileSystemFailure(error: unknown, file: string, doing: string): unknown {
  if (error instanceof FieldbookError) return error;
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') return error;
  const folder = path.dirname(file);
  const options = { cause: error, details: { path: file, folder } };
  const why = describeCause(error).replace(/\s*\n\s*/g, ' ');
  switch (errnoClass(code)) {
    case 'read-only':
      return new FieldbookError('READ_ONLY', `cannot ${doing} ${file}: ${readOnlyReason(code, folder)}`, options);
    case 'no-space':
      return new FieldbookError('NO_SPACE', `cannot ${doing} ${file}: the disk holding ${folder} is full (or its quota is used up); nothing was left half-written`, options);
    case 'missing':
      return new FieldbookError('NOT_FOUND', `cannot ${doing} ${file}: ${missingReason(code, folder)}`, options);
    case 'io':
      return new FieldbookError('IO_ERROR', `cannot ${doing} ${file}: the system reported an input/output error in ${folder} (${why})`, options);
    case 'explain': {
      const diagnosis = diagnoseFolder(folder);
      if (diagnosis === 'missing') return new FieldbookError('NOT_FOUND', `cannot ${doing} ${file}: no such folder: ${folder}`, options);
      if (diagnosis === 'read-only') return new FieldbookError('READ_ONLY', `cannot ${doing} ${file}: the folder ${folder} cannot be written`, options);
      if (diagnosis === 'full') return new FieldbookError('NO_SPACE', `cannot ${doing} ${file}: the disk holding ${folder} is full; nothing was left half-written`, options);
      if (code.startsWith('SQLITE_CANTOPEN')) return new FieldbookError('NOT_FOUND', `cannot ${doing} ${file} (${why})`, options);
      return new FieldbookError('IO_ERROR', `cannot ${doing} ${file}: the system reported an input/output error in ${folder} (${why})`, options);
    }
    default:
      return error;
  }
}

type ErrnoClass = 'read-only' | 'no-space' | 'missing' | 'io' | 'explain' | null;

function errnoClass(code: string): ErrnoClass {
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS' || code.startsWith('SQLITE_READONLY')) return 'read-only';
  if (code === 'ENOSPC' || code === 'EDQUOT' || code === 'EFBIG' || code === 'SQLITE_FULL') return 'no-space';
  if (code === 'ENOENT' || code === 'ENOTDIR' || code === 'ENAMETOOLONG' || code === 'ELOOP') return 'missing';
  if (code === 'EIO') return 'io';
  if (code.startsWith('SQLITE_CANTOPEN') || code.startsWith('SQLITE_IOERR')) return 'explain';
  return null;
}

function missingReason(code: string, folder: string): string {
  if (code === 'ENAMETOOLONG') return 'the name or path is too long for the file system';
  if (code === 'ELOOP') return 'the path has too many (or circular) symbolic links';
  let stat: fs.Stats | undefined;
  try {
    stat = fs.statSync(folder, { throwIfNoEntry: false });
  } catch {
    // A file where a folder should be (ENOTDIR): no such folder.
  }
  return stat?.isDirectory() ? 'no such file' : `no such folder: ${folder}`;
}

function readOnlyReason(code: string, folder: string): string {
  if (code === 'EROFS') return `${folder} is on a read-only file system`;
  if (code.startsWith('SQLITE_READONLY')) return `the file or its folder ${folder} is read-only`;
  return `you do not have permission to write in ${folder} (or it is locked against changes)`;
}

/**
 * A failure while a file was being built under the temporary name `temp` and placed at
 * `destination`, told in terms of the destination: file-system errors are mapped as
 * fileSystemFailure does (folder of the destination in the message), and the temporary name,
 * which means nothing to the user, is replaced by the destination's.
 */
export function writeFailure(error: unknown, temp: string, destination: string): unknown {
  const mapped = fileSystemFailure(error, destination, 'write');
  if (!(mapped instanceof FieldbookError) || !mapped.message.includes(temp)) return mapped;
  const reworded = new FieldbookError(mapped.code, mapped.message.split(temp).join(destination), {
    cause: mapped.cause ?? mapped,
    details: { ...mapped.details, path: destination },
  });
  return reworded;
}

/**
 * A failure while making a private temporary copy `copy` of the document `source` (to upgrade
 * or downgrade it, or to read a WAL document's last committed state): a full, read-only or
 * missing temporary folder is NO_SPACE, READ_ONLY or NOT_FOUND naming that folder, never
 * DAMAGED (the document was only read) and never an untyped error. Messages never show the
 * copy's internal name: a file-system failure names the temporary folder, any other failure of
 * the copy (its schema, a migration) names the source.
 */
export function privateCopyFailure(error: unknown, copy: string, source: string): unknown {
  const folder = path.dirname(copy);
  const mapped = fileSystemFailure(error, copy, `make a private copy of ${source} in`);
  if (!(mapped instanceof FieldbookError) || !mapped.message.includes(copy)) return mapped;
  // A failure of the file system names the folder; any other (the copy's schema, a migration) is the source's own.
  const fileSystem = mapped.code === 'NO_SPACE' || mapped.code === 'READ_ONLY' || mapped.code === 'NOT_FOUND' || mapped.code === 'IO_ERROR';
  const name = error instanceof FieldbookError ? (fileSystem ? `a private copy of ${source} in ${folder}` : source) : folder;
  return new FieldbookError(mapped.code, mapped.message.split(copy).join(name), {
    cause: mapped.cause ?? mapped,
    details: { ...mapped.details, path: source, ...(fileSystem ? { folder } : {}) },
  });
}

/**
 * Why a folder cannot take a new file, as far as the system tells: missing, not writable
 * (permission, immutable, read-only mount: access() reports all three, also for root), full
 * (no free blocks for this user), or null when none of these explains a failure.
 */
export function diagnoseFolder(folder: string): 'missing' | 'read-only' | 'full' | null {
  const stat = fs.statSync(folder, { throwIfNoEntry: false });
  if (!stat?.isDirectory()) return 'missing';
  if (!canWrite(folder)) return 'read-only';
  try {
    if (fs.statfsSync(folder).bavail === 0) return 'full';
  } catch {
    // statfs is missing on some platforms; the failure stays unexplained.
  }
  return null;
}
