import type { Sequelize } from 'sequelize';
import type { SqliteTableOptions } from './sqlite-table-options';
import type { TableShape } from './table-shape';

/** Kinds of schema objects a comparison looks at (Alembic's include_object `type_`). */
export type SchemaObjectType = 'table' | 'column' | 'index' | 'unique_constraint' | 'foreign_key' | 'check';

/** One object offered to `DevtoolsConfig.includeObject`. */
export interface SchemaObjectRef {
  type: SchemaObjectType;
  /** The table's, column's or index's name; for constraints their columns (`site_id, code`) or CHECK expression. */
  name: string;
  table: string;
  /** True for an object of the schema the migrations produce, false for one a model declares. */
  reflected: boolean;
}

/**
 * Everything the development tools (diff, revision, check) need to know about one app. Nothing
 * app-specific is wired into them; Fieldbook's own values are `fieldbookDevtoolsConfig()`.
 */
export interface DevtoolsConfig {
  /** The folder of `NNNN-slug.ts` migration files (never resolved against the working directory). */
  migrationsDir: string;
  /**
   * Defines the app's models on a Sequelize instance (the return value is ignored: the models
   * registered on the instance are read, including join models Sequelize creates).
   */
  models: (sequelize: Sequelize) => unknown;
  /** The engine's version table: never compared. */
  versionTable: string;
  /** Tables never compared: names (case-insensitive) or patterns. */
  exclude?: readonly (string | RegExp)[];
  /**
   * Alembic's include_object: return false to leave an object out of the comparison (on both
   * sides). Called for tables, columns, indexes and constraints not already excluded.
   */
  includeObject?: (object: SchemaObjectRef) => boolean;
  /**
   * Compare declared column types: `true` (default) compares them exactly after canonicalising
   * (`varchar(255)` = `VARCHAR(255)`, but `INT` ≠ `INTEGER`); `'affinity'` only compares
   * SQLite's column affinity; `false` ignores types.
   */
  compareTypes?: boolean | 'affinity';
  /** SqliteTableOptions per table name, merged over each model class's static `sqliteTable`. */
  tableOptions?: Readonly<Record<string, SqliteTableOptions>>;
  /**
   * Module specifier that generated migrations import `MigrationContext` from (default: the
   * engine package, `@fieldbook/engine`).
   */
  contextImport?: string;
  /** The command that generates migrations, named in their header (default `revision --autogenerate`). */
  generatorName?: string;
}

/** The import specifier generated migrations use for `MigrationContext`. */
export function contextImportFor(config: DevtoolsConfig): string {
  return config.contextImport ?? '@fieldbook/engine';
}

/**
 * The tables with what the config leaves out removed: excluded tables, and every table, column,
 * index and constraint `includeObject` refuses.
 */
export function includedObjects(tables: readonly TableShape[], config: DevtoolsConfig, reflected: boolean): TableShape[] {
  const excluded = (name: string) => (config.exclude ?? []).some((e) => (typeof e === 'string' ? e.toLowerCase() === name.toLowerCase() : e.test(name)));
  const include = config.includeObject;
  const ok = (type: SchemaObjectType, name: string, table: string) => !include || include({ type, name, table, reflected });
  return tables
    .filter((t) => !excluded(t.name) && ok('table', t.name, t.name))
    .map((t) => {
      if (!include) return t;
      const columns = t.columns.filter((c) => ok('column', c.name, t.name));
      const kept = (cols: readonly string[]) => cols.every((c) => columns.some((k) => k.name.toLowerCase() === c.toLowerCase()));
      return {
        ...t,
        columns,
        primaryKey: t.primaryKey,
        uniques: t.uniques.filter((u) => kept(u) && ok('unique_constraint', u.join(', '), t.name)),
        checks: t.checks.filter((c) => (c.column === null || kept([c.column])) && ok('check', c.expression, t.name)),
        foreignKeys: t.foreignKeys.filter((f) => kept(f.columns) && ok('foreign_key', f.columns.join(', '), t.name)),
        indexes: t.indexes.filter((i) => ok('index', i.name, t.name)),
      };
    });
}
