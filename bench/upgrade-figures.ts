import fs = require('node:fs');
import { describeSize, shortSize, type DocumentSize } from './bench-config';
import type { BenchContext } from './bench-context';
import { freshCopy } from './bench-documents';
import { mb, ms, ratioFigure, stepMedians, type Figure } from './bench-report';
import { readCalls, sqlCallCount } from './sql-recorder';
import { flatFigure, rssFigure } from './memory-figures';
import { assertSameMigrations, median, rotatingTrials, runTrial, withoutCompileCache, type TrialResult } from './run-trial';

export interface UpgradeMeasurements {
  figures: Figure[];
  notes: string[];
  /** The engine's upgrade trials (figure 4 compares against those of figure 2b's document). */
  engineTrials: TrialResult[];
}

/** Which upgrade-time figure to measure: its id and number, its target, and the document's size. */
export interface UpgradeFigure {
  id: string;
  number: string;
  limit: number;
  size: DocumentSize;
  /** Its trials are short (figure 2a): it runs `shortTrials` of them. */
  short: boolean;
}

/** Figure 2a: a small document, where what the engine adds to the statements weighs most. */
export function smallUpgradeFigure(size: DocumentSize): UpgradeFigure {
  return { id: '2a-upgrade-time-small', number: '2a', limit: 1.1, size, short: true };
}

/** Figure 2b: a large document, where the statements should be nearly all of the time. */
export function upgradeFigure(size: DocumentSize): UpgradeFigure {
  return { id: '2b-upgrade-time', number: '2b', limit: 1.05, size, short: false };
}

/**
 * Figure 2a or 2b: upgrading a 1.0 document to head with backups off, engine (`upgradeDocument`)
 * against the same SQL and file checks by hand: every better-sqlite3 call the engine made (the
 * migration statements, and the checks around them: the classification, quick_check under the
 * lock, the proof that rebuilt tables kept every value, foreign_key_check, the schema and
 * version-table reads) and its checks of the document's file (stat, companions, header, the free
 * space of its folder), recorded once from an upgrade of a separate copy and replayed
 * (sql-recorder.ts). What
 * the ratio measures is the engine's own cost over its SQL. A note gives the engine against the
 * migration statements alone (its sqlLog, in one transaction, foreign keys off), which is what
 * the checks cost. Every trial upgrades its own fresh copy of one generated document.
 */
