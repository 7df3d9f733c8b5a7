import { utilityProcess } from 'electron';
import type { FromJob, JobChannel, JobHost } from '../app/jobs';

/**
 * Background jobs in Electron utility processes: they read the engine from app.asar like the
 * main process (worker threads cannot load scripts from inside an asar archive), and a
 * migration or export never blocks the main thread.
 */
export function utilityJobHost(entry: string): JobHost {
  return {
    start(): JobChannel {
      const child = utilityProcess.fork(entry, [], { serviceName: 'Fieldbook background job', stdio: 'inherit' });
      return {
        post: (message) => child.postMessage(message),
        onMessage: (listener) => child.on('message', (m: FromJob) => listener(m)),
        onExit: (listener) => child.on('exit', (code) => listener(code)),
        kill: () => void child.kill(),
      };
    },
  };
}
