import path = require('node:path');
import { writeFileSafely } from '@fieldbook/engine';
import type { AttachmentContent, SampleDetail } from '../ipc/contract';
import { PREVIEW_MAX_BYTES, previewOf, readAttachmentFile } from './attachment-files';
import type { DocumentSession } from './document-session';
import type { FileFilter, Shell, WindowKey } from './shell';

/** The open document of a window, as attachment actions need it. */
export interface WindowNotebook {
  session: DocumentSession;
  path: string;
}

const ATTACHABLE: FileFilter[] = [{ name: 'Photos, scans and documents', extensions: ['jpg', 'jpeg', 'png', 'gif', 'webp', 'tif', 'tiff', 'heic', 'pdf', 'txt', 'csv', 'md'] }];

/**
 * A sample's attachments as files: attach files the user picks (open dialog), show one (its
 * bytes, and how the window can preview them), save a copy where the user says (save dialog).
 * Files are read and written in main: the renderer never sees a path.
 */
export class AttachmentActions {
  constructor(
    private readonly shell: Shell,
    private readonly notebook: (window: WindowKey, id: string) => WindowNotebook,
    private readonly openPaths: () => string[],
  ) {}

  /**
   * Attaches the files the user picks to a sample, in one edit (one undo step): all of them, or
   * none when one cannot be read or is too large. Null when the dialog was cancelled.
   * @throws FieldbookError READ_ONLY_DOCUMENT, NOT_FOUND, INVALID_VALUE (field `file`), IO_ERROR
   */
  async attachFiles(window: WindowKey, id: string, sampleId: number): Promise<SampleDetail | null> {
    const { session } = this.notebook(window, id);
    await session.getSample(sampleId);
    const files = await this.shell.chooseOpenPaths(window, { title: 'Attach Files', filters: ATTACHABLE, multiple: true });
    if (files.length === 0) return null;
    return session.addAttachments(sampleId, files.map(readAttachmentFile));
  }

  /** An attachment's bytes and preview kind; no bytes for a file over PREVIEW_MAX_BYTES or without a preview. */
  async content(window: WindowKey, id: string, attachmentId: number): Promise<AttachmentContent> {
    const { session } = this.notebook(window, id);
    // A file too large to show is not read at all: its length says so.
    const about = await session.attachmentAbout(attachmentId);
    const shown = { id: about.id, filename: about.filename, mime: about.mime, bytes: about.bytes };
    if (about.bytes > PREVIEW_MAX_BYTES) return { ...shown, preview: null, base64: null };
    const row = await session.attachment(attachmentId);
    const preview = previewOf(row.mime, row.data);
    return { ...shown, bytes: row.data.length, preview, base64: preview ? row.data.toString('base64') : null };
  }

  /**
   * Saves a copy of an attachment where the user says (the dialog asked before replacing a
   * file), never onto an open notebook; its file name, null when cancelled.
   * @throws FieldbookError NOT_FOUND, SAME_FILE, NO_SPACE, READ_ONLY, IO_ERROR
   */
  async save(window: WindowKey, id: string, attachmentId: number): Promise<string | null> {
    const notebook = this.notebook(window, id);
    const row = await notebook.session.attachment(attachmentId);
    const extension = path.extname(row.filename).slice(1);
    const filters = extension ? [{ name: `${extension.toUpperCase()} files`, extensions: [extension] }] : [];
    const destination = await this.shell.chooseSavePath(window, { title: 'Save Attachment', defaultName: safeName(row.filename), filters });
    if (destination === null) return null;
    writeFileSafely(destination, row.data, { overwrite: true, sources: [notebook.path], openDocuments: this.openPaths() });
    return path.basename(destination);
  }
}

/** A stored file name as a name to save under: no folders, nothing the file systems refuse. */
function safeName(filename: string): string {
  const base = filename.split(/[\\/]/).pop() ?? '';
  // Control characters and the characters Windows refuses in names.
  // eslint-disable-next-line no-control-regex
  const cleaned = base.replace(/[\u0000-\u001f<>:"|?*]/g, '_').replace(/^[. ]+|[. ]+$/g, '');
  return cleaned || 'attachment';
}
