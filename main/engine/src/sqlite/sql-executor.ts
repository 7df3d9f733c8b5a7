import type { Connection } from './connection';

/**
 * Where migration SQL goes: executed on a connection, and optionally recorded so a run can be
 * replayed by hand (benchmarks) or rendered as a script.
 */
export interface SqlExecutor {
  readonly db: Connection;
  exec(sql: string): void;
}

/** An SqlExecutor running on `db` that also pushes every statement onto `log`, when given. */
export function connectionExecutor(db: Connection, log?: string[]): SqlExecutor {
  return {
    db,
    exec(sql) {
      log?.push(sql);
      db.exec(sql);
    },
  };
}
