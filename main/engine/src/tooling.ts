/**
 * `@fieldbook/engine/tooling`: the building blocks under the commands, for migration authoring
 * tools (revision --autogenerate, check, replay) and for tests that look beneath the commands:
 * SQLite connections and file identity, the SQL tokenizer, schema reflection and operations,
 * manifests, the release ledger, the backup folder. Apps that only open, migrate and export
 * documents need the main entry (`@fieldbook/engine`) alone.
 */
export { openConnection, sqliteFailure, type Connection, type OpenOptions } from './sqlite/connection';
export {
  tokenizeSql,
  tokenName,
  quoteIdent,
  quoteString,
  sqlMentions,
  foldName,
  sameName,
  identifierOf,
  tokenIs,
  mentionsColumn,
  type Token,
  type TokenKind,
} from './sqlite/sql-tokens';
export { normalizeSql } from './sqlite/sql-canonical';
export { splitCreateTable, columnNameOfPart, columnOfPart } from './sqlite/create-table-parts';
export { connectionExecutor, type SqlExecutor } from './sqlite/sql-executor';
export {
  assertDistinctDestination,
  checkDestination,
  fileIdentity,
  isSameFile,
  foldPath,
  isCaseInsensitiveAt,
  type DistinctDestinationOptions,
  type FileIdentity,
} from './sqlite/destination';
export { fileSystemFailure, diagnoseFolder, writeFailure } from './sqlite/file-system-failure';
export { tempFolder, NAME_MAX, clipName, partialPathFor, removeDocumentFiles } from './sqlite/temp-files';
export { placeFile } from './sqlite/place-file';
export { fsyncPath } from './sqlite/fsync';
export { assertSpaceFor, documentBytes, describeBytes, type SpaceNeed } from './sqlite/free-space';
export { copyUnderReadLock } from './documents/locked-copy';
export { damagedPages, suspectRanges, type RowidRange } from './documents/salvage-pages';
export { readSchema, schemaFingerprint, fingerprintOf, diffSchemas, describeObjects, type SchemaObject } from './schema/schema-fingerprint';
export { schemaOperations, type SchemaOperations } from './schema/schema-operations';
export { parseColumnDefinition, parseTableConstraint, describeConstraint, type ColumnDefinition, type ColumnConstraint, type TableConstraint } from './schema/column-definition';
export { fullTextContent } from './schema/full-text-content';
export { MANIFEST_FILE, MIGRATION_FILE, acceptsChecksum, type Manifest, type ManifestEntry } from './migrations/manifest';
export { buildManifests, writeManifests, declaredCompatibility, COMPATIBILITY_FILE, type ManifestSources } from './migrations/manifest-writer';
export { COMPATIBILITIES, isCompatibility, worseOf } from './travel/compatibility';
export { compatibilityOf, type ProvenCompatibility } from './travel/schema-compatibility';
export { embeddedStatements, EMBEDDED_SQL_LIMITS } from './travel/embedded-sql-policy';
export { renderDownStep } from './travel/down-step-sql';
export { takeCopyBack, type TakenBack } from './travel/take-back';
export { wayBackTableName, wayBackTableSql, readWayBack, type WayBackRow } from './travel/way-back-table';
export { locateMigrationsDir, sourceChecksum, fileChecksum, type BundledMigration } from './migrations/bundled-migrations';
export { sha256 } from './sqlite/hashing';
export { RELEASED_FILE, readReleaseLedger, parseReleaseLedger, ledgerEntries, type ReleaseLedger } from './migrations/release-ledger';
export { replaySchemas, REPLAY_VERSION_TABLE } from './migrations/schema-replay';
export { createMigrationContext } from './migrations/migration-steps';
export { runSteps, runnableMigrations, type RunStepsOptions, type RunnableMigration, type StepEvent, type RanStep } from './migrations/step-runner';
export { versionTableStorage, type VersionTableStorage, type VersionStorageOptions, type VersionContext, type VersionedMigration } from './migrations/version-storage';
export { backupDocument, prepareBackupFolder, pruneBackups } from './documents/backup';
export { sequelizeFor } from './sequelize/sequelize-for';
