import fs = require('node:fs');
import path = require('node:path');
import { appDataDir, createEngine, type Engine, type EngineOptions, type LocateOptions } from '@fieldbook/engine';
import type * as SampleSelection from './sample-selection';

/**
 * Fieldbook's application_id, as shared/SCHEMA-HISTORY.md writes it in its PRAGMA statement.
 * The spec also calls it "0x46424B31, the bytes FBK1", but 0x46424B31 is 1178749745; 1178815281
 * is 0x46434B31 ("FCK1"). The PRAGMA's number is what other tools copy, so documents are
 * written with it, and files carrying the FBK1 bytes are read as Fieldbook documents too.
 */
export const FIELDBOOK_APPLICATION_ID = 1178815281;
/** The bytes "FBK1", which the spec's prose names; accepted when reading. */
export const FIELDBOOK_APPLICATION_ID_FBK1 = 0x46424b31;

/**
 * The folder of Fieldbook's bundled migrations, found from this file's location (never the
 * working directory): `dist/main/fieldbook` → `dist/migrations` when built, `main/fieldbook` →
 * `migrations` when run from the source tree under a TypeScript loader.
 */
export function fieldbookMigrationsDir(): string {
  return path.resolve(__dirname, '..', '..', 'migrations');
}

/** Fieldbook's app-data folder; `FIELDBOOK_DATA_DIR` overrides it (tests, portable installs). */
export function fieldbookDataDir(): string {
  const override = process.env.FIELDBOOK_DATA_DIR;
  return override ? path.resolve(override) : appDataDir('Fieldbook');
}

let fieldbookVersion: string | undefined;

/** The version of the installed Fieldbook package (from its package.json, found from this file). */
export function fieldbookAppVersion(): string {
  if (fieldbookVersion) return fieldbookVersion;
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    const file = path.join(dir, 'package.json');
    if (fs.existsSync(file)) {
      const pkg = JSON.parse(fs.readFileSync(file, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'fieldbook' && pkg.version) return (fieldbookVersion = pkg.version);
    }
    if (path.dirname(dir) === dir) return (fieldbookVersion = '0.0.0');
  }
}

/**
 * The plain-data overrides of Fieldbook's engine that the app's shells set (backup folder,
 * locking, where the packaged migrations are); they cross into background jobs, which rebuild
 * the engine from them with fieldbookEngine().
 */
export type FieldbookEngineSettings = Pick<EngineOptions, 'backupDir' | 'keepBackups' | 'lockTimeoutMs'> & { migrations?: LocateOptions };

const fieldbookEngines = new Map<string, Engine>();

/**
 * Fieldbook's engine configuration: its application ids, version table, migrations, the 0.9
 * adoption rule and the sample selection for subsets. With no options it uses the migrations
 * built beside this code; the Electron shell passes `{migrations: {roots: [...]}}`. Engines are
 * immutable and cached by options, so repeated calls are free.
 */
export function fieldbookEngine(overrides: Partial<EngineOptions> = {}): Engine {
  const key = JSON.stringify(overrides);
  let engine = fieldbookEngines.get(key);
  if (!engine) {
    engine = createEngine({
      applicationId: FIELDBOOK_APPLICATION_ID,
      alsoApplicationIds: [FIELDBOOK_APPLICATION_ID_FBK1],
      versionTable: 'fieldbook_migrations',
      appName: 'Fieldbook',
      appVersion: fieldbookAppVersion,
      documentExtension: '.fieldbook',
      migrations: { dir: fieldbookMigrationsDir() },
      backupDir: path.join(fieldbookDataDir(), 'backups'),
      adoptUnversionedAs: 1,
      subsets: {
        rootTable: 'samples',
        // Loaded when a subset is made: the commands that make none (info, upgrade) need none of it.
        select: (selection) => (require('./sample-selection') as typeof SampleSelection).selectSamples(selection),
        rowReferences: [{ table: 'data_issues', tableColumn: 'table_name', rowColumn: 'row_id' }],
      },
      ...overrides,
    });
    fieldbookEngines.set(key, engine);
  }
  return engine;
}
