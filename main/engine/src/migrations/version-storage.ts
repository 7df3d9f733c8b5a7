import type { UmzugStorage } from 'umzug';
import type { SqlExecutor } from '../sqlite/sql-executor';
import { quoteIdent, quoteString } from '../sqlite/sql-tokens';
import type { Engine } from '../engine';
import { versionTableSql, type AppliedMethod } from './version-table';
import type { Compatibility } from '../travel/compatibility';
import { wayBackTableName, wayBackTableSql } from '../travel/way-back-table';

/** A migration as the version table records it. */
export interface VersionedMigration {
  readonly version: number;
  readonly name: string;
  readonly checksum: string;
  /** Its declared class, recorded in the way-back table (null or absent: undeclared). */
  readonly compatibility?: Compatibility | null;
  /** Its rendered `down` SQL, recorded in the way-back table (null or absent: none). */
  readonly downSql?: string | null;
}

/**
 * What umzug hands the storage with each name (its `context`): the step runner's measured
 * durations, recorded in the `duration_ms` column (NULL for a step it has none for).
 */
export interface VersionContext {
  readonly durationsMs?: ReadonlyMap<string, number>;
}

/** Where a version-table storage writes, and the migrations it may record. */
export interface VersionStorageOptions {
  /** Where the rows are written (and logged, when the executor logs: `sqlLog`, offline scripts). */
  executor: SqlExecutor;
  /** The version table's name. */
  table: string;
  /**
   * `main` (default): the document's own table and `PRAGMA user_version`. `temp`: the
   * connection's temp schema, for scratch replays whose main schema must be exactly what the
   * migrations made.
   */
  schema?: 'main' | 'temp';
  /** Recorded as `app_version`. */
  appVersion: string;
  /** The migrations the storage may be asked to record, by name (umzug passes only names). */
  migrations: readonly VersionedMigration[];
  /**
   * The way-back table (way-back-table.ts) written beside the version table: every version row
   * recorded or removed is recorded or removed there too, with the migration's class and down
   * SQL. Absent: none (scratch replays).
   */
  wayBackTable?: string;
}

/**
 * The version table behind umzug's three-member storage contract (`logMigration`,
 * `unlogMigration`, `executed`), plus the writes that happen without umzug (creating,
 * stamping, adopting a document). Every version row and every `PRAGMA user_version` the engine
 * writes goes through one of these, so the SQL of online runs and of offline scripts is the
 * same by construction. Writes run inside the caller's transaction; nothing is cached, so
 * `executed` always reads the table as it is.
 */
export interface VersionTableStorage extends UmzugStorage<VersionContext> {
  /**
   * Records `name` as applied by a migration (its duration from the context) and sets
   * user_version to its version.
   * @throws Error for a name the storage was not given; SqliteError when the row exists
   */
  logMigration(params: { name: string; context: VersionContext }): Promise<void>;
  /**
   * Deletes `name`'s row and sets user_version to the version below it.
   * @throws Error for a name the storage was not given
   */
  unlogMigration(params: { name: string; context: VersionContext }): Promise<void>;
  /** The names in the table, in version order; empty when there is no table. A fresh array each call. */
  executed(meta: { context: VersionContext }): Promise<string[]>;
  /** Creates the version table (`ifMissing`: unless it exists). */
  createTable(ifMissing?: boolean): void;
  /** Records a migration without running it (`create`, `stamp`, `adopt`); user_version is left to setUserVersion. */
  record(migration: VersionedMigration, method: Exclude<AppliedMethod, 'migrate'>): void;
  /** Deletes the row of `version`, whatever it names (stamping repairs rows that match no migration). */
  remove(version: number): void;
  /** Sets `PRAGMA user_version`. */
  setUserVersion(version: number): void;
  /**
   * Creates the way-back table unless it exists and records the versions 1..`upTo` it lacks (a
   * document migrated by an app that recorded none); no-op without a way-back table.
   */
  recordWayBack(upTo: number): void;
  /** Replaces the way-back table by this storage's own, holding exactly versions 1..`upTo` (a copy taken back to this app's head). */
  resetWayBack(upTo: number): void;
}

/** The timestamp every version row records, in SQL so that offline scripts record when they ran. */
const NOW = "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')";

