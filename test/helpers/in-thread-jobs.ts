import { fileFailure } from '@fieldbook/engine';
import type { FromJob, JobChannel, JobHost, JobResult } from '../../main/app/jobs';
import { performJob } from '../../main/app/perform-job';

/**
 * Background jobs on the test's own thread: performJob, as the job entry runs it in a worker,
 * with the same messages (results cross as JSON). What a job does is then visible to the test:
 * `running` is true while a job works (see countClassifications).
 */
export function inThreadJobHost(): JobHost & { readonly running: boolean } {
  let running = 0;
  return {
    get running() {
      return running > 0;
    },
    start(): JobChannel {
      const listeners: ((message: FromJob) => void)[] = [];
      const controller = new AbortController();
      const emit = (message: FromJob) => listeners.forEach((listener) => listener(message));
      return {
        post(message) {
          if (message.type === 'cancel') return controller.abort();
          running++;
          performJob(message.job, emit, controller.signal)
            .then(
              (result) => emit({ type: 'done', result: JSON.parse(JSON.stringify(result)) as JobResult }),
              (error: unknown) => emit({ type: 'failed', error: fileFailure(error) }),
            )
            .finally(() => running--);
        },
        onMessage: (listener) => void listeners.push(listener),
        onExit: () => {},
        kill: () => {},
      };
    },
  };
}
