import Database from 'better-sqlite3';
import type { MigrationModule } from './migration-context';
import { createMigrationContext } from './migration-steps';
import { readSchema, type SchemaObject } from '../schema/schema-fingerprint';
import { connectionExecutor } from '../sqlite/sql-executor';

/**
 * Runs migrations' `up` steps one after another in a scratch in-memory database and returns
 * the schema after each: the expected schemas the manifest records.
 */
export async function replaySchemas(modules: readonly MigrationModule[], versionTable: string, appVersion = 'replay'): Promise<SchemaObject[][]> {
  const db = new Database(':memory:');
  try {
    db.pragma('foreign_keys = OFF');
    const x = connectionExecutor(db);
    const schemas: SchemaObject[][] = [];
    for (const [index, mod] of modules.entries()) {
      db.exec('BEGIN');
      await mod.up(createMigrationContext(x, appVersion, index + 1, 'up'));
      db.exec('COMMIT');
      schemas.push(readSchema(db, versionTable));
    }
    return schemas;
  } finally {
    db.close();
  }
}
