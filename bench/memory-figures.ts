import { mb, type Figure } from './bench-report';
import { median, type TrialResult } from './run-trial';

/** Peak RSS an engine operation on a large document may reach, MB. */
const RSS_LIMIT_MB = 200;
/** "Flat": the peak on the large document within +25% of the peak on the small one. */
const FLAT_LIMIT = 1.25;

/**
 * The median peak RSS (`maxRSS`) of a set of trial processes, against the 200 MB target.
 * @param what the operation, for the detail column: "upgrade", "subset"
 */
export function rssFigure(id: string, label: string, what: string, trials: readonly TrialResult[]): Figure {
  const peaks = trials.map((t) => mb(t.rssKB));
  const value = median(peaks);
  return {
    id,
    label,
    value,
    unit: 'MB',
    limit: RSS_LIMIT_MB,
    pass: value <= RSS_LIMIT_MB,
    detail: `maxRSS of the ${what} process [${Math.min(...peaks).toFixed(1)}–${Math.max(...peaks).toFixed(1)} MB]`,
    data: { trialsMB: peaks },
  };
}

/**
 * The ratio of two median peaks, the same operation on a large and a small document: memory
 * that does not grow with the document keeps it near 1 (target ≤ 1.25×).
 */
export function flatFigure(id: string, label: string, small: readonly TrialResult[], large: readonly TrialResult[]): Figure {
  const smallPeak = median(small.map((t) => t.rssKB));
  const largePeak = median(large.map((t) => t.rssKB));
  const value = largePeak / smallPeak;
  return {
    id,
    label,
    value,
    unit: '×',
    limit: FLAT_LIMIT,
    pass: value <= FLAT_LIMIT,
    detail: `${mb(largePeak).toFixed(1)} MB vs ${mb(smallPeak).toFixed(1)} MB`,
    data: { smallKB: smallPeak, largeKB: largePeak },
  };
}
