/**
 * Development tools over the migration engine (Alembic's `revision`, `revision --autogenerate`
 * and a CI `check`), as plain functions that take a DevtoolsConfig; the `fieldbook revision` and
 * `fieldbook check` commands are thin adapters. See README.md in this folder.
 */
export { checkProject, type CheckKind, type CheckProblem, type CheckResult } from './check-project';
export { compareSchemas, type CompareOptions, type SchemaComparison } from './compare-schemas';
export { includedObjects, type DevtoolsConfig, type SchemaObjectRef, type SchemaObjectType } from './devtools-config';
export { diffModels, diffModelsWith, readModels, type ModelDiff } from './diff-models';
export { listMigrationFiles, loadMigrationModule, numberingProblems, type MigrationFile } from './migration-files';
export { migrationSource, slugFor } from './migration-template';
export { declaredTypeOf, modelSchema, serverDefaultOf, SEQUELIZE_TYPE_TO_SQLITE } from './model-schema';
export { reflectSchema, type ReflectedSchema } from './reflect-schema';
export { renderMigrationBody, type MigrationBody } from './render-migration';
export { replayStep, scratchDatabase, type ReplayStep } from './replay-database';
export { revision, type RevisionOptions, type RevisionResult } from './revision';
export type { RenameCandidate, SchemaChange, SchemaChangeKind } from './schema-change';
export type { ModelWithSqliteTable, SqliteTableOptions } from './sqlite-table-options';
export type { ColumnShape, TableShape, IndexShape, ForeignKeyShape, CheckShape } from './table-shape';
