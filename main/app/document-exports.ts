import * as path from 'node:path';
import type { Engine, ExportDocumentResult, SalvageResult, SubsetResult } from '@fieldbook/engine';
import type { FieldbookEngineSettings } from '../fieldbook/fieldbook-engine';
import type { CopyForVersionOutcome, DocumentId, ExportOutcome, JobId, SalvageOutcome, SubsetSelection } from '../ipc/contract';
import type { OpenEntry } from './app-core';
import { salvageOutcome } from './damaged-notebooks';
import { confirmedReplacing } from './document-info';
import { runJob } from './jobs';
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
    const entry = this.parts.entry(window, id);
    const destination = await this.parts.shell.chooseSavePath(window, {
      title: 'Salvage into a New Notebook',
      defaultName: `${path.basename(entry.path, path.extname(entry.path))} (salvaged).fieldbook`,
    });
    if (!destination) return null;
    const openDocuments = this.parts.openPaths();
    return salvageOutcome(
      (await this.parts.jobs.track(jobId, { ...entry, destination }, (signal) =>
        runJob(
          this.parts.shell.jobs,
          {
            kind: 'salvage',
            source: entry.path,
            destination,
            overwrite: confirmedReplacing(destination),
            openDocuments,
            engine: this.parts.engineSettings,
          },
          { signal, openInParent: openDocuments },
        ),
      )) as SalvageResult,
    );
  }

  async exportSubset(window: WindowKey, id: DocumentId, selection: SubsetSelection, jobId: JobId): Promise<ExportOutcome | null> {
    const entry = this.parts.entry(window, id);
    const stem = path.basename(entry.path, path.extname(entry.path));
    const destination = await this.parts.shell.chooseSavePath(window, { title: 'Export Subset', defaultName: `${stem} subset.fieldbook` });
    if (!destination) return null;
    const openDocuments = this.parts.openPaths();
    const result = (await this.parts.jobs.track(jobId, { ...entry, destination }, (signal, onProgress) =>
      runJob(
        this.parts.shell.jobs,
        {
          kind: 'subset',
          source: entry.path,
          destination,
          selection,
          overwrite: confirmedReplacing(destination),
          openDocuments,
          engine: this.parts.engineSettings,
        },
        { signal, onProgress, openInParent: openDocuments },
      ),
    )) as SubsetResult;
    entry.lastExport = result.destination;
    return { name: path.basename(result.destination), version: result.version, counts: result.counts, empty: result.empty, lost: [] };
  }

  async exportForVersion(window: WindowKey, id: DocumentId, version: number, jobId: JobId): Promise<ExportOutcome | null> {
    const entry = this.parts.entry(window, id);
    const stem = path.basename(entry.path, path.extname(entry.path));
    const destination = await this.parts.shell.chooseSavePath(window, {
      title: `Export for Fieldbook version ${version}`,
      defaultName: `${stem} (version ${version}).fieldbook`,
    });
    if (!destination) return null;
    const openDocuments = this.parts.openPaths();
    const result = (await this.parts.jobs.track(jobId, { ...entry, destination }, (signal, onProgress) =>
      runJob(
        this.parts.shell.jobs,
        {
          kind: 'export',
          source: entry.path,
          destination,
          asVersion: version,
          overwrite: confirmedReplacing(destination),
          openDocuments,
          engine: this.parts.engineSettings,
        },
        { signal, onProgress, openInParent: openDocuments },
      ),
    )) as ExportDocumentResult;
    entry.lastExport = result.destination;
    return { name: path.basename(result.destination), version: result.version, counts: {}, empty: false, lost: result.lost };
  }

  /**
   * Writes a copy of a newer notebook at this version (the export job, which takes a newer
   * source back through the way back it carries; the notebook is only read) where the user
   * chooses, and opens it in a new window. Null when the dialog was cancelled.
   */
  async openCopyForThisVersion(window: WindowKey, id: DocumentId, jobId: JobId): Promise<CopyForVersionOutcome | null> {
    const entry = this.parts.entry(window, id);
    const destination = await this.parts.shell.chooseSavePath(window, { title: 'Open a Copy for This Version', defaultName: copyName(entry.path, this.parts.engine.appVersion) });
    if (!destination) return null;
    const openDocuments = this.parts.openPaths();
    const result = (await this.parts.jobs.track(jobId, { ...entry, destination }, (signal, onProgress) =>
      runJob(
        this.parts.shell.jobs,
        {
          kind: 'export',
          source: entry.path,
          destination,
          asVersion: this.parts.engine.migrations.head,
          overwrite: confirmedReplacing(destination),
          openDocuments,
          engine: this.parts.engineSettings,
        },
        { signal, onProgress, openInParent: openDocuments },
      ),
    )) as ExportDocumentResult;
    entry.lastExport = result.destination;
    await this.parts.shell.openDocumentWindow(result.destination);
    return copyOutcome(result);
  }
}
