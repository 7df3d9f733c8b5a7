import { classifyDocument, exportDocument, exportSubset, salvageDocument, upgradeDocument } from '@fieldbook/engine';
import { fieldbookEngine } from '../fieldbook/fieldbook-engine';
import type { FromJob, Job, JobResult } from './jobs';

/**
 * Does one background job (see jobs.ts) with the engine rebuilt from the job's settings: one
 * engine call each, progress sent as it comes. Job entries (a worker thread, an Electron utility
 * process) run it and report its outcome.
 * @throws FieldbookError whatever the engine call throws (the entry sends it as `failed`)
 */
export async function performJob(job: Job, send: (m: FromJob) => void, signal: AbortSignal): Promise<JobResult> {
  const engine = fieldbookEngine(job.engine);
  if (job.kind === 'upgrade') {
    return upgradeDocument(job.path, {
      engine,
      classification: job.classification,
      onStep: (s) => send({ type: 'progress', progress: { kind: 'step', name: s.name, index: s.index, total: s.total } }),
    });
  }
  if (job.kind === 'subset') {
    return exportSubset(job.source, job.destination, job.selection, {
      engine,
      overwrite: job.overwrite,
      openDocuments: job.openDocuments,
      signal,
      onProgress: (p) => send({ type: 'progress', progress: { kind: 'copy', progress: p } }),
    });
  }
  if (job.kind === 'verify') return classifyDocument(job.path, { engine, check: 'quick' });
  if (job.kind === 'salvage') return salvageDocument(job.source, job.destination, { engine, overwrite: job.overwrite, openDocuments: job.openDocuments });
  return exportDocument(job.source, job.destination, { engine, asVersion: job.asVersion, overwrite: job.overwrite, openDocuments: job.openDocuments, signal });
}
