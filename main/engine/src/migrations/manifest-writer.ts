import fs = require('node:fs');
import path = require('node:path');
import { fileChecksum, sourceChecksum } from './bundled-migrations';
import { MANIFEST_FILE, MIGRATION_FILE, type Manifest, type ManifestEntry } from './manifest';
import type { MigrationModule } from './migration-context';
import { readReleaseLedger, RELEASED_FILE, supersededChecksums, type ReleaseLedger } from './release-ledger';
import { fingerprintOf } from '../schema/schema-fingerprint';
import { replaySchemas } from './schema-replay';
import { isCompatibility, type Compatibility } from '../travel/compatibility';
import { renderDownStep } from '../travel/down-step-sql';

/**
 * The file beside the migrations that declares the classes of migrations whose files may not
 * change (released ones: documents record their checksums): `{"0002-tags": "additive", ...}`.
 */
export const COMPATIBILITY_FILE = 'compatibility.json';

/** Where buildManifests finds the migrations it describes. */
export interface ManifestSources {
  /** The migrations as written: `NNNN-name.ts` (with a compiled folder) or `NNNN-name.js`. */
  sourceDir: string;
  /** Where the compiled `.js` of TypeScript migrations are (required when the sources are `.ts`). */
  compiledDir?: string;
  /** The app's version table (left out of the recorded schemas). */
  versionTable: string;
}

/**
 * Builds the manifests of a migrations folder (the build step): ordered names, source checksums,
 * and the schema after each version with its fingerprint, by replaying the migrations in an
 * in-memory database. Returns the manifest for the source folder and, for TypeScript sources,
 * the one for the compiled folder (same entries, `.js` files and their checksums). Each entry
 * also lists the checksums releases shipped it with before its source changed, from the release
 * ledger `released.json` in `sourceDir` when there is one, so documents those releases migrated
 * stay recognised.
 * @throws Error when the numbering has gaps or duplicates, or the ledger is malformed or names a migration that has no file
 */
export async function buildManifests(sources: ManifestSources): Promise<{ source: Manifest; compiled: Manifest | null }> {
  const all = fs.readdirSync(sources.sourceDir).filter((f) => MIGRATION_FILE.test(f));
  const typescript = all.some((f) => f.endsWith('.ts'));
  const files = all.filter((f) => f.endsWith(typescript ? '.ts' : '.js')).sort();
  files.forEach((file, index) => {
    if (Number(MIGRATION_FILE.exec(file)![1]) !== index + 1) {
      throw new Error(`migrations must be numbered 0001, 0002, ... without gaps or duplicates: found ${file} at position ${index + 1}`);
    }
  });
  if (typescript && !sources.compiledDir) throw new Error('TypeScript migrations need compiledDir (where their .js are)');
  const loadDir = typescript ? sources.compiledDir! : sources.sourceDir;
  const modules = files.map((file) => {
     
    const loaded = require(path.join(loadDir, file.replace(/\.ts$/, '.js'))) as MigrationModule & { default?: MigrationModule };
    return typeof loaded.up === 'function' ? loaded : loaded.default!;
  });
  const names = files.map((f) => f.replace(/\.(ts|js)$/, ''));
  const ledger = releaseLedger(sources, names);
  const schemas = await replaySchemas(modules, sources.versionTable, 'replay', names);
  const declared = declaredCompatibility(sources.sourceDir, names, modules);
  const downs = await Promise.all(modules.map((m, index) => renderDownStep(m, schemas[index]!, index + 1, names[index]!)));
  const entries = files.map((file, index): Omit<ManifestEntry, 'file'> => {
    const name = file.replace(/\.(ts|js)$/, '');
    const checksum = sourceChecksum(fs.readFileSync(path.join(sources.sourceDir, file), 'utf8'));
    const superseded = supersededChecksums(ledger, name, checksum);
    return {
      version: index + 1,
      name,
      message: modules[index]!.message ?? '',
      checksum,
      ...(superseded.length ? { supersededChecksums: superseded } : {}),
      hasDown: typeof modules[index]!.down === 'function',
      ...(declared[index] ? { compatibility: declared[index] } : {}),
      downSql: downs[index]!,
      fingerprint: fingerprintOf(schemas[index]!),
      schema: schemas[index]!,
    };
  });
  const manifestFor = (dir: string, ext: '.ts' | '.js'): Manifest => {
    const migrations = entries.map((e) => ({ ...e, file: e.name + ext }));
    const fileSums = Object.fromEntries(migrations.map((m) => [m.file, fileChecksum(fs.readFileSync(path.join(dir, m.file)))]));
    return { manifestVersion: 1, migrations, files: fileSums };
  };
  return {
    source: manifestFor(sources.sourceDir, typescript ? '.ts' : '.js'),
    compiled: typescript ? manifestFor(sources.compiledDir!, '.js') : null,
  };
}

/**
 * Each migration's declared class: its module's `compatibility` export, or its entry in the
 * folder's COMPATIBILITY_FILE; null when neither declares one.
 * @throws Error for a class that is not one of the three, or a module and the file that disagree
 */
export function declaredCompatibility(dir: string, names: readonly string[], modules: readonly MigrationModule[]): (Compatibility | null)[] {
  const file = path.join(dir, COMPATIBILITY_FILE);
  const listed = fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown> : {};
  // An entry naming no migration is ignored: a misspelt name leaves its migration undeclared, which check reports.
  for (const [name, value] of Object.entries(listed)) {
    if (!isCompatibility(value)) throw new Error(`${file}: ${name} is ${JSON.stringify(value)}; a class is additive, readable or breaking`);
  }
  return names.map((name, index) => {
    const own = (modules[index] as { compatibility?: unknown }).compatibility;
    if (own !== undefined && !isCompatibility(own)) throw new Error(`migration ${name} exports compatibility ${JSON.stringify(own)}; a class is additive, readable or breaking`);
    const side = listed[name] as Compatibility | undefined;
    if (own !== undefined && side !== undefined && own !== side) throw new Error(`migration ${name} exports compatibility ${own} but ${file} declares ${side}`);
    return (own as Compatibility | undefined) ?? side ?? null;
  });
}

/** The ledger of `sources` (null when there is none). @throws Error when it names a migration that is not in the folder */
function releaseLedger(sources: ManifestSources, names: readonly string[]): ReleaseLedger | null {
  const file = path.join(sources.sourceDir, RELEASED_FILE);
  const ledger = readReleaseLedger(file);
  for (const [release, migrations] of Object.entries(ledger ?? {})) {
    for (const name of Object.keys(migrations)) {
      if (!names.includes(name)) throw new Error(`${file}: release ${release} shipped migration ${name}, which is not in ${sources.sourceDir}; a released migration must stay (documents record it)`);
    }
  }
  return ledger;
}

/** Builds and writes `manifest.json` into the source folder (and the compiled folder). */
export async function writeManifests(sources: ManifestSources): Promise<Manifest> {
  const { source, compiled } = await buildManifests(sources);
  fs.writeFileSync(path.join(sources.sourceDir, MANIFEST_FILE), JSON.stringify(source, null, 2) + '\n');
  if (compiled) fs.writeFileSync(path.join(sources.compiledDir!, MANIFEST_FILE), JSON.stringify(compiled, null, 2) + '\n');
  return source;
}
