/**
 * The timers a busy statement waits with, taken when this module loads (the engine's entry loads
 * it eagerly): a test that fakes timers afterwards (`sinon.useFakeTimers()`, node:test's
 * `mock.timers.enable()`) replaces the globals, not these, so a busy wait still ends in real time,
 * as it does in the `sqlite3` package, whose busy handler sleeps in a worker thread.
 */
const realSetTimeout = globalThis.setTimeout;
const realClearTimeout = globalThis.clearTimeout;

/** The sleeps of SQLite's default busy handler (sqliteDefaultBusyCallback), ms; 100 after these. */
const DELAYS = [1, 2, 5, 10, 15, 20, 25, 25, 25, 50, 50, 100];

/** How long to wait before busy retry number `count` (from 0), as SQLite's busy handler sleeps. */
export const busyPollDelay = (count: number): number => DELAYS[count] ?? 100;

/** Calls `run` after `ms` real milliseconds; returns a function that cancels it. */
export function later(ms: number, run: () => void): () => void {
  const timer = realSetTimeout(run, ms);
  return () => realClearTimeout(timer);
}