export async function measureUpgrade(ctx: BenchContext, version1Document: string, figure: UpgradeFigure): Promise<UpgradeMeasurements> {
  const statements = ctx.workspace.file('upgrade-statements.json');
  const calls = ctx.workspace.file('upgrade-calls.json');
  const short = shortSize(figure.size);
  ctx.progress(`upgrade ${short}: recording the SQL an engine upgrade runs`);
  const capture = await runOnCopy(ctx, version1Document, (copy) => runTrial('capture-sql', [copy, statements, calls], withoutCompileCache(ctx.env)));
  const trials = figure.short ? ctx.config.shortTrials : ctx.config.trials;
  // Figure 2a also times the engine without the compile cache (a process's first run), for a note.
  const uncached = withoutCompileCache(ctx.env);
  const [engine, byHand, statementsOnly, engineUncached = []] = (await rotatingTrials(trials, [
    (round) => {
      ctx.progress(`upgrade ${short}: trial ${round + 1}/${trials}`);
      return runOnCopy(ctx, version1Document, (copy) => runTrial('upgrade-engine', [copy], ctx.env));
    },
    () => runOnCopy(ctx, version1Document, (copy) => runTrial('upgrade-by-hand', [copy, calls], ctx.env)),
    () => runOnCopy(ctx, version1Document, (copy) => runTrial('upgrade-statements-by-hand', [copy, statements], ctx.env)),
    ...(figure.short ? [() => runOnCopy(ctx, version1Document, (copy) => runTrial('upgrade-engine', [copy], uncached))] : []),
  ])) as [TrialResult[], TrialResult[], TrialResult[], TrialResult[]?];
  assertSameMigrations([capture, ...engine, ...engineUncached]);
  const count = (JSON.parse(fs.readFileSync(statements, 'utf8')) as string[]).length;
  const sqlCalls = sqlCallCount(readCalls(calls));
  fs.rmSync(statements);
  fs.rmSync(calls);
  const size = describeSize(figure.size);
  const engineMs = median(engine.map((t) => t.ms));
  const statementsMs = median(statementsOnly.map((t) => t.ms));
  const byHandMs = median(byHand.map((t) => t.ms));
  const uncachedMs = engineUncached.length ? median(engineUncached.map((t) => t.ms)) : null;
  const uncachedNote =
    uncachedMs === null
      ? []
      : [
          `upgrade ${short} without the compile cache (NODE_DISABLE_COMPILE_CACHE=1: a first run; reference, no target): ` +
            `${(uncachedMs / byHandMs).toFixed(2)}× (${ms(uncachedMs)} vs ${ms(byHandMs)})`,
        ];
  return {
    figures: [
      ratioFigure({
        id: figure.id,
        label: `${figure.number} upgrade 1.0 → head, no backup, ${short}`,
        limit: figure.limit,
        engine: engine.map((t) => t.ms),
        baseline: byHand.map((t) => t.ms),
        baselineName: `the same SQL and file checks by hand (${sqlCalls} SQL calls)`,
      }),
    ],
    notes: [
      `upgrade ${short} vs its ${count} migration statements alone by hand (no checks; reference, no target): ` +
        `${(engineMs / statementsMs).toFixed(2)}× (${ms(engineMs)} vs ${ms(statementsMs)})`,
      ...uncachedNote,
      `upgrade steps (${size}), median ms: ${stepMedians(engine)}`,
      `peak RSS of the by-hand replay (${size}): ${mb(median(byHand.map((t) => t.rssKB))).toFixed(1)} MB (reference, no target)`,
    ],
    engineTrials: engine,
  };
}

/** Figure 4's first half: the peak RSS of figure 2b's engine upgrade trials (≤ 200 MB). */
export function upgradeRssFigure(ctx: BenchContext, engineTrials: readonly TrialResult[]): Figure {
  return rssFigure('4a-upgrade-rss', `4  upgrade peak RSS, ${shortSize(ctx.config.upgradeDocument)}`, 'upgrade', engineTrials);
}

/**
 * Figure 4's second half: the engine's upgrade of `largeDocument`, a 1.0 document with four times
 * the measurements (the same samples, 40 measurements each instead of 10; made by the caller and
 * only copied here), its peak RSS (≤ 200 MB) and the ratio of the two peaks (flat: ≤ 1.25×).
 */
export async function measureUpgradeMemory(ctx: BenchContext, small: TrialResult[], largeDocument: string): Promise<{ figures: Figure[]; notes: string[] }> {
  const sizes: [DocumentSize, DocumentSize] = [ctx.config.upgradeDocument, ctx.config.largeDocument];
  const large: TrialResult[] = [];
  for (let round = 0; round < ctx.config.trials; round++) {
    ctx.progress(`memory: trial ${round + 1}/${ctx.config.trials}`);
    large.push(await runOnCopy(ctx, largeDocument, (copy) => runTrial('upgrade-engine', [copy], ctx.env)));
  }
  assertSameMigrations([...small, ...large]);
  return {
    figures: [
      rssFigure('4b-upgrade-rss-large', `4  upgrade peak RSS, ${shortSize(sizes[1])}`, 'upgrade', large),
      flatFigure('4c-upgrade-rss-flat', `4  peak RSS ${shortSize(sizes[1])} / ${shortSize(sizes[0])} (flat)`, small, large),
    ],
    notes: [
      `upgrade time (${describeSize(sizes[1])}): ${ms(median(large.map((t) => t.ms)))}, ` +
        `${(median(large.map((t) => t.ms)) / median(small.map((t) => t.ms))).toFixed(2)}× the time for ${describeSize(sizes[0])}`,
      `upgrade steps (${describeSize(sizes[1])}), median ms: ${stepMedians(large)}`,
    ],
  };
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
