/**
 * The process's timers, taken when this module loads (the engine's entry loads it at once, and it
 * imports nothing): a test that fakes timers afterwards (`sinon.useFakeTimers()`, node:test's
 * `mock.timers.enable()`) replaces the globals, not these. The Sequelize adapter waits for locks
 * with them, so a busy wait ends in real time, as in the `sqlite3` package, whose busy handler
 * sleeps in a worker thread.
 */
const realSetTimeout = globalThis.setTimeout;
const realClearTimeout = globalThis.clearTimeout;

/** Calls `run` after `ms` real milliseconds; returns a function that cancels it. */
export function later(ms: number, run: () => void): () => void {
  const timer = realSetTimeout(run, ms);
  return () => realClearTimeout(timer);
}
