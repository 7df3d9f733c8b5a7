import fs = require('node:fs');
import path = require('node:path');
import { fieldbookEngine } from '../fieldbook/fieldbook-engine';
import type { DevtoolsConfig } from './devtools-config';
import { loadSourceModule } from './migration-files';

/**
 * The root of the Fieldbook project this code belongs to: the nearest folder above this file
 * holding Fieldbook's package.json (the repository when run from the source tree or from
 * `dist/`). Found from the code's location, never the working directory.
 */
export function fieldbookProjectRoot(): string {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    const file = path.join(dir, 'package.json');
    if (fs.existsSync(file) && (JSON.parse(fs.readFileSync(file, 'utf8')) as { name?: string }).name === 'fieldbook') return dir;
    if (path.dirname(dir) === dir) throw new Error(`no Fieldbook package.json above ${__dirname}`);
  }
}

/**
 * Fieldbook's models as their sources say now, loaded on first use (a plain `revision` needs no
 * Sequelize): `<project>/main/models/index.ts` through tsx when the source tree is there, because
 * the compiled models in dist/ are only as new as the last build, and autogenerate or check on
 * them would report "no changes" for an edit not yet built. Without sources (an installed
 * package), the compiled models beside this file, which are then all there is.
 */
function currentModels(root: string): typeof import('../models') {
  const source = path.join(root, 'main', 'models', 'index.ts');

  if (!fs.existsSync(source)) return require('../models') as typeof import('../models');
  return loadSourceModule(source, 'models') as typeof import('../models');
}

/**
 * Fieldbook's development-tools configuration: the source migrations (`<project>/migrations`,
 * the `.ts` files, not the compiled ones), the models of main/models (their sources), the engine's version
 * table; generated migrations import `MigrationContext` from `@fieldbook/engine`. Pass
 * `migrationsDir` to work on another folder (tests use temp copies).
 */
export function fieldbookDevtoolsConfig(overrides: Partial<DevtoolsConfig> = {}): DevtoolsConfig {
  const root = fieldbookProjectRoot();
  const migrationsDir = path.resolve(overrides.migrationsDir ?? path.join(root, 'migrations'));
  return {
    models: (sequelize) => currentModels(root).defineModels(sequelize),
    versionTable: fieldbookEngine().versionTable,
    generatorName: 'fieldbook revision --autogenerate',
    ...overrides,
    migrationsDir,
  };
}
