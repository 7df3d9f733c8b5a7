import { randomUUID } from 'node:crypto';
import path = require('node:path');
import { backupFolderFor, type Classification, type Engine, FieldbookError, type MigrateResult, openDocument, storageWarning } from '@fieldbook/engine';
import { fieldbookEngine } from '../fieldbook/fieldbook-engine';
import type { DocumentId, DocumentInfo, JobId, WindowDocument } from '../ipc/contract';
import { newerNotebookView } from './newer-notebooks';
import type { AppCoreOptions, WindowKey } from './shell';
import { checkForDamage, requireLatestBackup } from './damaged-notebooks';
import { CsvActions } from './csv-actions';
import { DocumentExports } from './document-exports';
import { documentInfo } from './document-info';
import { VerifiedStates } from './verified-states';
import { DocumentSession } from './document-session';
import { runJob } from './jobs';
import { adviceFor } from './open-advice';
import { StartActions } from './start-actions';
import { AttachmentActions } from './attachment-actions';
import { withoutFolders } from './without-folders';
import { TrackedJobs } from './tracked-jobs';

export type { AppCoreOptions, Shell, WindowKey } from './shell';

export interface OpenEntry {
  id: DocumentId;
  path: string;
  window: WindowKey;
  view: WindowDocument;
  session: DocumentSession | null;
  lastBackup: string | null;
  /** The file the window's last export wrote ("Show file" in its result). */
  lastExport?: string;
}

/**
 * The app's state and operations, in plain Node: the documents open in windows and what can be
 * done to them. The Electron shell and the browser-test bridge both drive this same object
 * through the IPC handlers. Upgrades and exports run as background jobs; everything on this
 * thread is a short query.
 */
export class AppCore {
  readonly engine: Engine;
  /** The start screen's and File menu's open, new and sample actions. */
  readonly start: StartActions;
  /** A sample's attachments as files: attach, preview, save a copy. */
  readonly attachments: AttachmentActions;
  /** CSV export of a window's sample list and import of measurements. */
  readonly csv: CsvActions;
  /** Salvage, subset and version exports, and copies of newer notebooks, each a background job. */
  readonly exports: DocumentExports;
  private readonly documents = new Map<DocumentId, OpenEntry>();
  private readonly jobs: TrackedJobs;
  private readonly verified: VerifiedStates;

  constructor(private readonly options: AppCoreOptions) {
    this.engine = fieldbookEngine(options.engineSettings);
    this.verified = new VerifiedStates(options.verifiedStatesFile ?? null);
    this.jobs = new TrackedJobs((window, event, payload) => options.shell.send(window, event, payload));
    this.start = new StartActions(options.shell, this.engine, options.samplesFolder);
    this.attachments = new AttachmentActions(
      options.shell,
      (window, id) => ({ session: this.session(window, id), path: this.entry(window, id).path }),
      () => this.openPaths(),
    );
    this.exports = new DocumentExports({
      shell: options.shell,
      jobs: this.jobs,
      engine: this.engine,
      engineSettings: options.engineSettings,
      entry: (w, id) => this.entry(w, id),
      openPaths: () => this.openPaths(),
    });
    this.csv = new CsvActions({
      shell: options.shell,
      jobs: this.jobs,
      entry: (w, id) => this.entry(w, id),
      session: (w, id) => this.session(w, id),
      openPaths: () => this.openPaths(),
    });
  }

  /** The document already open at this path, if any (to focus its window instead of opening it twice). */
  findOpen(file: string): { id: DocumentId; window: WindowKey } | null {
    const absolute = path.resolve(file);
    for (const entry of this.documents.values()) if (entry.path === absolute) return { id: entry.id, window: entry.window };
    return null;
  }

  /**
   * Opens a document for a window through the engine's open path (openDocument: one
   * classification), with the upgrade an outdated document needs run in a background job
   * (progress goes to the window); a document from a newer app opens read-only. A file that
   * cannot be opened leaves the window showing why, and is never touched. Resolves when the
   * document is ready or has failed (see `windowDocument`).
   */
  async open(file: string, window: WindowKey): Promise<DocumentId> {
    const absolute = path.resolve(file);
    const id = randomUUID();
    const entry: OpenEntry = {
      id,
      path: absolute,
      window,
      session: null,
      lastBackup: null,
      view: {
        id,
        name: path.basename(absolute),
        state: 'opening',
        status: null,
        readOnly: false,
        upgrading: null,
        upgraded: null,
        readOnlyReason: null,
        error: null,
        check: null,
        damage: null,
        storageWarning: null,
        compatibility: null,
        canOpenCopy: false,
      },
    };
    this.documents.set(id, entry);
    try {
      const handle = await openDocument(absolute, { engine: this.engine, upgrade: (classification) => this.upgradeInJob(entry, classification) });
      entry.session = new DocumentSession(handle);
      this.update(entry, {
        state: 'ready',
        status: handle.classification.status,
        readOnly: handle.readOnly,
        upgrading: null,
        ...newerNotebookView(handle.classification, absolute),
      });
      const warning = storageWarning(absolute);
      if (warning) this.update(entry, { storageWarning: withoutFolders(warning, [absolute]) });
      const session = entry.session;
      if (!handle.readOnly)
        void checkForDamage(absolute, {
          jobs: this.options.shell.jobs,
          engineSettings: this.options.engineSettings,
          states: this.verified,
          update: (change) => {
            if (this.documents.get(id) === entry) this.update(entry, change);
          },
          refuseEdits: (reason) => session.refuseEdits(reason),
        });
    } catch (error) {
      const code = (error as { code?: string }).code ?? 'INTERNAL';
      const message = withoutFolders(error instanceof Error ? error.message : String(error), [absolute]);
      this.update(entry, { state: 'failed', upgrading: null, error: { code, message, advice: adviceFor(code) } });
    }
    return id;
  }

