import fs = require('node:fs');
import { describeSize, shortSize, type DocumentSize } from './bench-config';
import type { BenchContext } from './bench-context';
import { mb, ms, ratioFigure, stepMedians, type Figure } from './bench-report';
import { assertSameSubsets } from './compare-subsets';
import { flatFigure, rssFigure } from './memory-figures';
import { median, pairedTrials, runTrial, type TrialResult } from './run-trial';
import { siteCount, subsetSelection } from './subset-source';

export interface SubsetMeasurements {
  figures: Figure[];
  notes: string[];
  /** The engine's subset trials on the figure-6 source (figure 7 compares against them). */
  engineTrials: TrialResult[];
}

/**
 * Figure 6: a subset of 10% of the samples (those of the first tenth of the sites), engine
 * (`exportSubset`) against the same rows copied by hand (subset-by-hand.ts), each trial into a
 * fresh destination. Both sides time the creation of the empty destination document too. Before
 * the trials, one subset of each kind is made and compared (compare-subsets.ts); a difference
 * stops the run, since the ratio would compare different work. Target ≤ 1.3×.
 * Also figure 7's first half: the peak RSS of those engine trials (≤ 200 MB).
 * @param source a head document made by `writeSubsetSource` (bench-documents.ts), only read
 */
export async function measureSubset(ctx: BenchContext, source: string): Promise<SubsetMeasurements> {
  const size = ctx.config.upgradeDocument;
  const selection = JSON.stringify(subsetSelection(size));
  ctx.progress('subset: checking that the engine and the by-hand script copy the same rows');
  const rows = await withDestination(ctx, (engineFile) =>
    withDestination(ctx, async (byHandFile) => {
      await runTrial('subset-engine', [source, engineFile, selection], ctx.env);
      await runTrial('subset-by-hand', [source, byHandFile, selection], ctx.env);
      return assertSameSubsets(engineFile, byHandFile);
    }),
  );
  const { first: engine, second: byHand } = await pairedTrials(
    ctx.config.trials,
    async (round) => {
      ctx.progress(`subset: trial ${round + 1}/${ctx.config.trials}`);
      return withDestination(ctx, (file) => runTrial('subset-engine', [source, file, selection], ctx.env));
    },
    () => withDestination(ctx, (file) => runTrial('subset-by-hand', [source, file, selection], ctx.env)),
  );
  const short = shortSize(size);
  return {
    figures: [
      ratioFigure({
        id: '6-subset-time',
        label: `6  subset of 10% of samples, ${short}`,
        limit: 1.3,
        engine: engine.map((t) => t.ms),
        baseline: byHand.map((t) => t.ms),
        baselineName: 'ATTACH + INSERT…SELECT by hand',
      }),
      rssFigure('7a-subset-rss', `7  subset peak RSS, ${short}`, 'subset', engine),
    ],
    notes: [
      `subset (${describeSize(size)}, ${selectionOf(size)}) rows: ${Object.entries(rows)
        .map(([t, n]) => `${t} ${n}`)
        .join(', ')}; same rows by hand`,
      `subset phases (${short}), median ms: ${stepMedians(engine)}; by hand: ${stepMedians(byHand)}`,
      `peak RSS of the by-hand subset (${short}): ${mb(median(byHand.map((t) => t.rssKB))).toFixed(1)} MB (reference, no target)`,
    ],
    engineTrials: engine,
  };
}

/**
 * Figure 7's second half: the same selection from a source with four times the measurements
 * (100k samples × 40, made by `writeSubsetSource` like the small one), so the subset itself has
 * four times the measurements too. Its peak RSS (≤ 200 MB), and the ratio of the two peaks
 * (flat: ≤ 1.25×): the engine copies inside SQLite, so its memory must not follow the rows.
 */
export async function measureSubsetMemory(ctx: BenchContext, small: TrialResult[], largeSource: string): Promise<{ figures: Figure[]; notes: string[] }> {
  const sizes: [DocumentSize, DocumentSize] = [ctx.config.upgradeDocument, ctx.config.largeDocument];
  const selection = JSON.stringify(subsetSelection(sizes[1]));
  const large: TrialResult[] = [];
  for (let round = 0; round < ctx.config.trials; round++) {
    ctx.progress(`subset memory: trial ${round + 1}/${ctx.config.trials}`);
    large.push(await withDestination(ctx, (file) => runTrial('subset-engine', [largeSource, file, selection], ctx.env)));
  }
  const time = (trials: TrialResult[]) => median(trials.map((t) => t.ms));
  return {
    figures: [
      rssFigure('7b-subset-rss-large', `7  subset peak RSS, ${shortSize(sizes[1])}`, 'subset', large),
      flatFigure('7c-subset-rss-flat', `7  subset peak RSS ${shortSize(sizes[1])} / ${shortSize(sizes[0])} (flat)`, small, large),
    ],
    notes: [
      `subset time (${describeSize(sizes[1])}, the same sites, so 4× the measurements in the subset): ${ms(time(large))}, ` +
        `${(time(large) / time(small)).toFixed(2)}× the time for ${describeSize(sizes[0])}`,
      `subset phases (${shortSize(sizes[1])}), median ms: ${stepMedians(large)}`,
    ],
  };
}

/** "100 of 1000 sites", for notes. */
function selectionOf(size: DocumentSize): string {
  return `${subsetSelection(size).siteIds.length} of ${siteCount(size)} sites`;
}

/** Runs a trial that writes a fresh destination in the workspace, then deletes it (and any journal). */
async function withDestination<T>(ctx: BenchContext, trial: (file: string) => Promise<T>): Promise<T> {
  const file = ctx.workspace.file('subset.fieldbook');
  try {
    return await trial(file);
  } finally {
    fs.rmSync(file, { force: true });
    fs.rmSync(`${file}-journal`, { force: true });
  }
}
