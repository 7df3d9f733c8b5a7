/**
 * A small seeded PRNG (mulberry32) for tests that pick random moments: printing the seed makes
 * a failing run reproducible (`FIELDBOOK_CRASH_SEED=<seed>`).
 */

/** Returns a function giving numbers in [0, 1), the same sequence for the same seed. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The seed from the environment variable `name` (a non-negative integer), or a fresh one. */
export function seedFromEnv(name: string): number {
  const given = process.env[name];
  if (given !== undefined && given !== '') {
    const seed = Number(given);
    if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) throw new Error(`${name} must be an integer from 0 to 4294967295, got "${given}"`);
    return seed;
  }
  return (Date.now() ^ (process.pid << 16)) >>> 0;
}
