import fs = require('node:fs');
import type { BenchContext } from './bench-context';
import { ms, ratioFigure, type Figure } from './bench-report';
import { median, rotatingTrials, runTrial, withoutCompileCache, type TrialResult } from './run-trial';

/**
 * Figure 1: open + classify a current document, engine (`classifyDocument`) against the same
 * work by hand: every better-sqlite3 call one classification makes (open read-only, the
 * connection's defences, the read transaction, two pragmas, the version table, the scan of
 * sqlite_schema for forged objects, close) and the file checks it makes before SQLite opens the
 * file (the document's stat, its `-journal`/`-wal`/`-shm`, its header), recorded once and
 * replayed (sql-recorder.ts). The cold figure is a process's first call, including the engine's
 * lazy read of its migrations manifest: what a user waits for. The warm figure is the median of
 * later calls in the same process. Target for both: ≤ 1.3×. Notes give the warm figure against
 * the SQL alone (what the file checks cost) and against the check without the forged-object scan
 * (two pragmas and the version table: what that scan costs).
 */
export async function measureClassify(ctx: BenchContext, headDocument: string): Promise<{ figures: Figure[]; notes: string[] }> {
  const calls = ctx.workspace.file('classify-calls.json');
  await runTrial('capture-classify', [headDocument, calls], withoutCompileCache(ctx.env));
  const warm = String(ctx.config.warmCalls);
  const [engine, byHand, sqlOnly, minimal] = (await rotatingTrials(ctx.config.shortTrials, [
    (round) => {
      ctx.progress(`classify: trial ${round + 1}/${ctx.config.shortTrials}`);
      return runTrial('classify-engine', [headDocument, warm], ctx.env);
    },
    () => runTrial('classify-by-hand', [headDocument, warm, calls], ctx.env),
    () => runTrial('classify-by-hand', [headDocument, warm, calls, 'sql-only'], ctx.env),
    () => runTrial('classify-minimal', [headDocument, warm], ctx.env),
  ])) as [TrialResult[], TrialResult[], TrialResult[], TrialResult[]];
  fs.rmSync(calls);
  const baselineName = 'the same SQL and file checks by hand';
  const warmOf = (trials: TrialResult[]) => median(trials.map((t) => t.warmMs!));
  return {
    figures: [
      ratioFigure({
        id: '1-classify-cold',
        label: '1  open+classify, cold (1st call)',
        limit: 1.3,
        engine: engine.map((t) => t.ms),
        baseline: byHand.map((t) => t.ms),
        baselineName,
      }),
      ratioFigure({
        id: '1-classify-warm',
        label: '1  open+classify, warm',
        limit: 1.3,
        engine: engine.map((t) => t.warmMs!),
        baseline: byHand.map((t) => t.warmMs!),
        baselineName,
      }),
    ],
    notes: [
      `open+classify warm vs its SQL alone by hand (no file checks; reference, no target): ` +
        `${(warmOf(engine) / warmOf(sqlOnly)).toFixed(2)}× (${ms(warmOf(engine))} vs ${ms(warmOf(sqlOnly))})`,
      `open+classify warm vs two pragmas and the version table by hand (no forged-object scan; reference, no target): ` +
        `${(warmOf(engine) / warmOf(minimal)).toFixed(2)}× (${ms(warmOf(engine))} vs ${ms(warmOf(minimal))})`,
    ],
  };
}
