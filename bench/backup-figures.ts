import * as fs from 'node:fs';
import type { BenchContext } from './bench-context';
import { ms, ratioFigure, type Figure } from './bench-report';
import { median, pairedTrials, runTrial } from './run-trial';

/**
 * Figure 3: the engine's pre-upgrade backup (`backupDocument`: online backup API, fsync,
 * rename, prune) of a large document against `fs.copyFileSync` of the same file. Target ≤ 1.5×.
 * A copy followed by fsync is measured too, as context: the backup must reach stable storage,
 * a plain copy need not.
 */
export async function measureBackup(ctx: BenchContext, document: string): Promise<{ figures: Figure[]; notes: string[] }> {
  const { first: backup, second: copy } = await pairedTrials(
    ctx.config.trials,
    async (round) => {
      ctx.progress(`backup: trial ${round + 1}/${ctx.config.trials}`);
      return withOutput(ctx.workspace.file('backups'), (dir) => runTrial('backup-engine', [document, dir], ctx.env));
    },
    () => withOutput(ctx.workspace.file('copy.fieldbook'), (dest) => runTrial('copy-file', [document, dest], ctx.env)),
  );
  const copyWithFsync: number[] = [];
  for (let round = 0; round < ctx.config.trials; round++) {
    copyWithFsync.push((await withOutput(ctx.workspace.file('copy.fieldbook'), (dest) => runTrial('copy-file-fsync', [document, dest], ctx.env))).ms);
  }
  const megabytes = fs.statSync(document).size / (1 << 20);
  const backupMs = median(backup.map((t) => t.ms));
  return {
    figures: [
      ratioFigure({
        id: '3-backup-time', label: `3  backup, ${megabytes.toFixed(0)} MB document`, limit: 1.5,
        engine: backup.map((t) => t.ms), baseline: copy.map((t) => t.ms), baselineName: 'fs.copyFileSync',
      }),
    ],
    notes: [
      `copyFileSync + fsync of the same file: ${ms(median(copyWithFsync))}; the engine's backup is ` +
        `${(backupMs / median(copyWithFsync)).toFixed(2)}× that (reference, no target)`,
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
