/**
 * What one bench run measures and how often, from the environment:
 * - `BENCH_TRIALS`: trials per measured side (default 5, 3 with BENCH_QUICK); the median is reported.
 *   Figures whose trials take well under a second (classify, info, the small upgrade) run five
 *   times as many: their spread between processes is as wide as the margins they are judged by
 *   (on a noisy machine, runs of three times as many trials gave medians 15% apart).
 * - `BENCH_QUICK=1`: small documents and few trials, to smoke-test the bench itself (CI). Its
 *   figures are not the figures: the documents are 20 times smaller.
 * - `BENCH_ONLY=upgrade`: only the upgrade-time figures (2a, 2b), for working on the upgrade;
 *   `BENCH_ONLY=info`: only the `fieldbook info` process figures (5, 5b), for working on start-up;
 *   `BENCH_ONLY=classify`: only the open+classify figures (1, cold and warm), for working on classification.
 */
export interface BenchConfig {
  quick: boolean;
  trials: number;
  /** Trials per side of the figures whose trials are short (classify, info, figure 2a): 5 × `trials`. */
  shortTrials: number;
  /** Warm calls timed after the cold one in each classify trial (their median is the warm figure). */
  warmCalls: number;
  /** Figures measured: all, or only the upgrade-time (`BENCH_ONLY=upgrade`), info (`BENCH_ONLY=info`) or classify (`BENCH_ONLY=classify`) figures. */
  only: 'upgrade' | 'info' | 'classify' | null;
  /** The upgrade document (figure 2b, the small side of figure 4, and the subset source). */
  upgradeDocument: DocumentSize;
  /** The small upgrade document (figure 2a): what upgrading costs beyond the statements when they are quick. */
  smallUpgradeDocument: DocumentSize;
  /**
   * The large side of figure 4: the same samples with four times the measurements each, so only
   * the measurements table grows between the two documents.
   */
  largeDocument: DocumentSize;
  /** Rows seeded into the head document that classify and info read. */
  headSamples: number;
}

export interface DocumentSize {
  samples: number;
  measurementsPerSample: number;
}

export function benchConfig(env: NodeJS.ProcessEnv = process.env): BenchConfig {
  const quick = env.BENCH_QUICK === '1';
  const trials = env.BENCH_TRIALS === undefined ? (quick ? 3 : 5) : Number(env.BENCH_TRIALS);
  if (!Number.isInteger(trials) || trials < 1) throw new Error(`BENCH_TRIALS must be a positive integer, not ${env.BENCH_TRIALS}`);
  const samples = quick ? 5_000 : 100_000;
  const only = env.BENCH_ONLY ?? null;
  if (only !== null && only !== 'upgrade' && only !== 'info' && only !== 'classify') throw new Error(`BENCH_ONLY can only be upgrade, info or classify, not ${only}`);
  return {
    quick,
    trials,
    shortTrials: trials * 5,
    only,
    warmCalls: 25,
    upgradeDocument: { samples, measurementsPerSample: 10 },
    smallUpgradeDocument: { samples: samples / 20, measurementsPerSample: 10 },
    largeDocument: { samples, measurementsPerSample: 40 },
    headSamples: quick ? 200 : 2_000,
  };
}

export function measurementsOf(size: DocumentSize): number {
  return size.samples * size.measurementsPerSample;
}

/** "100k samples × 10 = 1M measurements", for labels. */
export function describeSize(size: DocumentSize): string {
  return `${count(size.samples)} samples × ${size.measurementsPerSample} = ${count(measurementsOf(size))} measurements`;
}

/** "100k×10", for figure labels. */
export function shortSize(size: DocumentSize): string {
  return `${count(size.samples)}×${size.measurementsPerSample}`;
}

function count(n: number): string {
  if (n >= 1_000_000 && n % 100_000 === 0) return `${n / 1_000_000}M`;
  if (n >= 1_000 && n % 100 === 0) return `${n / 1_000}k`;
  return String(n);
}
