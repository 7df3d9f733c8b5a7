import { type Connection, sequelizeFor } from '@fieldbook/engine/tooling';
import { compareSchemas } from './compare-schemas';
import { includedObjects, type DevtoolsConfig } from './devtools-config';
import { listMigrationFiles, loadMigrationModule } from './migration-files';
import { modelSchema } from './model-schema';
import { reflectSchema } from './reflect-schema';
import { replayStep, scratchDatabase } from './replay-database';
import type { RenameCandidate, SchemaChange } from './schema-change';
import type { TableShape } from './table-shape';

export interface ModelDiff {
  /** How many migrations were replayed (the head version). */
  head: number;
  /** Differences, read "migrations → models"; empty when the models match the migrations. */
  changes: SchemaChange[];
  /** Removed/added pairs that may be renames (never applied). */
  renames: RenameCandidate[];
  /** The compared tables: migrated (with their SQL) and modelled. */
  reflected: TableShape[];
  modelled: TableShape[];
}

/** The tables the config's models declare, read on a throwaway Sequelize instance. */
export function readModels(config: DevtoolsConfig): TableShape[] {
  const db = scratchDatabase();
  try {
    const sequelize = sequelizeFor(db);
    config.models(sequelize);
    return modelSchema(sequelize, config.tableOptions);
  } finally {
    db.close();
  }
}

/**
 * Compares the models with the schema of `db` (a database the migrations were replayed into).
 * Left out on both sides: SQLite's own tables, virtual (FTS) tables and their shadow tables, the
 * version table, and whatever `exclude`/`includeObject` leave out. Triggers and views are not
 * modelled, so never reported.
 */
export function diffModelsWith(db: Connection, config: DevtoolsConfig, head: number): ModelDiff {
  const schema = reflectSchema(db, config.versionTable);
  const reflected = includedObjects(schema.tables, config, true);
  const modelled = includedObjects(
    readModels(config).filter((t) => !schema.notModelled.has(t.name.toLowerCase())),
    config,
    false,
  );
  const { changes, renames } = compareSchemas(reflected, modelled, { compareTypes: config.compareTypes });
  return { head, changes, renames, reflected, modelled };
}

/**
 * Alembic's autogenerate comparison: replays every migration of `config.migrationsDir` (up)
 * into a scratch in-memory database and compares the result with the models, semantically
 * (see compareSchemas).
 * @throws FieldbookError NOT_FOUND (no folder), BAD_MIGRATIONS (a module without up), MIGRATION_FAILED (a step failed)
 */
export async function diffModels(config: DevtoolsConfig): Promise<ModelDiff> {
  const files = listMigrationFiles(config.migrationsDir);
  const db = scratchDatabase();
  try {
    for (const [index, file] of files.entries()) await replayStep(db, { name: file.name, module: loadMigrationModule(file.path) }, index + 1, 'up');
    return diffModelsWith(db, config, files.length);
  } finally {
    db.close();
  }
}
