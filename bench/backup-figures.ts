import fs = require('node:fs');
import type { BenchContext } from './bench-context';
import { ms, ratioFigure, type Figure } from './bench-report';
import { median, rotatingTrials, runTrial, type TrialResult } from './run-trial';

/**
 * Figure 3: the engine's pre-upgrade backup (`backupDocument`: the file copied by `cp` in a child
 * process under SQLite's read lock, checked, fsynced, renamed, pruned) of a large document
 * against `fs.copyFileSync` followed by fsync of the same file: a backup must reach stable
 * storage, so that is its lower bound. Target ≤ 1.5×. A plain copy (no fsync) is noted as context.
 */
export async function measureBackup(ctx: BenchContext, document: string): Promise<{ figures: Figure[]; notes: string[] }> {
  const [backup, copyWithFsync, copy] = (await rotatingTrials(ctx.config.trials, [
    (round) => {
      ctx.progress(`backup: trial ${round + 1}/${ctx.config.trials}`);
      return withOutput(ctx.workspace.file('backups'), (dir) => runTrial('backup-engine', [document, dir], ctx.env));
    },
    () => withOutput(ctx.workspace.file('copy.fieldbook'), (dest) => runTrial('copy-file-fsync', [document, dest], ctx.env)),
    () => withOutput(ctx.workspace.file('copy.fieldbook'), (dest) => runTrial('copy-file', [document, dest], ctx.env)),
  ])) as [TrialResult[], TrialResult[], TrialResult[]];
  const megabytes = fs.statSync(document).size / (1 << 20);
  const backupMs = median(backup.map((t) => t.ms));
  return {
    figures: [
      ratioFigure({
        id: '3-backup-time',
        label: `3  backup, ${megabytes.toFixed(0)} MB document`,
        limit: 1.5,
        engine: backup.map((t) => t.ms),
        baseline: copyWithFsync.map((t) => t.ms),
        baselineName: 'fs.copyFileSync + fsync',
      }),
    ],
    notes: [
      `fs.copyFileSync of the same file, no fsync: ${ms(median(copy.map((t) => t.ms)))}; the engine's backup is ` +
        `${(backupMs / median(copy.map((t) => t.ms))).toFixed(2)}× that (reference, no target)`,
    ],
  };
}

/** Runs a trial that writes to `output` (a file or folder), then deletes it. */
async function withOutput<T>(output: string, trial: (output: string) => Promise<T>): Promise<T> {
  try {
    return await trial(output);
  } finally {
    fs.rmSync(output, { recursive: true, force: true });
  }
}
