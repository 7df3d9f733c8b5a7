import type { Connection } from '../sqlite/connection';
import type { SchemaOperations } from '../schema/schema-operations';

/**
 * What a migration's `up` and `down` receive. Everything a migration changes should go through
 * `exec` and `ops`, written as SQL that SQLite's built-in functions can run: the engine can then
 * log, replay and render the exact statements (offline scripts, benchmarks). `db` is there for
 * the rare migration that must read; such a migration cannot be rendered offline.
 */
export interface MigrationContext {
  /** The version this step migrates to (up) or from (down). */
  readonly version: number;
  readonly direction: 'up' | 'down';
  /** The app version doing the migration, as recorded in the version table. */
  readonly appVersion: string;
  /** Runs one or more SQL statements on the document, inside the migration transaction. */
  exec(sql: string): void;
  /** SQLite-correct schema changes: native ALTER where SQLite supports it, a preserving rebuild otherwise. */
  readonly ops: SchemaOperations;
  /** The document's better-sqlite3 connection (inside the migration transaction). */
  readonly db: Connection;
  /**
   * A Sequelize QueryInterface on the same connection (loaded on first use). Its changeColumn,
   * removeColumn, renameColumn, renameTable, addConstraint and removeConstraint go through `ops`
   * (Sequelize's own sqlite versions rebuild tables losing indexes, triggers, CHECKs and FK
   * actions), or are refused where no faithful translation exists: see preservingQueryInterface.
   */
  readonly queryInterface: import('sequelize').QueryInterface;
}

/** The shape of a migration module in `migrations/NNNN-name.ts`. */
export interface MigrationModule {
  /** One line saying what the version adds. */
  message?: string;
  /**
   * How documents at this version meet an app at the version before: `additive`, `readable` or
   * `breaking` (see Compatibility). `check` refuses a class the schema diff disproves.
   */
  compatibility?: import('../travel/compatibility').Compatibility;
  up(context: MigrationContext): void | Promise<void>;
  down?(context: MigrationContext): void | Promise<void>;
}
