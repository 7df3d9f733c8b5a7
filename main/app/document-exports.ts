import path = require('node:path');
import type { Engine, ExportDocumentResult, SalvageResult, SubsetResult } from '@fieldbook/engine';
import type { FieldbookEngineSettings } from '../fieldbook/fieldbook-engine';
import type { CopyForVersionOutcome, DocumentId, ExportOutcome, JobId, SalvageOutcome, SubsetSelection } from '../ipc/contract';
import type { OpenEntry } from './app-core';
import { salvageOutcome } from './damaged-notebooks';
import { confirmedReplacing } from './document-info';
import { runJob, type Job } from './jobs';
import { copyName, copyOutcome } from './newer-notebooks';
import type { Shell, WindowKey } from './shell';
import type { TrackedJobs } from './tracked-jobs';

/** What DocumentExports works with: the app core's shell, jobs, engine and open documents. */
export interface DocumentExportParts {
  shell: Shell;
  jobs: TrackedJobs;
  engine: Engine;
  engineSettings: FieldbookEngineSettings;
  entry: (window: WindowKey, id: DocumentId) => OpenEntry;
  /** Paths of every document open in a window (the engine refuses them as destinations: SAME_FILE). */
  openPaths: () => string[];
}

/**
 * What a window writes from its notebook into a new file the user names (save dialog): a
 * salvage of a damaged notebook, a subset, an export for an older version, a copy of a newer
 * notebook for this version. Each runs as a tracked background job (progress, cancel) that only
 * reads the notebook; the result remembers the file for "Show file".
 */
export class DocumentExports {
  constructor(private readonly parts: DocumentExportParts) {}

  /** Salvages a (damaged) notebook into a new one the user names (save dialog); null when cancelled. */
  async salvage(window: WindowKey, id: DocumentId, jobId: JobId): Promise<SalvageOutcome | null> {
    const written = await this.writeNew<SalvageResult>(window, id, jobId, { kind: 'salvage' }, (stem) => ({
      title: 'Salvage into a New Notebook',
      defaultName: `${stem} (salvaged).fieldbook`,
    }));
    return written && salvageOutcome(written.result);
  }

  async exportSubset(window: WindowKey, id: DocumentId, selection: SubsetSelection, jobId: JobId): Promise<ExportOutcome | null> {
    const written = await this.writeNew<SubsetResult>(window, id, jobId, { kind: 'subset', selection }, (stem) => ({
      title: 'Export Subset',
      defaultName: `${stem} subset.fieldbook`,
    }));
    if (!written) return null;
    const { result } = written;
    return { name: path.basename(result.destination), version: result.version, counts: result.counts, empty: result.empty, lost: [] };
  }

  async exportForVersion(window: WindowKey, id: DocumentId, version: number, jobId: JobId): Promise<ExportOutcome | null> {
    const written = await this.writeNew<ExportDocumentResult>(window, id, jobId, { kind: 'export', asVersion: version }, (stem) => ({
      title: `Export for Fieldbook version ${version}`,
      defaultName: `${stem} (version ${version}).fieldbook`,
    }));
    if (!written) return null;
    const { result } = written;
    return { name: path.basename(result.destination), version: result.version, counts: {}, empty: false, lost: result.lost };
  }

  /**
   * Writes a copy of a newer notebook at this version (the export job, which takes a newer
   * source back through the way back it carries; the notebook is only read) where the user
   * chooses, and opens it in a new window. Null when the dialog was cancelled.
   */
  async openCopyForThisVersion(window: WindowKey, id: DocumentId, jobId: JobId): Promise<CopyForVersionOutcome | null> {
    const { engine } = this.parts;
    const written = await this.writeNew<ExportDocumentResult>(window, id, jobId, { kind: 'export', asVersion: engine.migrations.head }, (_stem, file) => ({
      title: 'Open a Copy for This Version',
      defaultName: copyName(file, engine.appVersion),
    }));
    if (!written) return null;
    await this.parts.shell.openDocumentWindow(written.result.destination);
    return copyOutcome(written.result);
  }

  /**
   * The shape of every action here: the save dialog (named after the notebook's file name
   * `stem`), then the job writing the new file from the notebook, tracked under `jobId`, never
   * onto a document open in a window; the file is remembered for "Show file". Null when the
   * dialog was cancelled.
   */
  private async writeNew<T extends { destination: string }>(
    window: WindowKey,
    id: DocumentId,
    jobId: JobId,
    job: { kind: 'salvage' } | { kind: 'subset'; selection: unknown } | { kind: 'export'; asVersion: number },
    dialog: (stem: string, file: string) => { title: string; defaultName: string },
  ): Promise<{ result: T } | null> {
    const entry = this.parts.entry(window, id);
    const destination = await this.parts.shell.chooseSavePath(window, dialog(path.basename(entry.path, path.extname(entry.path)), entry.path));
    if (!destination) return null;
    const openDocuments = this.parts.openPaths();
    const request = { ...job, source: entry.path, destination, overwrite: confirmedReplacing(destination), openDocuments, engine: this.parts.engineSettings } as Job;
    const result = (await this.parts.jobs.track(jobId, { ...entry, destination }, (signal, onProgress) =>
      runJob(this.parts.shell.jobs, request, { signal, onProgress, openInParent: openDocuments }),
    )) as unknown as T;
    entry.lastExport = result.destination;
    return { result };
  }
}
