import * as fs from 'node:fs';
import { describeSize, shortSize, type DocumentSize } from './bench-config';
import type { BenchContext } from './bench-context';
import { freshCopy, writeVersion1Document } from './bench-documents';
import { mb, ms, ratioFigure, type Figure } from './bench-report';
import { assertSameMigrations, median, pairedTrials, runTrial, type TrialResult } from './run-trial';

/** Peak RSS an upgrade may reach, MB. */
const RSS_LIMIT_MB = 200;
/** "Flat": the large document's peak within +25% of the small one's. */
const FLAT_LIMIT = 1.25;

export interface UpgradeMeasurements {
  figures: Figure[];
  notes: string[];
  /** The engine's upgrade trials on the figure-2 document (figure 4 compares against them). */
  engineTrials: TrialResult[];
}

/**
 * Figure 2: upgrading a 1.0 document to head with backups off, engine (`upgradeDocument`)
 * against the very statements it ran, replayed by hand with better-sqlite3 in one transaction
 * (foreign keys off). The statements are captured once, from an upgrade of a separate copy.
 * Every trial upgrades its own fresh copy of one generated document. Target ≤ 1.25×.
 * Also figure 4's first half: the peak RSS of those engine trials (≤ 200 MB).
 */
export async function measureUpgrade(ctx: BenchContext, version1Document: string): Promise<UpgradeMeasurements> {
  const statements = ctx.workspace.file('upgrade-statements.json');
  ctx.progress('upgrade: capturing the statements an engine upgrade runs');
  const capture = await runOnCopy(ctx, version1Document, (copy) => runTrial('capture-sql', [copy, statements], ctx.env));
  const { first: engine, second: byHand } = await pairedTrials(
    ctx.config.trials,
    async (round) => {
      ctx.progress(`upgrade: trial ${round + 1}/${ctx.config.trials}`);
      return runOnCopy(ctx, version1Document, (copy) => runTrial('upgrade-engine', [copy], ctx.env));
    },
    () => runOnCopy(ctx, version1Document, (copy) => runTrial('upgrade-by-hand', [copy, statements], ctx.env)),
  );
  assertSameMigrations([capture, ...engine]);
  const count = (JSON.parse(fs.readFileSync(statements, 'utf8')) as string[]).length;
  fs.rmSync(statements);
  const size = describeSize(ctx.config.upgradeDocument);
  const short = shortSize(ctx.config.upgradeDocument);
  return {
    figures: [
      ratioFigure({
        id: '2-upgrade-time', label: `2  upgrade 1.0 → head, no backup, ${short}`, limit: 1.25,
        engine: engine.map((t) => t.ms), baseline: byHand.map((t) => t.ms), baselineName: `the same ${count} statements by hand`,
      }),
      rssFigure('4a-upgrade-rss', `4  upgrade peak RSS, ${short}`, engine),
    ],
    notes: [
      `upgrade steps (${size}), median ms: ${stepMedians(engine)}`,
      `peak RSS of the by-hand replay (${size}): ${mb(median(byHand.map((t) => t.rssKB))).toFixed(1)} MB (reference, no target)`,
    ],
    engineTrials: engine,
  };
}

/**
 * Figure 4's second half: the engine's upgrade of a document with four times the measurements
 * (the same samples, 40 measurements each instead of 10), its peak RSS (≤ 200 MB) and the ratio
 * of the two peaks (flat: ≤ 1.25×). Generates the large document, and removes it when done.
 */
export async function measureUpgradeMemory(ctx: BenchContext, small: TrialResult[]): Promise<{ figures: Figure[]; notes: string[] }> {
  const sizes: [DocumentSize, DocumentSize] = [ctx.config.upgradeDocument, ctx.config.largeDocument];
  const document = ctx.workspace.file('version1-large.fieldbook');
  ctx.progress(`memory: generating a 1.0 document (${describeSize(sizes[1])})`);
  await writeVersion1Document(document, sizes[1], ctx.env);
  const large: TrialResult[] = [];
  try {
    for (let round = 0; round < ctx.config.trials; round++) {
      ctx.progress(`memory: trial ${round + 1}/${ctx.config.trials}`);
      large.push(await runOnCopy(ctx, document, (copy) => runTrial('upgrade-engine', [copy], ctx.env)));
    }
  } finally {
    fs.rmSync(document, { force: true });
  }
  assertSameMigrations([...small, ...large]);
  const smallPeak = median(small.map((t) => t.rssKB));
  const largePeak = median(large.map((t) => t.rssKB));
  const flat = largePeak / smallPeak;
  return {
    figures: [
      rssFigure('4b-upgrade-rss-large', `4  upgrade peak RSS, ${shortSize(sizes[1])}`, large),
      {
        id: '4c-upgrade-rss-flat', label: `4  peak RSS ${shortSize(sizes[1])} / ${shortSize(sizes[0])} (flat)`, value: flat, unit: '×', limit: FLAT_LIMIT,
        pass: flat <= FLAT_LIMIT,
        detail: `${mb(largePeak).toFixed(1)} MB vs ${mb(smallPeak).toFixed(1)} MB`,
        data: { smallKB: smallPeak, largeKB: largePeak },
      },
    ],
    notes: [
      `upgrade time (${describeSize(sizes[1])}): ${ms(median(large.map((t) => t.ms)))}, ` +
        `${(median(large.map((t) => t.ms)) / median(small.map((t) => t.ms))).toFixed(2)}× the time for ${describeSize(sizes[0])}`,
      `upgrade steps (${describeSize(sizes[1])}), median ms: ${stepMedians(large)}`,
    ],
  };
}

function rssFigure(id: string, label: string, trials: readonly TrialResult[]): Figure {
  const peaks = trials.map((t) => mb(t.rssKB));
  const value = median(peaks);
  return {
    id, label, value, unit: 'MB', limit: RSS_LIMIT_MB, pass: value <= RSS_LIMIT_MB,
    detail: `maxRSS of the upgrade process [${Math.min(...peaks).toFixed(1)}–${Math.max(...peaks).toFixed(1)} MB]`,
    data: { trialsMB: peaks },
  };
}

/** "0002-tags 28, 0003-numeric-values 4590, ...": each step's median duration over the trials. */
function stepMedians(trials: readonly TrialResult[]): string {
  const names = trials[0]?.steps?.map((s) => s.name) ?? [];
  return names.map((name) => {
    const durations = trials.map((t) => t.steps?.find((s) => s.name === name)?.durationMs ?? NaN);
    return `${name} ${Math.round(median(durations))}`;
  }).join(', ');
}

/** Runs a trial on a fresh copy of `source` and deletes the copy (and any journal) afterwards. */
async function runOnCopy<T>(ctx: BenchContext, source: string, trial: (copy: string) => Promise<T>): Promise<T> {
  const copy = freshCopy(ctx.workspace, source);
  try {
    return await trial(copy);
  } finally {
    fs.rmSync(copy, { force: true });
    fs.rmSync(`${copy}-journal`, { force: true });
  }
}
