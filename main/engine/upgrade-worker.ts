/**
 * The worker-thread entry of upgradeMany (started by runUpgradePool): upgrades one document per
 * message with upgradeDocument and replies with its result or its failure. It keeps nothing
 * open between messages; the only state is fieldbookEngine's cache.
 */
import { parentPort, threadId, workerData } from 'node:worker_threads';
import { fieldbookEngine } from './engine';
import { fileFailure } from './file-failure';
import { upgradeDocument } from './migrate';
import { UPGRADE_WORKER_MARK, epochMs, type UpgradeJob, type UpgradeReply } from './upgrade-pool';

async function runJob(job: UpgradeJob): Promise<UpgradeReply> {
  const startedAt = epochMs();
  try {
    const result = await upgradeDocument(job.path, { to: job.to, backup: job.backup, engine: fieldbookEngine(job.engine) });
    return { id: job.id, threadId, startedAt, finishedAt: epochMs(), ok: true, result };
  } catch (error) {
    return { id: job.id, threadId, startedAt, finishedAt: epochMs(), ok: false, error: fileFailure(error) };
  }
}

// Only in a thread the pool started: importing this file anywhere else (even in some other
// worker thread) must not start answering that thread's messages.
if (parentPort && workerData === UPGRADE_WORKER_MARK) {
  const port = parentPort;
  port.on('message', (job: UpgradeJob) => {
    void runJob(job).then((reply) => port.postMessage(reply));
  });
}
