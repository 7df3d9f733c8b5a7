import fs = require('node:fs');
import Module = require('node:module');
import path = require('node:path');
import { FieldbookError } from '../errors';
import { sha256 } from '../sqlite/hashing';
import { MANIFEST_FILE, MIGRATION_FILE, type Manifest, type ManifestEntry } from './manifest';
import type { MigrationModule } from './migration-context';

/** A migration of the bundled set: its manifest entry and the file it is loaded from. */
export interface BundledMigration extends ManifestEntry {
  /** Absolute path of the file that will be loaded. */
  path: string;
}

/** The migrations an app ships, verified against their manifest. Immutable; safe to share. */
export interface BundledMigrations {
  dir: string;
  head: number;
  migrations: readonly BundledMigration[];
  byName: ReadonlyMap<string, BundledMigration>;
  /**
   * Checks the folder against the manifest: every listed file present with its recorded
   * checksum, no unlisted migration file (once; later calls return at once).
   * @throws FieldbookError BAD_MIGRATIONS naming the offending file
   */
  verify(): void;
  /**
   * Loads a migration's module (memoised), verifying the folder first. A JavaScript migration is
   * compiled from the very bytes verify() checked, so the code that runs is the code the manifest
   * vouches for, even if the file changes in between; a TypeScript one (under a TypeScript
   * loader, in development) is required, which reads the file again.
   */
  load(migration: BundledMigration): MigrationModule;
}

/** Options of loadBundledMigrations: where the migrations are, and when to verify them. */
export interface LoadOptions extends LocateOptions {
  /**
   * Verify the files at once (default) or only before the first migration module is loaded.
   * Identifying documents needs only the manifest, so engines verify lazily and stay cheap.
   */
  verify?: 'now' | 'before-running';
}

/** Where an app's migrations are: a folder, or the app roots to search (see locateMigrationsDir). */
export interface LocateOptions {
  /** Use exactly this folder. */
  dir?: string;
  /**
   * App roots to search, in order, for `migrations/manifest.json` or `dist/migrations/manifest.json`.
   * An Electron shell passes `process.resourcesPath` when packaged and `app.getAppPath()` otherwise.
   */
  roots?: readonly string[];
}

/**
 * The folder of an app's migrations: `dir` as given, or the first of `roots` holding a
 * `migrations/manifest.json` or `dist/migrations/manifest.json` this process can load. Never
 * the working directory: an app passes a folder it found from its own code's location.
 * @throws FieldbookError BAD_MIGRATIONS when none of the roots has one
 */
export function locateMigrationsDir(options: LocateOptions): string {
  return findMigrations(options).dir;
}

/** locateMigrationsDir, with the manifest it read to choose a root (null for `dir`, which is not read here). */
function findMigrations(options: LocateOptions): { dir: string; manifest: Manifest | null } {
  if (options.dir) return { dir: path.resolve(options.dir), manifest: null };
  if (!options.roots) throw new TypeError('migrations: give the folder ({dir}) or the app roots to search ({roots})');
  const tried: string[] = [];
  for (const root of options.roots) {
    for (const candidate of [path.join(root, 'migrations'), path.join(root, 'dist', 'migrations')]) {
      tried.push(candidate);
      if (!fs.existsSync(path.join(candidate, MANIFEST_FILE))) continue;
      const manifest = readManifest(candidate);
      if (loadableHere(manifest)) return { dir: candidate, manifest };
    }
  }
  throw new FieldbookError('BAD_MIGRATIONS', `no bundled migrations found; looked in ${tried.join(', ')}`);
}

function loadableHere(manifest: Manifest): boolean {
  return manifest.migrations.every((m) => !m.file.endsWith('.ts')) || typeScriptLoaderActive();
}

function typeScriptLoaderActive(): boolean {
  // tsx and ts-node register a CommonJS handler for .ts files.
   
  return typeof require.extensions['.ts'] === 'function';
}

function readManifest(dir: string): Manifest {
  const file = path.join(dir, MANIFEST_FILE);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    throw new FieldbookError('BAD_MIGRATIONS', `missing migrations manifest ${file}; run \`npm run build\``);
  }
  try {
    return JSON.parse(text) as Manifest;
  } catch (error) {
    throw new FieldbookError('BAD_MIGRATIONS', `unreadable migrations manifest ${file}`, { cause: error });
  }
}

/** Checksum of a migration's source text: sha256 with line endings normalised to LF. */
export function sourceChecksum(text: string): string {
  return sha256(text.replace(/\r\n?/g, '\n'));
}

/**
 * Checksum of a file the manifest vouches for (`Manifest.files`): sha256 of its bytes with line
 * endings normalised to LF, byte for byte (the same as sourceChecksum for UTF-8 text), so a
 * checkout that turned LF into CRLF (git's autocrlf) still matches the manifest it was built with.
 */
