import { createHash } from 'node:crypto';
import fs = require('node:fs');
import path = require('node:path');
import { FieldbookError } from '@fieldbook/engine';
import type { AttachmentPreview } from '../ipc/contract';

/** The largest file the app attaches (SQLite holds up to 1 GB in a value; a notebook full of such files is slow to back up). */
export const ATTACHMENT_MAX_BYTES = 100 * 1024 * 1024;
/** The largest attachment the window previews (its bytes cross to the renderer). */
export const PREVIEW_MAX_BYTES = 32 * 1024 * 1024;
/** The largest text shown as text. */
const TEXT_PREVIEW_MAX_BYTES = 1024 * 1024;

/** A file read to be attached: the `attachments` row's values. */
export interface AttachmentFile {
  filename: string;
  mime: string | null;
  data: Buffer;
  sha256: string;
}

const BY_EXTENSION: Record<string, string> = {
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.png': 'image/png',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.bmp': 'image/bmp',
  '.avif': 'image/avif',
  '.svg': 'image/svg+xml',
  '.tif': 'image/tiff',
  '.tiff': 'image/tiff',
  '.heic': 'image/heic',
  '.pdf': 'application/pdf',
  '.txt': 'text/plain',
  '.csv': 'text/csv',
  '.tsv': 'text/tab-separated-values',
  '.md': 'text/markdown',
  '.json': 'application/json',
  '.xml': 'application/xml',
  '.zip': 'application/zip',
  '.xlsx': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  '.docx': 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  '.mp3': 'audio/mpeg',
  '.wav': 'audio/wav',
  '.mp4': 'video/mp4',
};

/** Images Chromium shows, by their first bytes (a file's content, not its name, decides how it is shown). */
const SIGNATURES: { mime: string; test: (b: Buffer) => boolean }[] = [
  { mime: 'image/png', test: (b) => b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) },
  { mime: 'image/jpeg', test: (b) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff },
  { mime: 'image/gif', test: (b) => /^GIF8[79]a/.test(b.subarray(0, 6).toString('latin1')) },
  { mime: 'image/webp', test: (b) => b.subarray(0, 4).toString('latin1') === 'RIFF' && b.subarray(8, 12).toString('latin1') === 'WEBP' },
  { mime: 'image/bmp', test: (b) => b.subarray(0, 2).toString('latin1') === 'BM' && b.length > 26 },
  // PDF readers accept a header anywhere in the first kilobyte.
  { mime: 'application/pdf', test: (b) => b.subarray(0, 1024).includes('%PDF-') },
];

/** The type of a file: from its content where it is one of the kinds the app shows, else from its name; null when unknown. */
export function mimeOf(filename: string, data: Buffer): string | null {
  return SIGNATURES.find((s) => s.test(data))?.mime ?? BY_EXTENSION[path.extname(filename).toLowerCase()] ?? null;
}

/**
 * How the window can show an attachment, decided by its bytes (a stored `mime` can be wrong, or
 * missing in an old notebook): an image Chromium decodes, a PDF, UTF-8 text, or nothing.
 */
export function previewOf(mime: string | null, data: Buffer): AttachmentPreview {
  const sniffed = SIGNATURES.find((s) => s.test(data))?.mime;
  if (sniffed === 'application/pdf') return 'pdf';
  if (sniffed) return 'image';
  if (mime === 'image/svg+xml' && /<svg[\s>]/.test(data.subarray(0, 4096).toString('utf8'))) return 'image';
  const textual = mime !== null && (mime.startsWith('text/') || mime === 'application/json' || mime === 'application/xml');
  if (textual && data.length <= TEXT_PREVIEW_MAX_BYTES && !data.includes(0) && isUtf8(data)) return 'text';
  return null;
}

function isUtf8(data: Buffer): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(data);
    return true;
  } catch {
    return false;
  }
}

/**
 * Reads a file to attach. Only a regular file up to ATTACHMENT_MAX_BYTES is taken, its size read
 * from the open file (so a file that grows meanwhile is read as it was measured).
 * @throws FieldbookError INVALID_VALUE (field `file`) for a folder, a device or a file too large; NOT_FOUND, IO_ERROR
 */
export function readAttachmentFile(file: string): AttachmentFile {
  const filename = path.basename(file);
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new FieldbookError('NOT_FOUND', `${filename} is gone: it was moved or deleted`);
    throw new FieldbookError('IO_ERROR', `${filename} cannot be read (${code ?? 'error'})`, { cause: error });
  }
  try {
    const stat = fs.fstatSync(fd);
    if (!stat.isFile()) throw new FieldbookError('INVALID_VALUE', `${filename} is not a file`, { details: { field: 'file' } });
    if (stat.size > ATTACHMENT_MAX_BYTES) {
      throw new FieldbookError('INVALID_VALUE', `${filename} is too large to attach (${megabytes(stat.size)}; files up to ${megabytes(ATTACHMENT_MAX_BYTES)} can be attached)`, {
        details: { field: 'file' },
      });
    }
    const data = Buffer.alloc(stat.size);
    for (let read = 0; read < data.length;) {
      const n = fs.readSync(fd, data, read, data.length - read, read);
      if (n === 0) throw new FieldbookError('IO_ERROR', `${filename} became shorter while it was read; attach it again`);
      read += n;
    }
    return { filename, mime: mimeOf(filename, data), data, sha256: createHash('sha256').update(data).digest('hex') };
  } catch (error) {
    if (error instanceof FieldbookError) throw error;
    throw new FieldbookError('IO_ERROR', `${filename} cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`, { cause: error });
  } finally {
    fs.closeSync(fd);
  }
}

export function megabytes(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(bytes < 10 * 1024 * 1024 ? 1 : 0)} MB`;
}
