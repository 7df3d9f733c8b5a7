/**
 * The run-time side of `@fieldbook/engine`: package.json's `exports["."]` takes its types (and
 * their documentation) from index.ts and its code from this file. It exports every value
 * index.ts exports, each module loaded the first time one of its values is read, so a command
 * pays only for what it calls: `fieldbook info` loads classification, not the migration runner,
 * the subset exporter or the worker pool (`import` and `require` of the entry load nothing yet).
 *
 * The table is checked by the compiler: a value index.ts exports that is missing here, or taken
 * from a module whose value has another type, is an error. test/lazy-index.test.ts checks that
 * every value is the very one index.ts exports.
 */
import type * as Entry from './index';
// Eager and tiny: it takes the real timers before a test can fake them (see real-timers.ts).
import './real-timers';

type Values = typeof Entry;

/** A module loader that loads once. */
function once<M>(load: () => M): () => M {
  let loaded: M | undefined;
  return () => (loaded ??= load());
}

const engine = once(() => require('./engine') as typeof import('./engine'));
const errors = once(() => require('./errors') as typeof import('./errors'));
const classify = once(() => require('./documents/classify') as typeof import('./documents/classify'));
const open = once(() => require('./documents/open') as typeof import('./documents/open'));
const migrate = once(() => require('./documents/migrate') as typeof import('./documents/migrate'));
const create = once(() => require('./documents/create') as typeof import('./documents/create'));
const stamp = once(() => require('./documents/stamp') as typeof import('./documents/stamp'));
const exportDocument = once(() => require('./documents/export-document') as typeof import('./documents/export-document'));
const lostData = once(() => require('./documents/lost-data') as typeof import('./documents/lost-data'));
const listMigrations = once(() => require('./migrations/list-migrations') as typeof import('./migrations/list-migrations'));
const bundledMigrations = once(() => require('./migrations/bundled-migrations') as typeof import('./migrations/bundled-migrations'));
const targets = once(() => require('./migrations/targets') as typeof import('./migrations/targets'));
const offlineSql = once(() => require('./migrations/offline-sql') as typeof import('./migrations/offline-sql'));
const exportSubset = once(() => require('./subset/export-subset') as typeof import('./subset/export-subset'));
const temporarySubset = once(() => require('./subset/temporary-subset') as typeof import('./subset/temporary-subset'));
const upgradeMany = once(() => require('./batch/upgrade-many') as typeof import('./batch/upgrade-many'));
const fileFailure = once(() => require('./batch/file-failure') as typeof import('./batch/file-failure'));
const connection = once(() => require('./sqlite/connection') as typeof import('./sqlite/connection'));
const backup = once(() => require('./documents/backup') as typeof import('./documents/backup'));
const tempFiles = once(() => require('./sqlite/temp-files') as typeof import('./sqlite/temp-files'));
const writeFile = once(() => require('./sqlite/write-file') as typeof import('./sqlite/write-file'));
const dialect = once(() => require('./sequelize/better-sqlite3-dialect') as typeof import('./sequelize/better-sqlite3-dialect'));
const currentVersion = once(() => require('./commands/current-version') as typeof import('./commands/current-version'));
const migrationHistory = once(() => require('./commands/migration-history') as typeof import('./commands/migration-history'));
const showMigration = once(() => require('./commands/show-migration') as typeof import('./commands/show-migration'));
const upgradePaths = once(() => require('./commands/upgrade-paths') as typeof import('./commands/upgrade-paths'));
const confirmedDowngrade = once(() => require('./commands/confirmed-downgrade') as typeof import('./commands/confirmed-downgrade'));
const verifyDocuments = once(() => require('./commands/verify-documents') as typeof import('./commands/verify-documents'));
const salvage = once(() => require('./documents/salvage') as typeof import('./documents/salvage'));
const freeSpace = once(() => require('./sqlite/free-space') as typeof import('./sqlite/free-space'));

const values: { [Name in keyof Values]: () => Values[Name] } = {
  createEngine: () => engine().createEngine,
  engineSettings: () => engine().engineSettings,
  appDataDir: () => engine().appDataDir,
  FieldbookError: () => errors().FieldbookError,
  MigrationError: () => errors().MigrationError,
  isFieldbookError: () => errors().isFieldbookError,
  describeCause: () => errors().describeCause,
  classifyDocument: () => classify().classifyDocument,
  openDocument: () => open().openDocument,
  upgradeDocument: () => migrate().upgradeDocument,
  downgradeDocument: () => migrate().downgradeDocument,
  planDowngrade: () => migrate().planDowngrade,
  createDocument: () => create().createDocument,
  stampDocument: () => stamp().stampDocument,
  exportDocument: () => exportDocument().exportDocument,
  describeLoss: () => lostData().describeLoss,
  listMigrations: () => listMigrations().listMigrations,
  loadBundledMigrations: () => bundledMigrations().loadBundledMigrations,
  resolveTarget: () => targets().resolveTarget,
  renderMigrationSql: () => offlineSql().renderMigrationSql,
  exportSubset: () => exportSubset().exportSubset,
  createTemporarySubset: () => temporarySubset().createTemporarySubset,
  withTemporarySubset: () => temporarySubset().withTemporarySubset,
  upgradeMany: () => upgradeMany().upgradeMany,
  fileFailure: () => fileFailure().fileFailure,
  removeTemporaryFiles: () => tempFiles().removeTemporaryFiles,
  writeFileSafely: () => writeFile().writeFileSafely,
  declareOpenElsewhereInProcess: () => connection().declareOpenElsewhereInProcess,
  backupFolderFor: () => backup().backupFolderFor,
  latestBackup: () => backup().latestBackup,
  betterSqlite3Dialect: () => dialect().betterSqlite3Dialect,
  currentVersion: () => currentVersion().currentVersion,
  migrationHistory: () => migrationHistory().migrationHistory,
  showMigration: () => showMigration().showMigration,
  upgradePaths: () => upgradePaths().upgradePaths,
  confirmedDowngrade: () => confirmedDowngrade().confirmedDowngrade,
  verifyDocuments: () => verifyDocuments().verifyDocuments,
  storageWarning: () => freeSpace().storageWarning,
  salvageDocument: () => salvage().salvageDocument,
};

Object.defineProperty(exports, '__esModule', { value: true });
for (const [name, get] of Object.entries(values)) Object.defineProperty(exports, name, { enumerable: true, get });
