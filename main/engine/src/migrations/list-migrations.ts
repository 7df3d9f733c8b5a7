import type { EngineOption } from '../documents/classify';

/** One bundled migration as listMigrations describes it. */
export interface MigrationInfo {
  version: number;
  name: string;
  message: string;
  checksum: string;
  hasDown: boolean;
  /** Where the migration's file is. */
  path: string;
}

/** The bundled migrations, in order, verified against their manifest. @throws FieldbookError BAD_MIGRATIONS */
export function listMigrations(options: EngineOption): MigrationInfo[] {
  const engine = options.engine;
  engine.migrations.verify();
  return engine.migrations.migrations.map((m) => ({
    version: m.version, name: m.name, message: m.message, checksum: m.checksum, hasDown: m.hasDown, path: m.path,
  }));
}