  /** The upgrade openDocument asks for, run as a background job whose steps the window shows. */
  private async upgradeInJob(entry: OpenEntry, classification: Classification): Promise<MigrateResult> {
    this.update(entry, { status: classification.status, upgrading: { step: 'starting', index: 0, total: this.engine.migrations.head - (classification.version ?? 0) } });
    const result = (await runJob(
      this.options.shell.jobs,
      { kind: 'upgrade', path: entry.path, classification, engine: this.options.engineSettings },
      {
        onProgress: (p) => {
          if (p.kind === 'step') this.update(entry, { upgrading: { step: p.name, index: p.index, total: p.total } });
        },
      },
    )) as MigrateResult;
    entry.lastBackup = result.backup;
    entry.view.upgraded = { from: result.from, to: result.to, backupName: result.backup ? path.basename(result.backup) : null };
    return result;
  }

  close(id: DocumentId): void {
    const entry = this.documents.get(id);
    entry?.session?.close();
    this.documents.delete(id);
    this.csv.closed(id);
  }

  closeWindow(window: WindowKey): void {
    for (const entry of [...this.documents.values()]) if (entry.window === window) this.close(entry.id);
  }

  closeAll(): void {
    for (const id of [...this.documents.keys()]) this.close(id);
  }

  /** The document a window shows. */
  windowDocument(window: WindowKey): WindowDocument {
    for (const entry of this.documents.values()) if (entry.window === window) return entry.view;
    throw new FieldbookError('NOT_FOUND', 'this window shows no document');
  }

  /** The entry for `id`, if it belongs to `window` (a window may only touch its own document). */
  entry(window: WindowKey, id: DocumentId): OpenEntry {
    const entry = this.documents.get(id);
    if (!entry || entry.window !== window) throw new FieldbookError('BAD_REQUEST', 'no such document in this window');
    return entry;
  }

  /** The open session for `id`. */
  session(window: WindowKey, id: DocumentId): DocumentSession {
    const session = this.entry(window, id).session;
    if (!session) throw new FieldbookError('NOT_FOUND', 'the document is not open');
    return session;
  }

  info(window: WindowKey, id: DocumentId): DocumentInfo {
    const entry = this.entry(window, id);
    return documentInfo(entry.view, this.session(window, id).handle.classification, backupFolderFor(this.engine.backupDir, entry.path), entry.lastBackup);
  }

  showBackup(window: WindowKey, id: DocumentId): void {
    const entry = this.entry(window, id);
    this.options.shell.showItemInFolder(entry.lastBackup ?? backupFolderFor(this.engine.backupDir, entry.path));
  }

  showDocumentFile(window: WindowKey, id: DocumentId): void {
    this.options.shell.showItemInFolder(this.entry(window, id).path);
  }

  /** Shows the file the window's last export wrote. @throws FieldbookError NOT_FOUND before any export */
  showLastExport(window: WindowKey, id: DocumentId): void {
    const file = this.entry(window, id).lastExport;
    if (!file) throw new FieldbookError('NOT_FOUND', 'nothing has been exported from this window yet');
    this.options.shell.showItemInFolder(file);
  }

  async openLatestBackup(window: WindowKey, id: DocumentId): Promise<void> {
    await this.options.shell.openDocumentWindow(requireLatestBackup(this.engine, this.entry(window, id).path));
  }

  /** Paths of every document open in a window (the engine refuses them as destinations: SAME_FILE). */
  private openPaths(): string[] {
    return [...new Set([...this.documents.values()].map((e) => e.path))];
  }

  cancelJob(jobId: JobId): void {
    this.jobs.cancel(jobId);
  }

  private update(entry: OpenEntry, change: Partial<WindowDocument>): void {
    entry.view = { ...entry.view, ...change };
    this.options.shell.send(entry.window, 'document-changed', entry.view);
  }
}
