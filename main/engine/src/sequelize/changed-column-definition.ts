import { parseColumnDefinition, type ColumnDefinition } from '../schema/column-definition';
import { sameName } from '../sqlite/sql-tokens';

/** The part of Sequelize's sqlite QueryGenerator that writes SQL for attributes (public methods). */
export interface AttributeWriter {
  attributesToSQL(attributes: Record<string, unknown>): Record<string, string>;
  replaceBooleanDefaults(sql: string): string;
  getConstraintSnippet(table: string, options: Record<string, unknown>): string;
}

/** A row of `pragma_foreign_key_list`: the column's current foreign key. */
export interface ForeignKey {
  table: string;
  to: string | null;
  on_update: string;
  on_delete: string;
}

/** What changedDefinition needs to know of the column besides changeColumn's attribute. */
export interface ChangeInput {
  attribute: Record<string, unknown>;
  current: ColumnDefinition;
  primaryKey: boolean;
  /** The column is the table's INTEGER PRIMARY KEY, i.e. its rowid. */
  rowidAlias: boolean;
  /** The column alone is UNIQUE (inline or by a one-column table-level UNIQUE). */
  uniqueAlone: boolean;
  foreignKey: ForeignKey | undefined;
  generator: AttributeWriter;
  refuse: (why: string) => Error;
}

/** The table a `references.model` names: a table name, or a model's table. */
const referencedTable = (model: unknown): string =>
  typeof model === 'string' ? model : String((model as { tableName?: string })?.tableName ?? (model as { getTableName?: () => string })?.getTableName?.() ?? model);

/**
 * The SQLite column definition (type and the constraints it states) for `changeColumn`'s
 * attribute, written by Sequelize's own `attributesToSQL`; what it does not state is kept from
 * the current definition by `ops.alterColumn`.
 * @throws Error from `input.refuse` for a change with no faithful translation (see
 *   preservingQueryInterface).
 */
export function changedDefinition(what: string, input: ChangeInput): string {
  const { attribute, current, generator, refuse } = input;
  const has = (key: string) => Object.prototype.hasOwnProperty.call(attribute, key);
  const autoIncrement = current.constraints.some((c) => c.kind === 'primary key' && /\bautoincrement\b/i.test(c.text));
  if (has('primaryKey') && Boolean(attribute.primaryKey) !== input.primaryKey) {
    throw refuse(`${what} would ${input.primaryKey ? 'remove the column from' : 'add the column to'} the PRIMARY KEY (rebuild the table with ops.rebuildTable)`);
  }
  if (has('autoIncrement') && Boolean(attribute.autoIncrement) !== autoIncrement && (attribute.autoIncrement || autoIncrement)) {
    throw refuse(`${what} would ${autoIncrement ? 'remove' : 'add'} AUTOINCREMENT (rebuild the table with ops.rebuildTable)`);
  }
  if (has('unique') && attribute.unique === false && input.uniqueAlone) {
    throw refuse(`${what} would drop the column's UNIQUE constraint (use ops.alterColumn with { constraints: 'replace' }, or ops.rebuildTable for a table-level UNIQUE)`);
  }
  if (input.rowidAlias && attribute.type !== undefined) {
    const type = (Object.values(generator.attributesToSQL({ column: { type: attribute.type } }))[0] ?? '').trim();
    if (!/^integer$/i.test(type))
      throw refuse(
        `${what} would make the column ${type}, so it would stop being the table's INTEGER PRIMARY KEY (its rowid: ids could then change on VACUUM); rebuild the table with ops.rebuildTable if that is meant`,
      );
  }
  const stated: Record<string, unknown> = { ...attribute };
  delete stated.primaryKey;
  delete stated.autoIncrement;
  if (stated.unique !== true || input.uniqueAlone) delete stated.unique;
  if (stated.type === undefined) stated.type = current.type;

  const actionStated = stated.onDelete !== undefined || stated.onUpdate !== undefined;
  if (stated.references === undefined && actionStated) {
    if (!input.foreignKey) throw refuse(`${what} states onDelete/onUpdate but the column references nothing (state references too)`);
    stated.references = { model: input.foreignKey.table, key: input.foreignKey.to ?? undefined };
  }
  if (stated.references !== undefined && stated.references !== null) {
    const references = stated.references as { model: unknown; key?: string };
    const fk = input.foreignKey;
    const sameTarget =
      fk !== undefined &&
      sameName(referencedTable(references.model), fk.table) &&
      (fk.to === null ? references.key === undefined || references.key === 'id' : sameName(references.key ?? 'id', fk.to));
    if (sameTarget && !actionStated) {
      delete stated.references;
    } else {
      stated.references = { ...references, model: referencedTable(references.model) };
      if (sameTarget) {
        if (stated.onDelete === undefined && fk.on_delete !== 'NO ACTION') stated.onDelete = fk.on_delete;
        if (stated.onUpdate === undefined && fk.on_update !== 'NO ACTION') stated.onUpdate = fk.on_update;
      }
    }
  } else {
    delete stated.references;
    delete stated.onDelete;
    delete stated.onUpdate;
  }
  if (stated.references !== undefined && input.foreignKey !== undefined && !current.constraints.some((c) => c.kind === 'references')) {
    throw refuse(`${what} would add a second foreign key: the column's is a table-level FOREIGN KEY (rewrite it with ops.rebuildTable)`);
  }
  // SQLite's tokenizer ends a statement at a NUL, so a text default holding one is written as the bytes it is made of.
  let nulDefault = '';
  if (typeof stated.defaultValue === 'string' && stated.defaultValue.includes('\0')) {
    nulDefault = ` DEFAULT (CAST(X'${Buffer.from(stated.defaultValue, 'utf8').toString('hex')}' AS TEXT))`;
    delete stated.defaultValue;
  }

  let sql = (Object.values(generator.attributesToSQL({ column: stated }))[0] ?? '') + nulDefault; // keyed by the attribute's `field` when it has one
  if (has('allowNull') && attribute.allowNull !== false) sql += ' NULL';
  // A stated default Sequelize cannot write in the schema (undefined, NOW, UUIDV4, a function) leaves the column without one, as in Sequelize.
  const writesDefault = parseColumnDefinition(sql, false).constraints.some((c) => c.kind === 'default');
  if (has('defaultValue') && !writesDefault && current.constraints.some((c) => c.kind === 'default')) sql += ' DEFAULT NULL';
  return generator.replaceBooleanDefaults(sql).trim();
}
