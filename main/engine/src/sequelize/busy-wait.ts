/** The sleeps of SQLite's default busy handler (sqliteDefaultBusyCallback), ms; 100 after these. */
const DELAYS = [1, 2, 5, 10, 15, 20, 25, 25, 25, 50, 50, 100];

/** How long to wait before busy retry number `count` (from 0), as SQLite's busy handler sleeps. */
export const busyPollDelay = (count: number): number => DELAYS[count] ?? 100;
