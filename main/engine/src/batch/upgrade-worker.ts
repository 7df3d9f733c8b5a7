/**
 * The worker-thread entry of upgradeMany (started by runUpgradePool): upgrades one document per
 * message with upgradeDocument and replies with its result or its failure. It keeps nothing
 * open between messages; the only state is the engines it rebuilt, by their settings.
 */
import { parentPort, threadId, workerData } from 'node:worker_threads';
import { createEngine, type Engine, type EngineSettings } from '../engine';
import { fileFailure } from './file-failure';
import { upgradeDocument } from '../documents/migrate';
import { CANCEL_JOB, UPGRADE_WORKER_MARK, epochMs, type UpgradeJob, type UpgradeReply } from './upgrade-pool';

const engines = new Map<string, Engine>();

function engineFor(settings: EngineSettings): Engine {
  const key = JSON.stringify(settings);
  let engine = engines.get(key);
  if (!engine) engines.set(key, (engine = createEngine(settings)));
  return engine;
}

/** Aborted by a CANCEL_JOB message while a job runs (one job at a time per worker). */
let running: AbortController | null = null;

async function runJob(job: UpgradeJob): Promise<UpgradeReply> {
  const startedAt = epochMs();
  running = new AbortController();
  try {
    const result = await upgradeDocument(job.path, { to: job.to, backup: job.backup, engine: engineFor(job.engine), signal: running.signal });
    return { id: job.id, threadId, startedAt, finishedAt: epochMs(), ok: true, result };
  } catch (error) {
    return { id: job.id, threadId, startedAt, finishedAt: epochMs(), ok: false, error: fileFailure(error) };
  } finally {
    running = null;
  }
}

// Only in a thread the pool started: importing this file anywhere else (even in some other
// worker thread) must not start answering that thread's messages.
if (parentPort && workerData === UPGRADE_WORKER_MARK) {
  const port = parentPort;
  port.on('message', (message: UpgradeJob | typeof CANCEL_JOB) => {
    if (message === CANCEL_JOB) {
      running?.abort();
      return;
    }
    void runJob(message).then((reply) => port.postMessage(reply));
  });
}
