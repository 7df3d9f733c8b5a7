import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadBundledMigrations, type BundledMigrations, type LocateOptions } from './bundled-migrations';
import { selectSamples } from './subset/sample-selection';
import type { SubsetConfig } from './subset/subset-config';

/**
 * Everything that makes the engine one app's engine. Nothing Fieldbook-specific is wired into the
 * engine's code; Fieldbook's own values live in `fieldbookEngine()`.
 */
export interface EngineOptions {
  /** `PRAGMA application_id` written to the app's documents. */
  applicationId: number;
  /** Other application ids that also mark the app's documents when read (rewritten to `applicationId` on upgrade). */
  alsoApplicationIds?: readonly number[];
  /** Name of the table recording applied migrations. */
  versionTable: string;
  /** App name: the folder under the OS app-data folder that holds backups. */
  appName: string;
  /** The app version written to the version table (or a function giving it, called when first needed). */
  appVersion: string | (() => string);
  /** Where the bundled migrations are (a folder, app roots to search), or an already loaded set. */
  migrations?: LocateOptions | BundledMigrations;
  /**
   * Unversioned documents (application_id 0, user_version 0, no version table) whose schema
   * matches this version are adopted (stamped at it) and upgraded; others are foreign.
   * Fieldbook's 0.9 beta files match version 1. Omit to treat every unversioned file as foreign.
   */
  adoptUnversionedAs?: number;
  /** Default folder for backups; defaults to `<app data>/<appName>/backups`. */
  backupDir?: string;
  /** How many backups to keep per document (default 5). */
  keepBackups?: number;
  /** How long to wait for another process's lock before LOCKED (ms, default 3000). */
  lockTimeoutMs?: number;
  /** Where subsets start (exportSubset); without it the engine cannot cut subsets. */
  subsets?: SubsetConfig;
}

export interface Engine {
  readonly applicationId: number;
  /** Every application id accepted as this app's, `applicationId` first. */
  readonly applicationIds: readonly number[];
  readonly versionTable: string;
  readonly appName: string;
  readonly appVersion: string;
  readonly adoptUnversionedAs: number | null;
  readonly backupDir: string;
  readonly keepBackups: number;
  readonly lockTimeoutMs: number;
  readonly subsets: SubsetConfig | null;
  /**
   * The bundled migrations, read from their manifest on first use; the files themselves are
   * verified against it before the first migration runs (BundledMigrations.verify).
   */
  readonly migrations: BundledMigrations;
}

export function createEngine(options: EngineOptions): Engine {
  if (!Number.isInteger(options.applicationId) || options.applicationId === 0) {
    throw new TypeError('applicationId must be a non-zero 32-bit integer');
  }
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(options.versionTable)) throw new TypeError('versionTable must be a plain identifier');
  let migrations: BundledMigrations | undefined = isLoaded(options.migrations) ? options.migrations : undefined;
  const locate = isLoaded(options.migrations) ? undefined : options.migrations;
  let appVersion = typeof options.appVersion === 'string' ? options.appVersion : undefined;
  const versionOf = options.appVersion;
  return {
    applicationId: options.applicationId | 0,
    applicationIds: [options.applicationId | 0, ...(options.alsoApplicationIds ?? []).map((id) => id | 0)],
    versionTable: options.versionTable,
    appName: options.appName,
    get appVersion() {
      appVersion ??= typeof versionOf === 'function' ? versionOf() : versionOf;
      return appVersion;
    },
    adoptUnversionedAs: options.adoptUnversionedAs ?? null,
    backupDir: options.backupDir ?? path.join(appDataDir(options.appName), 'backups'),
    keepBackups: options.keepBackups ?? 5,
    lockTimeoutMs: options.lockTimeoutMs ?? 3000,
    subsets: options.subsets ?? null,
    get migrations() {
      migrations ??= loadBundledMigrations({ ...locate, verify: 'before-running' });
      return migrations;
    },
  };
}

function isLoaded(value: EngineOptions['migrations']): value is BundledMigrations {
  return value !== undefined && 'migrations' in value && 'load' in value;
}

/**
 * The per-user app-data folder, as Electron's `app.getPath('userData')` computes it:
 * `%APPDATA%\<app>` on Windows, `~/Library/Application Support/<app>` on macOS,
 * `$XDG_CONFIG_HOME/<app>` (default `~/.config/<app>`) elsewhere. `FIELDBOOK_DATA_DIR`
 * overrides it (tests, portable installs).
 */
export function appDataDir(appName: string): string {
  const override = process.env.FIELDBOOK_DATA_DIR;
  if (override) return path.resolve(override);
  const home = os.homedir();
  if (process.platform === 'win32') return path.join(process.env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), appName);
  if (process.platform === 'darwin') return path.join(home, 'Library', 'Application Support', appName);
  return path.join(process.env.XDG_CONFIG_HOME ?? path.join(home, '.config'), appName);
}

/**
 * Fieldbook's application_id, as shared/SCHEMA-HISTORY.md writes it in its PRAGMA statement.
 * The spec also calls it "0x46424B31, the bytes FBK1", but 0x46424B31 is 1178749745; 1178815281
 * is 0x46434B31 ("FCK1"). The PRAGMA's number is what other tools copy, so documents are
 * written with it, and files carrying the FBK1 bytes are read as Fieldbook documents too.
 */
export const FIELDBOOK_APPLICATION_ID = 1178815281;
/** The bytes "FBK1", which the spec's prose names; accepted when reading. */
export const FIELDBOOK_APPLICATION_ID_FBK1 = 0x46424b31;

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

const fieldbookEngines = new Map<string, Engine>();

/**
 * Fieldbook's own engine. With no options it uses the migrations bundled beside this code; an
 * Electron shell passes `{migrations: {roots: [...]}}`. Engines are immutable and cached by
 * options, so repeated calls are free.
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
      adoptUnversionedAs: 1,
      subsets: {
        rootTable: 'samples',
        select: selectSamples,
        rowReferences: [{ table: 'data_issues', tableColumn: 'table_name', rowColumn: 'row_id' }],
      },
      ...overrides,
    });
    fieldbookEngines.set(key, engine);
  }
  return engine;
}
