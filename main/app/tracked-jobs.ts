import path = require('node:path');
import { FieldbookError } from '@fieldbook/engine';
import type { DocumentId, Events, JobId } from '../ipc/contract';
import type { WindowKey } from './app-core';
import type { JobProgressMessage } from './jobs';
import { withoutFolders } from './without-folders';

/** What a tracked job runs for: the window and document it reports to, and the file it writes. */
export interface JobOwner {
  id: DocumentId;
  path: string;
  window: WindowKey;
  destination?: string;
}

/**
 * The background jobs a window started (exports, salvage), by the id the renderer gave them: each
 * can be cancelled while it runs, reports its copy progress to its window, and fails with a
 * message that names files, never folders (the renderer never sees paths).
 */
export class TrackedJobs {
  private readonly running = new Map<JobId, AbortController>();

  constructor(private readonly send: <E extends keyof Events>(window: WindowKey, event: E, payload: Events[E]) => void) {}

  cancel(jobId: JobId): void {
    this.running.get(jobId)?.abort();
  }

  async track<T>(jobId: JobId, owner: JobOwner, run: (signal: AbortSignal, onProgress: (p: JobProgressMessage) => void) => Promise<T>): Promise<T> {
    if (this.running.has(jobId)) throw new FieldbookError('BAD_REQUEST', 'that job is already running');
    const controller = new AbortController();
    this.running.set(jobId, controller);
    try {
      return await run(controller.signal, (p) => {
        if (p.kind === 'rows') this.send(owner.window, 'job-progress', { jobId, documentId: owner.id, phase: p.phase, copied: p.copied, total: p.total });
        if (p.kind !== 'copy') return;
        this.send(owner.window, 'job-progress', {
          jobId,
          documentId: owner.id,
          phase: p.progress.phase,
          copied: p.progress.copied,
          total: p.progress.total,
          table: p.progress.table,
        });
      });
    } catch (error) {
      const paths = [owner.path, ...(owner.destination ? [owner.destination] : [])];
      const code = (error as { code?: string }).code ?? 'INTERNAL';
      const message =
        code === 'SAME_FILE' && owner.destination
          ? `“${path.basename(owner.destination)}” is an open notebook (or the one being exported), so it cannot be replaced by the export. Choose another name; nothing was written or changed.`
          : withoutFolders((error as Error).message ?? String(error), paths);
      throw Object.assign(new Error(message), { code });
    } finally {
      this.running.delete(jobId);
    }
  }
}
