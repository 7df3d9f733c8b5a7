import { Utils, type Model, type ModelStatic, type Sequelize } from 'sequelize';
import { tokenizeSql } from '@fieldbook/engine/tooling';
import { canonicalType, quoteString, sqlName } from './sql-text';
import type { ModelWithSqliteTable, SqliteTableOptions } from './sqlite-table-options';
import { same, type CheckShape, type ColumnShape, type ForeignKeyAction, type ForeignKeyShape, type IndexColumnShape, type IndexShape, type TableShape } from './table-shape';

/**
 * The SQLite declared type each Sequelize type stands for: the name of the storage class its
 * values are kept in (`STRING` and `TEXT` both mean TEXT; `BOOLEAN` is stored as 0/1 INTEGER;
 * dates and times are TEXT, which is how Sequelize's sqlite dialect writes them). A type not
 * listed here (a custom type) is declared as its `toSql()` says, verbatim: that is how
 * `untypedValue()` (`''`) and `isoTimestamp()` (`TEXT`) give exact declarations, and how a
 * model can ask for any other declared type.
 */
export const SEQUELIZE_TYPE_TO_SQLITE: Readonly<Record<string, string>> = {
  TINYINT: 'INTEGER',
  SMALLINT: 'INTEGER',
  MEDIUMINT: 'INTEGER',
  INTEGER: 'INTEGER',
  BIGINT: 'INTEGER',
  BOOLEAN: 'INTEGER',
  STRING: 'TEXT',
  CHAR: 'TEXT',
  TEXT: 'TEXT',
  CITEXT: 'TEXT',
  UUID: 'TEXT',
  ENUM: 'TEXT',
  DATE: 'TEXT',
  DATEONLY: 'TEXT',
  TIME: 'TEXT',
  JSON: 'TEXT',
  JSONB: 'TEXT',
  REAL: 'REAL',
  FLOAT: 'REAL',
  DOUBLE: 'REAL',
  'DOUBLE PRECISION': 'REAL',
  DECIMAL: 'NUMERIC',
  NUMERIC: 'NUMERIC',
  NUMBER: 'NUMERIC',
  BLOB: 'BLOB',
};

/** The canonical SQLite declared type of a Sequelize attribute type (see SEQUELIZE_TYPE_TO_SQLITE). */
export function declaredTypeOf(type: unknown): string {
  const t = type as { key?: unknown; toSql?: () => string } | string | null | undefined;
  if (typeof t === 'string') return canonicalType(SEQUELIZE_TYPE_TO_SQLITE[t.toUpperCase()] ?? t);
  if (t && typeof t.key === 'string' && SEQUELIZE_TYPE_TO_SQLITE[t.key] !== undefined) return SEQUELIZE_TYPE_TO_SQLITE[t.key]!;
  return canonicalType(t && typeof t.toSql === 'function' ? t.toSql() : '');
}

/**
 * The column DEFAULT a model's `defaultValue` declares, as SQL: `literal(...)` verbatim,
 * booleans as 1/0, numbers, strings and Buffers as literals. Defaults computed in JavaScript
 * (functions, `DataTypes.NOW`, `UUIDV4`) and `null` declare none.
 */
export function serverDefaultOf(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  if (value instanceof Utils.Literal) return String(value.val);
  if (typeof value === 'boolean') return value ? '1' : '0';
  if ((typeof value === 'number' && Number.isFinite(value)) || typeof value === 'bigint') return String(value);
  if (typeof value === 'string') return quoteString(value);
  if (Buffer.isBuffer(value)) return `X'${value.toString('hex')}'`;
  if (value instanceof Date) return quoteString(value.toISOString());
  return null;
}

interface AttributeLike {
  field?: string;
  type?: unknown;
  allowNull?: boolean;
  primaryKey?: boolean;
  defaultValue?: unknown;
  unique?: boolean | string | { name?: string };
  references?: string | { model?: unknown; key?: string };
  onDelete?: string;
  onUpdate?: string;
}

interface IndexOptionLike {
  name?: string;
  unique?: boolean;
  fields?: (string | { name?: string; attribute?: string; collate?: string; order?: string } | InstanceType<typeof Utils.Literal>)[];
  where?: unknown;
}

/**
 * The tables the models of `sequelize` declare, read from each model's attributes and options
 * plus its SqliteTableOptions (the class's static `sqliteTable`, then `tableOptions[table]`).
 * Attributes of type VIRTUAL are not columns.
 */
export function modelSchema(sequelize: Sequelize, tableOptions: Readonly<Record<string, SqliteTableOptions>> = {}): TableShape[] {
  const models = Object.values(sequelize.models) as ModelStatic<Model>[];
  const tables = models.map((model) => tableOf(sequelize, model, tableOptions));
  for (const table of tables) {
    for (const fk of table.foreignKeys) {
      if (fk.to.length) continue;
      fk.to = tables.find((t) => same(t.name, fk.table))?.primaryKey.slice() ?? ['id'];
    }
  }
  return tables;
}

function tableNameOf(value: unknown): string {
  if (typeof value === 'string') return value;
  const v = value as { getTableName?: () => unknown; tableName?: string };
  if (typeof v.getTableName === 'function') return tableNameOf(v.getTableName());
  return String(v.tableName);
}

