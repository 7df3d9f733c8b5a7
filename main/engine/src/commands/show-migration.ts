import fs = require('node:fs');
import path = require('node:path');
import { sourceChecksum } from '../migrations/bundled-migrations';
import type { EngineOption } from '../documents/classify';
import { FieldbookError } from '../errors';
import { renderMigrationSql } from '../migrations/offline-sql';
import { resolveTarget, type Target } from '../migrations/targets';

/** One migration as `showMigration` describes it. */
export interface MigrationDetails {
  version: number;
  name: string;
  message: string;
  checksum: string;
  hasDown: boolean;
  /** The migration's file, as the engine loads it. */
  file: string;
  /** Its TypeScript source when it can be found (see showMigration), else the file's text. */
  source: string;
  /** The offline SQL of its `up` step. */
  upSql: string;
  /** The offline SQL of its `down` step, or null when it has none. */
  downSql: string | null;
}

/**
 * One bundled migration (Alembic's `show`): its message, checksum, source and the SQL its `up`
 * and `down` steps run, rendered as `renderMigrationSql` renders a script. The source of a
 * compiled migration (`<root>/dist/<folder>/<name>.js`) is its `<root>/<folder>/<name>.ts` when
 * that file's checksum proves it is the same migration; otherwise the compiled file's text.
 * @throws FieldbookError USAGE for `base` (no migration), BAD_TARGET, BAD_MIGRATIONS,
 *   NOT_RENDERABLE (a step whose logic runs in JavaScript)
 */
export async function showMigration(target: Target, options: EngineOption): Promise<MigrationDetails> {
  const engine = options.engine;
  engine.migrations.verify();
  const version = resolveTarget(
    target,
    engine.migrations.migrations.map((m) => m.name),
    null,
  );
  if (version === 0) throw new FieldbookError('USAGE', 'base is not a migration');
  const m = engine.migrations.migrations[version - 1]!;
  const up = await renderMigrationSql({ engine, from: version - 1, to: version, shellCommands: false });
  const down = m.hasDown ? await renderMigrationSql({ engine, from: version, to: version - 1, shellCommands: false }) : null;
  return {
    version: m.version,
    name: m.name,
    message: m.message,
    checksum: m.checksum,
    hasDown: m.hasDown,
    file: m.path,
    source: migrationSource(m.path, m.name, m.checksum),
    upSql: up.sql,
    downSql: down?.sql ?? null,
  };
}

function migrationSource(file: string, name: string, checksum: string): string {
  const folder = path.dirname(file);
  const candidate = path.resolve(folder, '..', '..', path.basename(folder), `${name}.ts`);
  if (file.endsWith('.js') && fs.existsSync(candidate)) {
    const text = fs.readFileSync(candidate, 'utf8');
    if (sourceChecksum(text) === checksum) return text;
  }
  return fs.readFileSync(file, 'utf8');
}
