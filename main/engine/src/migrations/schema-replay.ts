import Database from 'better-sqlite3';
import type { MigrationModule } from './migration-context';
import { readSchema, type SchemaObject } from '../schema/schema-fingerprint';
import { connectionExecutor } from '../sqlite/sql-executor';
import { runSteps, type RunnableMigration } from './step-runner';
import { versionTableStorage } from './version-storage';

/** The version table of scratch replays, kept in the connection's temp schema (outside the replayed schema). */
export const REPLAY_VERSION_TABLE = 'replayed_migrations';

/**
 * Runs migrations' `up` steps one after another (through the step runner, in one transaction)
 * in a scratch in-memory database and returns the schema after each: the expected schemas the
 * manifest records. `names` (default `0001`, `0002`, ...) are what the replay's own version
 * table records.
 * @throws the first error a migration throws
 */
export async function replaySchemas(modules: readonly MigrationModule[], versionTable: string, appVersion = 'replay', names?: readonly string[]): Promise<SchemaObject[][]> {
  const db = new Database(':memory:');
  try {
    db.pragma('foreign_keys = OFF');
    const x = connectionExecutor(db);
    const migrations: RunnableMigration[] = modules.map((mod, index) => ({
      version: index + 1, name: names?.[index] ?? String(index + 1).padStart(4, '0'), checksum: '', load: () => mod,
    }));
    const storage = versionTableStorage({ executor: x, table: REPLAY_VERSION_TABLE, schema: 'temp', appVersion, migrations });
    const schemas: SchemaObject[][] = [];
    db.exec('BEGIN');
    storage.createTable();
    await runSteps({
      executor: x, migrations, storage, from: 0, to: migrations.length, appVersion,
      afterStep: () => void schemas.push(readSchema(db, versionTable)),
    });
    db.exec('COMMIT');
    return schemas;
  } finally {
    db.close();
  }
}