function action(value: string | undefined): ForeignKeyAction {
  return (value ? value.toUpperCase().replace(/\s+/g, ' ') : 'NO ACTION') as ForeignKeyAction;
}

function tableOf(sequelize: Sequelize, model: ModelStatic<Model>, tableOptions: Readonly<Record<string, SqliteTableOptions>>): TableShape {
  const name = tableNameOf(model.getTableName());
  const options: SqliteTableOptions = { ...(model as unknown as ModelWithSqliteTable).sqliteTable, ...tableOptions[name] };
  const attributes = Object.entries(model.getAttributes() as Record<string, AttributeLike>).filter(([, a]) => (a.type as { key?: string } | undefined)?.key !== 'VIRTUAL');
  const fieldOf = (key: string): string => {
    const found = attributes.find(([attribute]) => attribute === key);
    return found ? (found[1].field ?? found[0]) : key;
  };
  const keyed = <T>(record: Readonly<Record<string, T>> | undefined): [string, T][] => Object.entries(record ?? {}).map(([k, v]) => [fieldOf(k), v]);
  const collations = new Map(keyed(options.collations).map(([k, v]) => [k.toLowerCase(), v.toUpperCase()]));

  const columns: ColumnShape[] = attributes.map(([key, a]) => {
    const column = a.field ?? key;
    const collation = collations.get(column.toLowerCase()) ?? null;
    return {
      name: column,
      type: declaredTypeOf(a.type),
      notNull: a.allowNull === false,
      default: serverDefaultOf(a.defaultValue),
      collation: collation === 'BINARY' ? null : collation,
    };
  });
  const checks: CheckShape[] = [
    ...keyed(options.columnChecks).flatMap(([column, e]) => (typeof e === 'string' ? [e] : e).map((expression) => ({ column, expression }))),
    ...(options.checks ?? []).map((expression) => ({ column: null, expression })),
  ];
  const uniqueGroups = new Map<string, string[]>();
  const foreignKeys: ForeignKeyShape[] = [];
  for (const [key, a] of attributes) {
    const column = a.field ?? key;
    if (a.unique) {
      const group = a.unique === true ? `column ${column}` : typeof a.unique === 'string' ? a.unique : (a.unique.name ?? `column ${column}`);
      uniqueGroups.set(group, [...(uniqueGroups.get(group) ?? []), column]);
    }
    if (a.references) {
      const ref = typeof a.references === 'string' ? { model: a.references } : a.references;
      foreignKeys.push({ columns: [column], table: tableNameOf(ref.model), to: ref.key ? [ref.key] : [], onDelete: action(a.onDelete), onUpdate: action(a.onUpdate) });
    }
  }
  const columnCollation = (column: string): string => columns.find((c) => same(c.name, column))?.collation ?? 'BINARY';
  const indexes = ((model.options.indexes ?? []) as IndexOptionLike[]).map((index): IndexShape => {
    const fields = index.fields ?? [];
    return {
      name: index.name ?? defaultIndexName(name, fields),
      unique: index.unique === true,
      columns: fields.map((field): IndexColumnShape => {
        if (field instanceof Utils.Literal) return { column: null, expression: String(field.val), collation: 'BINARY', explicitCollation: null, desc: false };
        const spec = typeof field === 'string' ? { name: field } : field;
        const column = fieldOf(spec.name ?? spec.attribute ?? '');
        const explicit = spec.collate ? spec.collate.toUpperCase() : null;
        return { column, expression: null, collation: explicit ?? columnCollation(column), explicitCollation: explicit, desc: /^desc$/i.test(spec.order ?? '') };
      }),
      where: whereSql(sequelize, index.where),
      named: index.name !== undefined && index.name !== defaultIndexName(name, fields),
    };
  });
  return {
    name,
    columns,
    primaryKey: attributes.filter(([, a]) => a.primaryKey).map(([key, a]) => a.field ?? key),
    autoincrement: options.autoincrement === true,
    withoutRowid: options.withoutRowid === true,
    uniques: [...uniqueGroups.values()],
    checks,
    foreignKeys,
    indexes,
  };
}

/** The name Sequelize gives an index declared without one (Utils.nameIndex). */
function defaultIndexName(table: string, fields: IndexOptionLike['fields'] & object): string {
  const nameIndex = (Utils as unknown as { nameIndex(index: object, table: string): { name: string } }).nameIndex;
  return nameIndex({ fields }, table).name;
}

/** A partial index's WHERE as SQL: a `literal()` verbatim, a where-object through Sequelize's query generator. */
function whereSql(sequelize: Sequelize, where: unknown): string | null {
  if (where === undefined || where === null) return null;
  if (where instanceof Utils.Literal) return String(where.val);
  const generator = (sequelize.getQueryInterface() as unknown as { queryGenerator: { whereItemsQuery(where: unknown): string } }).queryGenerator;
  const sql = generator.whereItemsQuery(where);
  if (!sql) return null;
  // The sqlite dialect quotes names with backticks; write them as the rest of the SQL does.
  let out = '';
  let at = 0;
  for (const t of tokenizeSql(sql)) {
    if (t.kind !== 'ident' || !t.raw.startsWith('`')) continue;
    out += sql.slice(at, t.start) + sqlName(t.raw.slice(1, -1).replace(/``/g, '`'));
    at = t.end;
  }
  return out + sql.slice(at);
}
