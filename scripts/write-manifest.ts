/**
 * Build step: writes the manifest of Fieldbook's bundled migrations (ordered names, source
 * checksums, the expected schema and its fingerprint after each version) into the source folder
 * (`migrations/manifest.json`, for runs from the source tree) and the compiled folder
 * (`dist/migrations/manifest.json`, for the built and packaged app), keeping the checksums the
 * release ledger `migrations/released.json` records for migrations changed since a release. Both
 * are derived files: CI rebuilds them and fails if the committed source manifest differs.
 */
import path = require('node:path');
import { fieldbookEngine } from '../main/fieldbook/fieldbook-engine';
import { writeManifests } from '@fieldbook/engine/tooling';

async function main(): Promise<void> {
  const repoRoot = path.resolve(__dirname, '..', '..');
  const manifest = await writeManifests({
    sourceDir: path.join(repoRoot, 'migrations'),
    compiledDir: path.join(repoRoot, 'dist', 'migrations'),
    versionTable: fieldbookEngine().versionTable,
  });
  console.log(`manifest: ${manifest.migrations.length} migrations, head fingerprint ${manifest.migrations.at(-1)?.fingerprint.slice(0, 12) ?? '-'}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
