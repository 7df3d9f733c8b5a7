import { renderDefault, sqlName } from './sql-text';
import { isRowidAlias, same, type ColumnShape, type ForeignKeyShape, type IndexShape, type TableShape } from './table-shape';

/**
 * SQL for a table the models declare, written the way the hand-written migrations write it
 * (one column per line, constraints on the column when they concern only that column).
 */

const names = (columns: readonly string[]) => columns.map(sqlName).join(', ');

function references(fk: ForeignKeyShape): string {
  return (
    `REFERENCES ${sqlName(fk.table)}(${names(fk.to)})` +
    (fk.onDelete !== 'NO ACTION' ? ` ON DELETE ${fk.onDelete}` : '') +
    (fk.onUpdate !== 'NO ACTION' ? ` ON UPDATE ${fk.onUpdate}` : '')
  );
}

const single = (columns: readonly string[], column: ColumnShape) => columns.length === 1 && same(columns[0]!, column.name);

/**
 * A column's definition after its name: type, PRIMARY KEY (single-column keys), NOT NULL,
 * DEFAULT, COLLATE, UNIQUE, its CHECKs and REFERENCES (single-column foreign keys).
 */
export function columnDefinition(table: TableShape, column: ColumnShape): string {
  const parts: string[] = column.type ? [column.type] : [];
  if (single(table.primaryKey, column)) parts.push(table.autoincrement ? 'PRIMARY KEY AUTOINCREMENT' : 'PRIMARY KEY');
  if (column.notNull && !isRowidAlias(table, column)) parts.push('NOT NULL');
  if (column.default !== null) parts.push(`DEFAULT ${renderDefault(column.default)}`);
  if (column.collation) parts.push(`COLLATE ${column.collation}`);
  if (table.uniques.some((u) => single(u, column))) parts.push('UNIQUE');
  for (const check of table.checks) if (check.column !== null && same(check.column, column.name)) parts.push(`CHECK (${check.expression})`);
  for (const fk of table.foreignKeys) if (single(fk.columns, column)) parts.push(references(fk));
  return parts.join(' ');
}

/** The definition with the column's name first, for `ops.addColumn`. */
export function namedColumnDefinition(table: TableShape, column: ColumnShape): string {
  const definition = columnDefinition(table, column);
  return definition ? `${sqlName(column.name)} ${definition}` : sqlName(column.name);
}

export function createTableSql(table: TableShape): string {
  const lines = table.columns.map((c) => namedColumnDefinition(table, c));
  if (table.primaryKey.length > 1) lines.push(`PRIMARY KEY (${names(table.primaryKey)})`);
  for (const u of table.uniques) if (u.length > 1) lines.push(`UNIQUE (${names(u)})`);
  for (const fk of table.foreignKeys) if (fk.columns.length > 1) lines.push(`FOREIGN KEY (${names(fk.columns)}) ${references(fk)}`);
  for (const check of table.checks) if (check.column === null || !table.columns.some((c) => same(c.name, check.column!))) lines.push(`CHECK (${check.expression})`);
  return `CREATE TABLE ${sqlName(table.name)} (\n  ${lines.join(',\n  ')}\n)${table.withoutRowid ? ' WITHOUT ROWID' : ''}`;
}

export function createIndexSql(table: string, index: IndexShape): string {
  const columns = index.columns.map(
    (c) => (c.column !== null ? sqlName(c.column) : `(${c.expression})`) + (c.explicitCollation ? ` COLLATE ${c.explicitCollation}` : '') + (c.desc ? ' DESC' : ''),
  );
  return `CREATE ${index.unique ? 'UNIQUE ' : ''}INDEX ${sqlName(index.name)} ON ${sqlName(table)}(${columns.join(', ')})${index.where ? ` WHERE ${index.where}` : ''}`;
}
