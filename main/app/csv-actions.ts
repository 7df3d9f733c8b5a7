import path = require('node:path');
import { FieldbookError } from '@fieldbook/engine';
import type { CsvExportOptions, CsvExportOutcome, CsvImportFile, CsvImportOutcome, CsvImportPreview, CsvImportSettings, DocumentId, JobId, SampleQuery } from '../ipc/contract';
import { writeFileAtomically } from './atomic-file';
import { writeSamplesCsv } from './csv-export';
import { commitImport, CsvImports, previewImport } from './csv-import';
import { confirmedReplacing } from './document-info';
import type { DocumentSession } from './document-session';
import type { Shell, WindowKey } from './shell';
import type { TrackedJobs } from './tracked-jobs';

const CSV_FILES = { name: 'CSV files', extensions: ['csv', 'txt'] };

/** What the CSV actions need of the app core: its shell, its jobs, and a window's document. */
export interface CsvHost {
  shell: Shell;
  jobs: TrackedJobs;
  /** The document `id` of `window` (BAD_REQUEST when it is not that window's), where its last export is remembered. */
  entry(window: WindowKey, id: DocumentId): { id: DocumentId; path: string; window: WindowKey; lastExport?: string };
  session(window: WindowKey, id: DocumentId): DocumentSession;
  /** Every document open in the app (never a destination). */
  openPaths(): string[];
}

/**
 * CSV out and in for a window's notebook: the export of what its sample list shows, and the
 * import of measurements through a mapping and a preview (csv-export.ts, csv-import.ts). Files
 * are chosen with the shell's dialogs; the renderer sees file names only.
 */
export class CsvActions {
  private readonly imports = new CsvImports();

  constructor(private readonly host: CsvHost) {}

  /**
   * Asks where to save (`<notebook> samples.csv`) and writes the samples `query` picks with their
   * measurements there, atomically, as a job the window can follow and cancel; null when the
   * dialog is cancelled. "Show file" (showLastExport) then shows it.
   * @throws FieldbookError SAME_FILE (the notebook, an open one, or a -journal/-wal/-shm of one), EXISTS, READ_ONLY, NO_SPACE, ABORTED
   */
  async exportCsv(window: WindowKey, id: DocumentId, query: SampleQuery, options: CsvExportOptions, jobId: JobId): Promise<CsvExportOutcome | null> {
    const entry = this.host.entry(window, id);
    const session = this.host.session(window, id);
    const stem = path.basename(entry.path, path.extname(entry.path));
    const destination = await this.host.shell.chooseSavePath(window, { title: 'Export Samples as CSV', defaultName: `${stem} samples.csv`, filters: [CSV_FILES] });
    if (!destination) return null;
    const overwrite = confirmedReplacing(destination);
    const written = await this.host.jobs.track(jobId, { ...entry, destination }, (signal, onProgress) =>
      session.betweenEdits(() =>
        writeFileAtomically(destination, { overwrite, sources: [entry.path], openDocuments: this.host.openPaths() }, (sink) =>
          writeSamplesCsv(session.handle.db, query, sink, {
            ...options,
            signal,
            onProgress: (copied, total) => onProgress({ kind: 'rows', phase: 'writing', copied, total }),
          }),
        ),
      ),
    );
    entry.lastExport = path.resolve(destination);
    return { name: path.basename(destination), samples: written.samples, rows: written.rows };
  }

  /**
   * Asks for a CSV file and reads it for import into the window's notebook; null when cancelled.
   * @throws FieldbookError READ_ONLY_DOCUMENT (before asking), BAD_IMPORT, NOT_FOUND
   */
  async chooseImport(window: WindowKey, id: DocumentId): Promise<CsvImportFile | null> {
    if (this.host.session(window, id).handle.readOnly) {
      throw new FieldbookError('READ_ONLY_DOCUMENT', 'this notebook is open read-only, so nothing can be imported into it');
    }
    const [file] = await this.host.shell.chooseOpenPaths(window, { title: 'Import Measurements from CSV', filters: [CSV_FILES], multiple: false });
    if (!file) return null;
    return this.imports.read(id, file);
  }

  preview(window: WindowKey, id: DocumentId, importId: string, settings: CsvImportSettings): CsvImportPreview {
    const session = this.host.session(window, id);
    return previewImport(session.handle.db, this.imports.get(id, importId), settings);
  }

  /** Imports the chosen file (commitImport); the file is forgotten once it is imported. */
  async importCsv(window: WindowKey, id: DocumentId, importId: string, settings: CsvImportSettings): Promise<CsvImportOutcome> {
    const session = this.host.session(window, id);
    const outcome = await commitImport(session, this.imports.get(id, importId), settings);
    this.imports.discard(id, importId);
    return outcome;
  }

  discard(window: WindowKey, id: DocumentId, importId: string): void {
    this.host.entry(window, id);
    this.imports.discard(id, importId);
  }

  /** Forgets what was read for a document that closed. */
  closed(id: DocumentId): void {
    this.imports.forgetDocument(id);
  }
}
