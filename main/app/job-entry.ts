/**
 * Entry of a background job (see jobs.ts), started as a worker thread (Node) or an Electron
 * utility process. It runs exactly one job and reports progress and the outcome. It never
 * imports electron: a utility process talks through `process.parentPort`.
 */
import { parentPort } from 'node:worker_threads';
import { declareOpenElsewhereInProcess, fileFailure } from '@fieldbook/engine';
import type { FromJob, JobResult, ToJob } from './jobs';
import { performJob } from './perform-job';

interface Port {
  post(message: FromJob): void;
  listen(listener: (message: ToJob) => void): void;
}

function port(): Port | null {
  const utility = (process as unknown as { parentPort?: { postMessage(m: unknown): void; on(e: 'message', l: (e: { data: unknown }) => void): void } }).parentPort;
  if (utility) return { post: (m) => utility.postMessage(m), listen: (l) => utility.on('message', (e) => l(e.data as ToJob)) };
  if (parentPort) {
    const p = parentPort;
    return { post: (m) => p.postMessage(m), listen: (l) => p.on('message', l) };
  }
  return null;
}

const channel = port();
if (channel) {
  const controller = new AbortController();
  channel.listen((message) => {
    if (message.type === 'cancel') {
      controller.abort();
      return;
    }
    for (const file of message.openInParent) declareOpenElsewhereInProcess(file);
    performJob(message.job, (m) => channel.post(m), controller.signal)
      .then((result) => channel.post({ type: 'done', result: JSON.parse(JSON.stringify(result)) as JobResult }))
      .catch((error: unknown) => channel.post({ type: 'failed', error: fileFailure(error) }));
  });
}
