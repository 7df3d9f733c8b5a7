import type { EngineOption } from '../documents/classify';
import { listMigrations, type MigrationInfo } from '../migrations/list-migrations';
import { FieldbookError } from '../errors';
import { resolveTarget, type Target } from '../migrations/targets';

/** Options of migrationHistory: the engine, and which migrations to list. */
export interface MigrationHistoryOptions extends EngineOption {
  /** List the migrations after this target (as Alembic's `history -r FROM:TO`); default: from the first. */
  from?: Target;
  /** ... up to and including this target; default head. */
  to?: Target;
  /** Also give each migration's file (`path`); default false. */
  verbose?: boolean;
}

/** The bundled migrations as `migrationHistory` lists them: `path` only when asked for (`verbose`). */
export interface MigrationHistory {
  head: number;
  migrations: (Omit<MigrationInfo, 'path'> & { path?: string })[];
}

/**
 * The app's bundled migrations in order, verified against their manifest (Alembic's `history`),
 * optionally a range of them: those after `from` up to `to` (what upgrading a document at `from`
 * to `to` runs; `from` = `to` lists none). Targets are written as for resolveTarget; relative
 * ones (`-1`) have no document to count from and are refused, and so is a range that runs
 * backwards (`from` after `to`), as Alembic refuses it.
 * @throws FieldbookError BAD_MIGRATIONS, BAD_TARGET
 */
export function migrationHistory(options: MigrationHistoryOptions): MigrationHistory {
  const all = listMigrations({ engine: options.engine });
  const names = all.map((m) => m.name);
  const from = options.from === undefined ? 1 : resolveTarget(options.from, names, null) + 1;
  const to = options.to === undefined ? all.length : resolveTarget(options.to, names, null);
  if (from > to + 1) {
    // Alembic refuses a reversed range too ("does not refer to ancestor/descendant revisions").
    const [start, end] = [String(options.from ?? 'base'), String(options.to ?? 'head')];
    throw new FieldbookError(
      'BAD_TARGET',
      `the range ${start}:${end} runs backwards: version ${from - 1} comes after version ${to} (ranges are written oldest first: ${end}:${start})`,
    );
  }
  return {
    head: options.engine.migrations.head,
    migrations: all.filter((m) => m.version >= from && m.version <= to).map(({ path: file, ...m }) => (options.verbose ? { ...m, path: file } : m)),
  };
}
