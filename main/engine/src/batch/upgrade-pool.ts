import path = require('node:path');
import { Worker } from 'node:worker_threads';
import type { EngineSettings } from '../engine';
import { fileFailure, type FileFailure } from './file-failure';
import type { MigrateResult } from '../documents/migrate';
import type { Target } from '../migrations/targets';

/** One document to upgrade, as sent to a worker. */
export interface UpgradeJob {
  id: number;
  path: string;
  to?: Target;
  backup: boolean | string;
  /** The engine's plain settings; the worker rebuilds the engine from them. */
  engine: EngineSettings;
}

/** A worker's answer for one job. */
export type UpgradeReply = {
  id: number;
  threadId: number;
  /** When the job began and ended, in ms since the epoch (comparable across threads). */
  startedAt: number;
  finishedAt: number;
} & ({ ok: true; result: MigrateResult } | { ok: false; error: FileFailure });

/** workerData of the threads this pool starts; the worker script answers messages only when it sees it. */
export const UPGRADE_WORKER_MARK = 'fieldbook-upgrade-worker';

/** Wall-clock time with sub-millisecond resolution, on the same scale in every thread. */
export function epochMs(): number {
  return performance.timeOrigin + performance.now();
}

/**
 * The worker script beside this file, found from this file's own location (never the working
 * directory): `upgrade-worker.js` when compiled, `upgrade-worker.ts` when run from the source
 * tree under a TypeScript loader (worker threads inherit the loader through `execArgv`).
 */
export function upgradeWorkerFile(): string {
  return path.join(__dirname, `upgrade-worker${path.extname(__filename)}`);
}

/** How runUpgradePool runs its jobs and reports on them. */
export interface PoolOptions {
  /** Most workers at once (at least 1; never more than there are jobs). */
  size: number;
  /** The worker script (default upgradeWorkerFile()). */
  workerFile?: string;
  /** Called when a job is handed to a worker. */
  onStart?(job: UpgradeJob): void;
  /** Called once per job, in the order jobs finish. */
  onReply(reply: UpgradeReply): void;
  /**
   * Stops the run: no job starts after it is aborted (each gets an ABORTED reply), and the
   * running ones are asked to cancel at their next safe point (rolled back, ABORTED) or finish.
   */
  signal?: AbortSignal;
}

/** The message that asks a worker to cancel the job it is running. */
export const CANCEL_JOB = 'cancel';

/**
 * Runs jobs on worker threads, one job per worker at a time, and resolves once every job has a
 * reply and every worker has exited. Never rejects: a worker that dies (an uncaught exception,
 * `process.exit`, running out of memory, a script that cannot load) yields an `INTERNAL` failure
 * for the job it held, and a fresh worker takes its place while jobs remain.
 */
export function runUpgradePool(jobs: readonly UpgradeJob[], options: PoolOptions): Promise<void> {
  const file = options.workerFile ?? upgradeWorkerFile();
  return new Promise((resolve) => {
    let next = 0;
    let replied = 0;
    let alive = 0;
    const take = () => {
      if (options.signal?.aborted) {
        while (next < jobs.length) reply(notStarted(jobs[next++]!));
        return null;
      }
      return next < jobs.length ? jobs[next++]! : null;
    };
    const cancels = new Set<() => void>();
    options.signal?.addEventListener(
      'abort',
      () => {
        for (const cancel of cancels) cancel();
      },
      { once: true },
    );
    const reply = (r: UpgradeReply) => {
      replied++;
      options.onReply(r);
    };
    const settle = () => {
      if (replied === jobs.length && alive === 0) resolve();
    };
    const startWorker = () => {
      for (let job = take(); job; job = take()) {
        const startedAt = epochMs();
        let worker: Worker;
        try {
          worker = new Worker(file, { workerData: UPGRADE_WORKER_MARK });
        } catch (error) {
          reply(crashed(job, -1, startedAt, error, null));
          continue;
        }
        serve(worker, job);
        return;
      }
    };
    const serve = (worker: Worker, first: UpgradeJob) => {
      alive++;
      const threadId = worker.threadId;
      let current: { job: UpgradeJob; startedAt: number } | null = null;
      let death: unknown = null;
      const cancel = () => {
        if (current) worker.postMessage(CANCEL_JOB);
      };
      cancels.add(cancel);
      const give = (job: UpgradeJob | null) => {
        if (!job) {
          current = null;
          void worker.terminate();
          return;
        }
        current = { job, startedAt: epochMs() };
        options.onStart?.(job);
        worker.postMessage(job);
      };
      worker.on('message', (r: UpgradeReply) => {
        if (current?.job.id !== r.id) return;
        current = null;
        reply(r);
        give(take());
      });
      worker.on('error', (error) => {
        death = error;
      });
      worker.on('messageerror', (error) => {
        death = error;
        void worker.terminate();
      });
      worker.on('exit', (code) => {
        alive--;
        cancels.delete(cancel);
        if (current) {
          const { job, startedAt } = current;
          current = null;
          reply(crashed(job, threadId, startedAt, death, code));
          startWorker();
        }
        settle();
      });
      give(first);
    };
    const size = Math.max(1, Math.min(options.size, jobs.length));
    for (let i = 0; i < size; i++) startWorker();
    settle();
  });
}

function notStarted(job: UpgradeJob): UpgradeReply {
  const now = epochMs();
  return {
    id: job.id,
    threadId: -1,
    startedAt: now,
    finishedAt: now,
    ok: false,
    error: { code: 'ABORTED', message: `${job.path} was not upgraded: the run was cancelled before it started` },
  };
}

function crashed(job: UpgradeJob, threadId: number, startedAt: number, error: unknown, exitCode: number | null): UpgradeReply {
  const why = error ? fileFailure(error).message : `it exited with code ${exitCode}`;
  return {
    id: job.id,
    threadId,
    startedAt,
    finishedAt: epochMs(),
    ok: false,
    error: {
      code: 'INTERNAL',
      message: `the worker thread upgrading ${job.path} stopped: ${why}; an upgrade is all or nothing, so the document is either unchanged or fully upgraded (classifyDocument tells which)`,
    },
  };
}