/** A VersionTableStorage over `options.executor`'s connection. */
export function versionTableStorage(options: VersionStorageOptions): VersionTableStorage {
  const { executor: x, appVersion } = options;
  const temp = options.schema === 'temp';
  const table = `${temp ? 'temp.' : ''}${quoteIdent(options.table)}`;
  const userVersion = temp ? 'PRAGMA temp.user_version' : 'PRAGMA user_version';
  const byName = new Map(options.migrations.map((m) => [m.name, m]));
  const known = (name: string): VersionedMigration => {
    const m = byName.get(name);
    if (!m) throw new Error(`the version table cannot record ${name}: it is not one of the migrations it was given`);
    return m;
  };
  const insert = (m: VersionedMigration, method: AppliedMethod, durationMs: number | null) => x.exec(
    `INSERT INTO ${table} (version, name, checksum, applied_at, app_version, duration_ms, method) VALUES (` +
    `${m.version}, ${quoteString(m.name)}, ${quoteString(m.checksum)}, ${NOW}, ${quoteString(appVersion)}, ${durationMs ?? 'NULL'}, '${method}')`,
  );
  const wayBack = options.wayBackTable === undefined ? null : `${temp ? 'temp.' : ''}${quoteIdent(options.wayBackTable)}`;
  const wayBackRow = (m: VersionedMigration, verb: 'INSERT OR REPLACE' | 'INSERT OR IGNORE') => {
    if (wayBack) {
      ensureWayBack();
      x.exec(`${verb} INTO ${wayBack} (version, name, compatibility, down_sql) VALUES (${m.version}, ${quoteString(m.name)}, ` +
        `${m.compatibility ? quoteString(m.compatibility) : 'NULL'}, ${typeof m.downSql === 'string' ? quoteString(m.downSql) : 'NULL'})`);
    }
  };
  let wayBackReady = false;
  const createWayBack = () => {
    if (wayBack) x.exec(wayBackTableSql(options.wayBackTable!).replace(/^CREATE TABLE /, `CREATE TABLE IF NOT EXISTS ${temp ? 'temp.' : ''}`));
    wayBackReady = true;
  };
  // A document an app without way-back tables wrote has none until this storage first writes a row.
  const ensureWayBack = () => {
    if (!wayBackReady) createWayBack();
  };
  const record = (m: VersionedMigration, method: AppliedMethod, durationMs: number | null) => {
    insert(m, method, durationMs);
    wayBackRow(m, 'INSERT OR REPLACE');
  };
  const recordWayBack = (upTo: number) => {
    if (!wayBack) return;
    createWayBack();
    for (const m of options.migrations.filter((k) => k.version <= upTo)) wayBackRow(m, 'INSERT OR IGNORE');
  };
  const remove = (version: number) => {
    x.exec(`DELETE FROM ${table} WHERE version = ${version}`);
    if (wayBack) {
      ensureWayBack();
      x.exec(`DELETE FROM ${wayBack} WHERE version = ${version}`);
    }
  };
  const setUserVersion = (version: number) => x.exec(`${userVersion} = ${version}`);
  return {
    async logMigration({ name, context }) {
      const m = known(name);
      record(m, 'migrate', context.durationsMs?.get(name) ?? null);
      setUserVersion(m.version);
    },
    async unlogMigration({ name }) {
      const m = known(name);
      remove(m.version);
      setUserVersion(m.version - 1);
    },
    async executed() {
      try {
        return x.db.prepare(`SELECT name FROM ${table} ORDER BY version`).pluck().all() as string[];
      } catch (error) {
        if (/no such table/.test((error as Error).message)) return [];
        throw error;
      }
    },
    createTable(ifMissing = false) {
      const create = versionTableSql(options.table).replace(/^CREATE TABLE /, `CREATE TABLE ${ifMissing ? 'IF NOT EXISTS ' : ''}${temp ? 'temp.' : ''}`);
      x.exec(create);
      createWayBack();
    },
    record: (m, method) => record(m, method, null),
    remove,
    setUserVersion,
    recordWayBack,
    resetWayBack(upTo) {
      if (!wayBack) return;
      x.exec(`DROP TABLE IF EXISTS ${wayBack}`);
      wayBackReady = false;
      recordWayBack(upTo);
    },
  };
}

/** The engine's own version table on `executor`'s document: its table name, app version and bundled migrations, with its way-back table. */
export function engineVersionStorage(engine: Engine, executor: SqlExecutor): VersionTableStorage {
  return versionTableStorage({
    executor, table: engine.versionTable, appVersion: engine.appVersion, migrations: engine.migrations.migrations, wayBackTable: wayBackTableName(engine.versionTable),
  });
}
