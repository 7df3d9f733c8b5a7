import type { BenchContext } from './bench-context';
import { ratioFigure, type Figure } from './bench-report';
import { pairedTrials, runTrial } from './run-trial';

/**
 * Figure 1: open + classify a current document, engine (`classifyDocument`) against the least
 * a correct check does by hand (open read-only, two pragmas, one read of the version table,
 * close). The cold figure is a process's first call, including the engine's lazy read of its
 * migrations manifest: what a user waits for. The warm figure is the median of later calls in
 * the same process. Target for both: ≤ 1.3×.
 */
export async function measureClassify(ctx: BenchContext, headDocument: string): Promise<Figure[]> {
  const args = [headDocument, String(ctx.config.warmCalls)];
  const { first: engine, second: byHand } = await pairedTrials(
    ctx.config.trials,
    async (round) => {
      ctx.progress(`classify: trial ${round + 1}/${ctx.config.trials}`);
      return runTrial('classify-engine', args, ctx.env);
    },
    () => runTrial('classify-by-hand', args, ctx.env),
  );
  const baselineName = 'by hand';
  return [
    ratioFigure({
      id: '1-classify-cold', label: '1  open+classify, cold (1st call)', limit: 1.3,
      engine: engine.map((t) => t.ms), baseline: byHand.map((t) => t.ms), baselineName,
    }),
    ratioFigure({
      id: '1-classify-warm', label: '1  open+classify, warm', limit: 1.3,
      engine: engine.map((t) => t.warmMs!), baseline: byHand.map((t) => t.warmMs!), baselineName,
    }),
  ];
}
