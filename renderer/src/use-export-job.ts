import { useCallback, useEffect, useRef, useState } from 'react';
import type { ExportOutcome, JobId, JobProgress } from '../../main/ipc/contract';
import { api, toAppError, type AppError } from './api';

export type ExportJobState<T = ExportOutcome> =
  | { phase: 'idle' }
  /** `progress` is null until the first report (main may still be asking where to save). */
  | { phase: 'running'; progress: JobProgress | null; cancelling: boolean }
  | { phase: 'done'; outcome: T }
  /** The user closed the save dialog: nothing was exported. */
  | { phase: 'no-destination' }
  /** The user cancelled the running export (ABORTED): nothing was written. */
  | { phase: 'cancelled' }
  | { phase: 'failed'; error: AppError };

function newJobId(): JobId {
  return typeof crypto.randomUUID === 'function' ? crypto.randomUUID() : `job-${Date.now()}-${Math.random().toString(36).slice(2)}`;
}

/**
 * One export at a time, with its progress (`job-progress` events for its job id) and cancel.
 * A cancel asked for before main has registered the job (while its save dialog is open) is
 * sent again with the job's first progress report, so it is never lost. Unmounting cancels.
 * `T`: what the export answers (a notebook export's ExportOutcome, a CSV export's outcome).
 */
export function useExportJob<T = ExportOutcome>() {
  const [state, setState] = useState<ExportJobState<T>>({ phase: 'idle' });
  const job = useRef<{ id: JobId; cancelRequested: boolean } | null>(null);

  useEffect(() => {
    const unsubscribe = api.on('job-progress', (progress) => {
      const current = job.current;
      if (!current || progress.jobId !== current.id) return;
      if (current.cancelRequested) void api.cancelJob(current.id).catch(() => {});
      setState((s) => (s.phase === 'running' ? { ...s, progress } : s));
    });
    return () => {
      unsubscribe();
      const current = job.current;
      if (current) void api.cancelJob(current.id).catch(() => {});
    };
  }, []);

  const start = useCallback(async (run: (jobId: JobId) => Promise<T | null>) => {
    if (job.current) return;
    const id = newJobId();
    job.current = { id, cancelRequested: false };
    setState({ phase: 'running', progress: null, cancelling: false });
    try {
      const outcome = await run(id);
      setState(outcome ? { phase: 'done', outcome } : { phase: 'no-destination' });
    } catch (error) {
      const e = toAppError(error);
      setState(e.code === 'ABORTED' ? { phase: 'cancelled' } : { phase: 'failed', error: e });
    } finally {
      job.current = null;
    }
  }, []);

  const cancel = useCallback(() => {
    const current = job.current;
    if (!current) return;
    current.cancelRequested = true;
    setState((s) => (s.phase === 'running' ? { ...s, cancelling: true } : s));
    void api.cancelJob(current.id).catch(() => {});
  }, []);

  const reset = useCallback(() => setState({ phase: 'idle' }), []);

  return { state, start, cancel, reset };
}
