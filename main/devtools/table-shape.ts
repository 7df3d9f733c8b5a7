/**
 * The shape of a table as both sides of a comparison describe it: the schema the migrations
 * produce (read back from SQLite, see reflect-schema.ts) and the one the Sequelize models declare
 * (model-schema.ts). Names keep their case as written; comparisons ignore case, as SQLite does.
 */

export interface ColumnShape {
  name: string;
  /** Declared type, canonical (see canonicalType): `INTEGER`, `TEXT`, `VARCHAR(255)`; `''` when untyped. */
  type: string;
  notNull: boolean;
  /** The DEFAULT as SQL text (`0`, `'x'`, `(strftime(...))`), or null for none. */
  default: string | null;
  /** COLLATE sequence, upper case; null for the default (BINARY). */
  collation: string | null;
  /** Reflected side: the column's definition after its name, as written in CREATE TABLE. */
  definition?: string;
}

export interface CheckShape {
  /** The column whose definition holds the CHECK, or null for a table constraint. */
  column: string | null;
  /** The expression as written, without the parentheses around it. */
  expression: string;
}

export type ForeignKeyAction = 'NO ACTION' | 'RESTRICT' | 'SET NULL' | 'SET DEFAULT' | 'CASCADE';

export interface ForeignKeyShape {
  columns: string[];
  table: string;
  /** Referenced columns (resolved to the parent's primary key when the SQL names none). */
  to: string[];
  onDelete: ForeignKeyAction;
  onUpdate: ForeignKeyAction;
}

export interface IndexColumnShape {
  /** The indexed column, or null for an expression. */
  column: string | null;
  /** The indexed expression as written, for expression indexes. */
  expression: string | null;
  /** Effective collating sequence, upper case (the column's own unless the index names one). */
  collation: string;
  /** A collation the index names explicitly (rendered as `COLLATE x`), else null. */
  explicitCollation: string | null;
  desc: boolean;
}

export interface IndexShape {
  name: string;
  unique: boolean;
  columns: IndexColumnShape[];
  /** WHERE of a partial index, as written; null for a full index. */
  where: string | null;
  /**
   * False for a model index without a name of its own (Sequelize names it `<table>_<fields>`):
   * it then matches a migrated index of the same shape under any name.
   */
  named: boolean;
  /** Reflected side: the CREATE INDEX statement as stored. */
  sql?: string;
}

export interface TableShape {
  name: string;
  columns: ColumnShape[];
  /** PRIMARY KEY columns in key order (empty: rowid only). */
  primaryKey: string[];
  autoincrement: boolean;
  withoutRowid: boolean;
  /** UNIQUE constraints (not CREATE UNIQUE INDEX), as column lists. */
  uniques: string[][];
  checks: CheckShape[];
  foreignKeys: ForeignKeyShape[];
  /** Indexes made by CREATE INDEX (the implicit ones of UNIQUE and PRIMARY KEY are not here). */
  indexes: IndexShape[];
  /** Reflected side: the stored CREATE TABLE statement. */
  sql?: string;
  /** Reflected side: the CREATE TRIGGER statements of the table's own triggers. */
  triggers?: string[];
}

export const same = (a: string, b: string): boolean => a.toLowerCase() === b.toLowerCase();

export function findColumn(table: TableShape, name: string): ColumnShape | undefined {
  return table.columns.find((c) => same(c.name, name));
}

/**
 * True when the table's primary key is its rowid (`INTEGER PRIMARY KEY` in a rowid table):
 * such a column is never NULL whatever it declares, so its nullability is not compared.
 */
export function isRowidAlias(table: TableShape, column: ColumnShape): boolean {
  return !table.withoutRowid && table.primaryKey.length === 1 && same(table.primaryKey[0]!, column.name) && column.type === 'INTEGER';
}
