import path = require('node:path');
import { Worker } from 'node:worker_threads';
import type { FromJob, JobChannel, JobHost } from './jobs';

/** The job entry script beside this file (found from this file's location, never the working directory). */
export function jobEntryFile(): string {
  return path.join(__dirname, `job-entry${path.extname(__filename)}`);
}

/** Background jobs on worker threads (plain Node: the CLI, tests, the browser-test bridge). */
export function threadJobHost(entry = jobEntryFile()): JobHost {
  return {
    start(): JobChannel {
      const worker = new Worker(entry);
      return {
        post: (message) => worker.postMessage(message),
        onMessage: (listener) => worker.on('message', (m: FromJob) => listener(m)),
        onExit: (listener) => {
          worker.on('exit', listener);
          worker.on('error', () => listener(1));
        },
        kill: () => void worker.terminate(),
      };
    },
  };
}
