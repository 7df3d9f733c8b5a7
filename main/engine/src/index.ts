/**
 * `@fieldbook/engine`: SQLite documents for desktop apps, in plain Node (no Electron). An app
 * describes itself once with `createEngine` and passes that engine to every command; the
 * commands are plain functions, and a CLI or an Electron shell is a thin adapter over them.
 * See docs/api.md.
 */
export { createEngine, engineSettings, appDataDir, type Engine, type EngineOptions, type EngineSettings } from './engine';
export { FieldbookError, MigrationError, isFieldbookError, describeCause, type ErrorCode, type FieldbookErrorOptions } from './errors';

export { classifyDocument, type Classification, type ClassifyOptions, type DocumentStatus, type EngineOption } from './documents/classify';
export { openDocument, type DocumentHandle, type OpenDocumentOptions, type UpgradeRunner } from './documents/open';
export type { WriteRefusal } from './documents/write-refusal';
export {
  upgradeDocument,
  downgradeDocument,
  planDowngrade,
  type MigrateOptions,
  type MigrateResult,
  type MigrationStep,
  type DowngradeOptions,
  type DowngradeResult,
  type DowngradePlan,
} from './documents/migrate';
export { createDocument, type CreateOptions, type CreateResult } from './documents/create';
export { stampDocument, type StampOptions, type StampResult } from './documents/stamp';
export { exportDocument, type ExportDocumentOptions, type ExportDocumentResult } from './documents/export-document';
export { describeLoss, type LostData } from './documents/lost-data';
export type { Compatibility } from './travel/compatibility';
export type { NewerDocument } from './travel/newer-document';

export { listMigrations, type MigrationInfo } from './migrations/list-migrations';
export { loadBundledMigrations, type BundledMigrations, type LocateOptions, type LoadOptions } from './migrations/bundled-migrations';
export { resolveTarget, type Target } from './migrations/targets';
export { renderMigrationSql, type RenderSqlOptions, type RenderedSql } from './migrations/offline-sql';
export type { MigrationContext, MigrationModule } from './migrations/migration-context';
export type { AppliedMigration } from './migrations/version-table';
export type { SchemaOperations } from './schema/schema-operations';

export { exportSubset, type ExportOptions, type SubsetProgress, type SubsetResult } from './subset/export-subset';
export { createTemporarySubset, withTemporarySubset, type TemporarySubset } from './subset/temporary-subset';
export type { SubsetConfig, RootSelection } from './subset/subset-config';

export { upgradeMany, type UpgradeManyOptions, type UpgradeManyProgress, type UpgradeManySummary, type FileOutcome } from './batch/upgrade-many';
export { fileFailure, type FileFailure } from './batch/file-failure';

export { currentVersion, type CurrentVersion } from './commands/current-version';
export { migrationHistory, type MigrationHistory, type MigrationHistoryOptions } from './commands/migration-history';
export { showMigration, type MigrationDetails } from './commands/show-migration';
export { upgradePaths, type UpgradePathsOptions } from './commands/upgrade-paths';
export { confirmedDowngrade, type ConfirmedDowngradeOptions } from './commands/confirmed-downgrade';
export { verifyDocuments, type VerifyOptions, type VerifiedFile, type VerifyReport } from './commands/verify-documents';
export { storageWarning } from './sqlite/free-space';
export { salvageDocument, type SalvageOptions, type SalvageResult, type SalvagedTable } from './documents/salvage';

export { removeTemporaryFiles } from './sqlite/temp-files';
export { writeFileSafely, type WriteFileOptions } from './sqlite/write-file';
export { declareOpenElsewhereInProcess } from './sqlite/connection';
export { backupFolderFor, latestBackup } from './documents/backup';
export { betterSqlite3Dialect, type BetterSqlite3DialectOptions, type Sqlite3Module } from './sequelize/better-sqlite3-dialect';
