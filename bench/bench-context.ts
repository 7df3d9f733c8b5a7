import type { BenchConfig } from './bench-config';
import type { BenchWorkspace } from './bench-documents';

/** What every group of figures gets from the runner. */
export interface BenchContext {
  config: BenchConfig;
  workspace: BenchWorkspace;
  /** Environment for trial processes (keeps app data, e.g. default backups, inside the workspace). */
  env: NodeJS.ProcessEnv;
  /** Progress for people watching, after the seconds since the run started; not part of the report. */
  progress(line: string): void;
}
