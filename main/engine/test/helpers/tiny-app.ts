/**
 * A tiny app of the package's tests: its migrations written as files into a temp folder, their
 * manifest built by the engine's own manifest writer, and an engine configured for it. Tests
 * that need migrations use one of these instead of any real app's.
 */
import fs = require('node:fs');
import path = require('node:path');
import { createEngine, type Engine } from '../../src/index';
import { writeManifests } from '../../src/tooling';
import { tempDir } from './fixtures';

/** A tiny app: its folder (documents go here too), its migrations folder and its engine. */
export interface TinyApp {
  dir: string;
  migrations: string;
  engine: Engine;
}

/**
 * Writes `migrations` (file name → CommonJS source, e.g. `'0001-notes.js'`) and their manifest,
 * and returns the app's engine (application id 0x54494e59, "TINY"; backups inside its folder).
 * @throws whatever the manifest writer throws for migrations that do not replay
 */
export async function tinyApp(migrations: Record<string, string>, versionTable = 'tiny_versions'): Promise<TinyApp> {
  const dir = tempDir('engine-tiny-app-');
  const folder = path.join(dir, 'migrations');
  fs.mkdirSync(folder);
  for (const [name, source] of Object.entries(migrations)) fs.writeFileSync(path.join(folder, name), source);
  await writeManifests({ sourceDir: folder, versionTable });
  const engine = createEngine({
    applicationId: 0x54494e59,
    versionTable,
    appName: 'TinyApp',
    appVersion: '1.0.0',
    migrations: { dir: folder },
    backupDir: path.join(dir, 'backups'),
  });
  return { dir, migrations: folder, engine };
}
