/**
 * Build step: writes the manifest of the bundled migrations (ordered names, source checksums,
 * the expected schema and its fingerprint after each version) into the source folder
 * (`migrations/manifest.json`, for runs from the source tree) and the compiled folder
 * (`dist/migrations/manifest.json`, for the built and packaged app).
 * Both are derived files: CI rebuilds them and fails if the committed source manifest differs.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { sha256, sourceChecksum } from '../main/engine/bundled-migrations';
import { fieldbookEngine } from '../main/engine/engine';
import { MANIFEST_FILE, MIGRATION_FILE, type Manifest, type ManifestEntry } from '../main/engine/manifest';
import type { MigrationModule } from '../main/engine/migration-context';
import { fingerprintOf } from '../main/engine/schema-fingerprint';
import { replaySchemas } from '../main/engine/schema-replay';

export async function buildManifests(repoRoot: string, versionTable: string): Promise<{ source: Manifest; compiled: Manifest }> {
  const sourceDir = path.join(repoRoot, 'migrations');
  const compiledDir = path.join(repoRoot, 'dist', 'migrations');
  const files = fs.readdirSync(sourceDir).filter((f) => MIGRATION_FILE.exec(f)?.[3] === 'ts').sort();
  files.forEach((file, index) => {
    const number = Number(MIGRATION_FILE.exec(file)![1]);
    if (number !== index + 1) throw new Error(`migrations must be numbered 0001, 0002, ... without gaps or duplicates: found ${file} at position ${index + 1}`);
  });
  const modules = files.map((file) => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const loaded = require(path.join(compiledDir, file.replace(/\.ts$/, '.js'))) as MigrationModule & { default?: MigrationModule };
    return typeof loaded.up === 'function' ? loaded : loaded.default!;
  });
  const schemas = await replaySchemas(modules, versionTable);
  const entries = files.map((file, index): Omit<ManifestEntry, 'file'> => ({
    version: index + 1,
    name: file.replace(/\.ts$/, ''),
    message: modules[index]!.message ?? '',
    checksum: sourceChecksum(fs.readFileSync(path.join(sourceDir, file), 'utf8')),
    hasDown: typeof modules[index]!.down === 'function',
    fingerprint: fingerprintOf(schemas[index]!),
    schema: schemas[index]!,
  }));
  const manifestFor = (dir: string, ext: '.ts' | '.js'): Manifest => {
    const migrations = entries.map((e) => ({ ...e, file: e.name + ext }));
    const fileSums = Object.fromEntries(migrations.map((m) => [m.file, sha256(fs.readFileSync(path.join(dir, m.file)))]));
    return { manifestVersion: 1, migrations, files: fileSums };
  };
  return { source: manifestFor(sourceDir, '.ts'), compiled: manifestFor(compiledDir, '.js') };
}

async function main(): Promise<void> {
  const repoRoot = path.resolve(__dirname, '..', '..');
  const { source, compiled } = await buildManifests(repoRoot, fieldbookEngine().versionTable);
  const sourceFile = path.join(repoRoot, 'migrations', MANIFEST_FILE);
  const text = JSON.stringify(source, null, 2) + '\n';
  fs.writeFileSync(sourceFile, text);
  fs.writeFileSync(path.join(repoRoot, 'dist', 'migrations', MANIFEST_FILE), JSON.stringify(compiled, null, 2) + '\n');
  console.log(`manifest: ${source.migrations.length} migrations, head fingerprint ${source.migrations.at(-1)?.fingerprint.slice(0, 12) ?? '-'}`);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
