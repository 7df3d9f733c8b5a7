import os = require('node:os');
import path = require('node:path');
import { loadBundledMigrations, type BundledMigrations, type LocateOptions } from './migrations/bundled-migrations';
import type { SubsetConfig } from './subset/subset-config';

/**
 * Everything that makes the engine one app's engine: the engine's code knows no app; an app
 * passes its identity, migrations and rules here once (`createEngine`) and hands the result to
 * every command.
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
  /** Where the app's bundled migrations are (a folder, or app roots to search), or an already loaded set. */
  migrations: LocateOptions | BundledMigrations;
  /** File name extension of the app's documents, with its dot (default `.sqlite`): backups carry it, and folders given to `upgradeMany` are searched for it. */
  documentExtension?: string;
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

/**
 * One app's engine, made by createEngine: its identity, rules and migrations, with every default
 * filled in. Immutable and safe to share between documents; every command takes it as `{ engine }`.
 */
export interface Engine {
  readonly applicationId: number;
  /** Every application id accepted as this app's, `applicationId` first. */
  readonly applicationIds: readonly number[];
  readonly versionTable: string;
  readonly appName: string;
  readonly appVersion: string;
  /** File name extension of the app's documents, with its dot. */
  readonly documentExtension: string;
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

/**
 * Describes an app once (see EngineOptions for each option and its default). The migrations'
 * manifest is read when a command first needs it, and the files are verified against it before
 * the first migration runs, so creating an engine is cheap and touches no file.
 * @throws TypeError for an applicationId that is 0 or not an integer, a versionTable that is not a
 *   plain identifier, a malformed documentExtension or no migrations; a migrations folder that
 *   cannot be found or read is FieldbookError BAD_MIGRATIONS, thrown by the first command that needs it
 */
export function createEngine(options: EngineOptions): Engine {
  if (!Number.isInteger(options.applicationId) || options.applicationId === 0) {
    throw new TypeError('applicationId must be a non-zero 32-bit integer');
  }
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(options.versionTable)) throw new TypeError('versionTable must be a plain identifier');
  if (options.documentExtension !== undefined && !/^\.[A-Za-z0-9_-]+$/.test(options.documentExtension))
    throw new TypeError('documentExtension must be a dot and letters, e.g. ".notes"');
  if (options.migrations === undefined) throw new TypeError("migrations must say where the app's migrations are ({dir} or {roots})");
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
    documentExtension: options.documentExtension ?? '.sqlite',
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

/**
 * The plain-data part of an engine's options (everything but subsets), with the migrations as
 * the folder they were found in: what a worker thread needs to rebuild the same engine with
 * `createEngine` (engines hold functions and cannot cross threads).
 */
export type EngineSettings = Omit<EngineOptions, 'subsets' | 'appVersion' | 'migrations'> & { appVersion: string; migrations: { dir: string } };

/**
 * The plain-data settings `createEngine` turns back into the same engine (in a worker thread or
 * another process): `appVersion` resolved, the migrations as the folder they were found in.
 * @throws FieldbookError BAD_MIGRATIONS when the migrations folder cannot be found or read
 */
export function engineSettings(engine: Engine): EngineSettings {
  return {
    applicationId: engine.applicationId,
    alsoApplicationIds: engine.applicationIds.slice(1),
    versionTable: engine.versionTable,
    appName: engine.appName,
    appVersion: engine.appVersion,
    documentExtension: engine.documentExtension,
    migrations: { dir: engine.migrations.dir },
    ...(engine.adoptUnversionedAs === null ? {} : { adoptUnversionedAs: engine.adoptUnversionedAs }),
    backupDir: engine.backupDir,
    keepBackups: engine.keepBackups,
    lockTimeoutMs: engine.lockTimeoutMs,
  };
}

function isLoaded(value: EngineOptions['migrations']): value is BundledMigrations {
  return value !== undefined && 'migrations' in value && 'load' in value;
}

/**
 * The per-user app-data folder, as Electron's `app.getPath('userData')` computes it:
 * `%APPDATA%\<app>` on Windows, `~/Library/Application Support/<app>` on macOS,
 * `$XDG_CONFIG_HOME/<app>` (default `~/.config/<app>`) elsewhere.
 */
export function appDataDir(appName: string): string {
  const home = os.homedir();
  if (process.platform === 'win32') return path.join(process.env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), appName);
  if (process.platform === 'darwin') return path.join(home, 'Library', 'Application Support', appName);
  return path.join(process.env.XDG_CONFIG_HOME ?? path.join(home, '.config'), appName);
}
