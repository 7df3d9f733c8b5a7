/**
 * How a version's documents meet an app that knows only the versions before it, as the
 * migration's author declares it (and `check` verifies against the schema diff):
 * - `additive`: the older app reads and writes the document as it is (new tables, indexes,
 *   views and columns it may leave empty only; nothing it relies on changed);
 * - `readable`: the older app can read everything it knows but must not write (a changed type,
 *   a new constraint, index or trigger on its tables);
 * - `breaking`: the older app cannot even read it (a table or column it reads is gone or renamed).
 */
export type Compatibility = 'additive' | 'readable' | 'breaking';

/** The classes from the least to the most severe. */
export const COMPATIBILITIES: readonly Compatibility[] = ['additive', 'readable', 'breaking'];

/** True for one of the three class names. */
export function isCompatibility(value: unknown): value is Compatibility {
  return typeof value === 'string' && (COMPATIBILITIES as readonly string[]).includes(value);
}

/** The more severe of two classes; null (unknown) wins over every class. */
export function worseOf(a: Compatibility | null, b: Compatibility | null): Compatibility | null {
  if (a === null || b === null) return null;
  return COMPATIBILITIES.indexOf(a) >= COMPATIBILITIES.indexOf(b) ? a : b;
}
