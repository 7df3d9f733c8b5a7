/**
 * One difference between the schema the migrations produce and the one the models declare,
 * as `diffModels` reports it (plain data: it is printed as JSON by `check --json`).
 * Directions read "migrations → models": `add_column` is a column the models have and the
 * migrations do not yet create.
 */
export type SchemaChangeKind =
  | 'add_table'
  | 'remove_table'
  | 'add_column'
  | 'remove_column'
  | 'alter_type'
  | 'alter_nullable'
  | 'alter_default'
  | 'alter_collation'
  | 'alter_primary_key'
  | 'alter_autoincrement'
  | 'alter_without_rowid'
  | 'add_unique'
  | 'remove_unique'
  | 'add_foreign_key'
  | 'remove_foreign_key'
  | 'alter_foreign_key'
  | 'add_check'
  | 'remove_check'
  | 'add_index'
  | 'remove_index'
  | 'alter_index';

export interface SchemaChange {
  kind: SchemaChangeKind;
  table: string;
  /** The column of a column change, or of a column's own CHECK. */
  column?: string;
  /** The index of an index change (for alter_index the migrations' name; models use the same one). */
  index?: string;
  /** The value in the migrated schema, for alter_* changes. */
  from?: unknown;
  /** The value the models declare, for alter_* changes. */
  to?: unknown;
  /** One line for people, e.g. `add column sites.notes TEXT`. */
  description: string;
}

/**
 * A removed and an added object of compatible shape that may be one object renamed. Never
 * applied: the generated migration drops and adds, with the rename written beside it, commented.
 */
export interface RenameCandidate {
  kind: 'table' | 'column';
  /** The table, for a column rename. */
  table?: string;
  from: string;
  to: string;
  /** Why they look alike, e.g. `both TEXT, nullable`. */
  reason: string;
}