export function fileChecksum(bytes: Buffer): string {
  // Files without a CR (almost all) are hashed as they are, without a copy through a string.
  if (!bytes.includes(13)) return sha256(bytes);
  return sha256(Buffer.from(bytes.toString('latin1').replace(/\r\n?/g, '\n'), 'latin1'));
}

/**
 * Loads the manifest of a migrations folder: the ordered list of migrations, numbered 1..N, and
 * (see LoadOptions.verify) checks the folder against it.
 * @throws FieldbookError BAD_MIGRATIONS naming the offending file
 */
export function loadBundledMigrations(options: LoadOptions): BundledMigrations {
  const found = findMigrations(options);
  const dir = found.dir;
  const manifest = found.manifest ?? readManifest(dir);
  const bad = (message: string) => new FieldbookError('BAD_MIGRATIONS', `${message} (in ${dir})`);
  if (manifest.manifestVersion !== 1 || !Array.isArray(manifest.migrations)) throw bad('unsupported manifest format');
  if (!loadableHere(manifest)) {
    throw bad('the migrations here are TypeScript; run `npm run build` or start under a TypeScript loader');
  }
  const migrations = manifest.migrations.map((m, index): BundledMigration => {
    const match = MIGRATION_FILE.exec(m.file);
    if (!match || Number(match[1]) !== index + 1 || m.version !== index + 1 || `${match[1]}-${match[2]}` !== m.name) {
      throw bad(`migration ${m.file} is out of order: expected version ${index + 1} at this position`);
    }
    if (m.supersededChecksums !== undefined && !(Array.isArray(m.supersededChecksums) && m.supersededChecksums.every((c) => typeof c === 'string'))) {
      throw bad(`migration ${m.file} has malformed supersededChecksums in the manifest`);
    }
    return { ...m, path: path.join(dir, m.file) };
  });
  let verified = false;
  // The bytes verify() checked, by file, until their module is loaded.
  const checked = new Map<string, Buffer>();
  const verify = () => {
    if (verified) return;
    const listed = new Set(migrations.map((m) => m.file));
    const ext = migrations[0] ? path.extname(migrations[0].file) : '.js';
    for (const entry of fs.readdirSync(dir)) {
      const match = MIGRATION_FILE.exec(entry);
      if (match && `.${match[3]}` === ext && !listed.has(entry)) {
        throw bad(`migration file ${entry} is not in the manifest (added after the build? run \`npm run build\`)`);
      }
    }
    for (const m of migrations) {
      let content: Buffer;
      try {
        content = fs.readFileSync(m.path);
      } catch {
        throw bad(`migration file ${m.file} is missing`);
      }
      if (fileChecksum(content) !== manifest.files[m.file]) {
        throw bad(`migration file ${m.file} was changed after the manifest was written (checksum differs); run \`npm run build\``);
      }
      checked.set(m.path, content);
    }
    verified = true;
  };
  if (options.verify !== 'before-running') verify();
  const cache = new Map<string, MigrationModule>();
  return {
    dir,
    head: migrations.length,
    migrations,
    byName: new Map(migrations.map((m) => [m.name, m])),
    verify,
    load(migration) {
      verify();
      let mod = cache.get(migration.name);
      if (!mod) {
        const content = checked.get(migration.path);
        const loaded = (content && /\.c?js$/.test(migration.path) ? moduleFromText(migration.path, content) : require(migration.path)) as MigrationModule & { default?: MigrationModule };
        mod = typeof loaded.up === 'function' ? loaded : loaded.default;
        if (!mod || typeof mod.up !== 'function') throw bad(`migration ${migration.file} exports no up() function`);
        cache.set(migration.name, mod);
        checked.delete(migration.path);
      }
      return mod;
    },
  };
}

/** Node's loader, as far as compiling a module from its text needs it. */
interface Loader {
  new (id: string, parent?: NodeJS.Module): NodeJS.Module & { _compile(content: string, filename: string): unknown; paths: string[] };
  _nodeModulePaths(from: string): string[];
}

/**
 * The exports of the CommonJS module `file` compiled from `content` (its bytes, as read), as
 * `require(file)` would compile it: in require's cache (a module already there is returned),
 * resolving its own requires from its folder. A module that throws is not cached.
 */
function moduleFromText(file: string, content: Buffer): unknown {
  const cached = require.cache[file];
  if (cached) return cached.exports;
  const loader = Module as unknown as Loader;
  const mod = new loader(file, module);
  mod.filename = file;
  mod.paths = loader._nodeModulePaths(path.dirname(file));
  require.cache[file] = mod;
  try {
    mod._compile(content.toString('utf8').replace(/^\uFEFF/, ''), file);
  } catch (error) {
    delete require.cache[file];
    throw error;
  }
  mod.loaded = true;
  return mod.exports;
}
