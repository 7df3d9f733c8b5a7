/**
 * Fieldbook's document engine: plain Node, no Electron. Every command is a function here; the
 * CLI and the Electron shell are thin adapters over them.
 */
export { classifyDocument, type Classification, type ClassifyOptions, type DocumentStatus, type EngineOption } from './classify';
export { openDocument, type DocumentHandle, type OpenDocumentOptions } from './open';
export { upgradeDocument, downgradeDocument, planDowngrade, type MigrateOptions, type MigrateResult, type MigrationStep, type DowngradeOptions, type DowngradeResult, type DowngradePlan } from './migrate';
export { createDocument, type CreateOptions, type CreateResult } from './create';
export { stampDocument, type StampOptions, type StampResult } from './stamp';
export { listMigrations, type MigrationInfo } from './list-migrations';
export { exportSubset, type ExportOptions, type SubsetProgress, type SubsetResult } from './subset/export-subset';
export { createTemporarySubset, withTemporarySubset, type TemporarySubset } from './subset/temporary-subset';
export type { SampleSelection } from './subset/sample-selection';
export type { SubsetConfig, RootSelection } from './subset/subset-config';
export { upgradeMany, type UpgradeManyOptions, type UpgradeManyProgress, type UpgradeManySummary, type FileOutcome } from './upgrade-many';
export { buildManifests, writeManifests, type ManifestSources } from './manifest-writer';
export { createDocumentAt, migrateAndValidate, type CreateAtOptions, type ValidationReport } from './testing';
export { renderMigrationSql, type RenderSqlOptions, type RenderedSql } from './offline-sql';
export { exportDocument, type ExportDocumentOptions, type ExportDocumentResult } from './export-document';
export type { LostData } from './lost-data';
export { createEngine, fieldbookEngine, appDataDir, FIELDBOOK_APPLICATION_ID, type Engine, type EngineOptions } from './engine';
export { loadBundledMigrations, type BundledMigrations, type LocateOptions } from './bundled-migrations';
export { FieldbookError, MigrationError, isFieldbookError, type ErrorCode } from './errors';
export { resolveTarget, type Target } from './targets';
export { schemaFingerprint, readSchema, type SchemaObject } from './schema-fingerprint';
export type { MigrationContext, MigrationModule } from './migration-context';
export type { SchemaOperations } from './schema-operations';
export type { AppliedMigration } from './version-table';
export { sequelizeFor } from './sequelize/sequelize-for';
export { betterSqlite3Dialect } from './sequelize/better-sqlite3-dialect';
