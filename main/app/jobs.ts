import type { Classification, ExportDocumentResult, MigrateResult, SalvageResult, SubsetProgress, SubsetResult } from '@fieldbook/engine';
import type { FieldbookEngineSettings } from '../fieldbook/fieldbook-engine';

/**
 * Long SQLite work (upgrades, exports) runs off the main thread: in a worker thread under Node,
 * in a utility process under Electron (which reads from app.asar). Both speak this protocol.
 * Exports carry the paths of the documents open in the app (`openDocuments`), which the engine
 * refuses as destinations (SAME_FILE): the job's process cannot see them itself.
 */
export type Job =
  /** `classification`: what the open just found, so the upgrade does not classify again (its check under the write lock still runs). */
  | { kind: 'upgrade'; path: string; classification?: Classification; engine: FieldbookEngineSettings }
  | { kind: 'subset'; source: string; destination: string; selection: unknown; overwrite: boolean; openDocuments: string[]; engine: FieldbookEngineSettings }
  | { kind: 'export'; source: string; destination: string; asVersion: number; overwrite: boolean; openDocuments: string[]; engine: FieldbookEngineSettings }
  /** The check for damage of a document open in the app (classifyDocument with quick_check). */
  | { kind: 'verify'; path: string; engine: FieldbookEngineSettings }
  | { kind: 'salvage'; source: string; destination: string; overwrite: boolean; openDocuments: string[]; engine: FieldbookEngineSettings };

/** Progress a job reports: an upgrade's step, or an export's copying. */
export type JobProgressMessage = { kind: 'step'; name: string; index: number; total: number } | { kind: 'copy'; progress: SubsetProgress };

/** What a job resolves with: the engine call's result. */
export type JobResult = MigrateResult | SubsetResult | ExportDocumentResult | Classification | SalvageResult;

/** Messages to a job: run this job (with the documents open in the app), or cancel it. */
export type ToJob = { type: 'run'; job: Job; openInParent: string[] } | { type: 'cancel' };
/** Messages from a job: progress, its result, or its failure as `{code, message}`. */
export type FromJob = { type: 'progress'; progress: JobProgressMessage } | { type: 'done'; result: JobResult } | { type: 'failed'; error: { code: string; message: string } };

/** A running job process or thread, as the host starts it. */
export interface JobChannel {
  post(message: ToJob): void;
  onMessage(listener: (message: FromJob) => void): void;
  /** Called once when the process or thread ends (normally or not). */
  onExit(listener: (code: number) => void): void;
  kill(): void;
}

/** Starts job processes or threads (worker threads under Node, utility processes under Electron). */
export interface JobHost {
  start(): JobChannel;
}

/**
 * Runs one job on a fresh thread or process and resolves with its result. Aborting the signal
 * asks the job to stop (exports stop between chunks and leave nothing behind); if the job
 * disappears, the promise rejects rather than hanging.
 */
export function runJob(host: JobHost, job: Job, options: { onProgress?: (p: JobProgressMessage) => void; signal?: AbortSignal; openInParent?: string[] } = {}): Promise<JobResult> {
  return new Promise((resolve, reject) => {
    const channel = host.start();
    let settled = false;
    const finish = (action: () => void) => {
      if (settled) return;
      settled = true;
      options.signal?.removeEventListener('abort', cancel);
      action();
      channel.kill();
    };
    const cancel = () => channel.post({ type: 'cancel' });
    options.signal?.addEventListener('abort', cancel);
    channel.onMessage((message) => {
      if (message.type === 'progress') options.onProgress?.(message.progress);
      else if (message.type === 'done') finish(() => resolve(message.result));
      else finish(() => reject(Object.assign(new Error(message.error.message), { code: message.error.code })));
    });
    channel.onExit((code) => finish(() => reject(Object.assign(new Error(`the background job ended unexpectedly (exit code ${code})`), { code: 'INTERNAL' }))));
    channel.post({ type: 'run', job, openInParent: options.openInParent ?? [] });
    if (options.signal?.aborted) cancel();
  });
}
