import { DataTypes, type InitOptions, type Model, type ModelAttributeColumnOptions, type ModelAttributes, type ModelStatic, type Sequelize } from 'sequelize';

/**
 * Column definitions several of Fieldbook's tables share. Each call returns a fresh object:
 * Sequelize's `init` annotates the attribute objects it is given, so two models must never share one.
 */

/** `id INTEGER PRIMARY KEY` (the rowid), assigned by SQLite. */
export function rowIdColumn(): ModelAttributeColumnOptions {
  return { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true };
}

/** `sample_id INTEGER NOT NULL REFERENCES samples(id) ON DELETE CASCADE`: a row belonging to one sample. */
export function sampleIdColumn(extra: Partial<ModelAttributeColumnOptions> = {}): ModelAttributeColumnOptions {
  return { type: DataTypes.INTEGER, field: 'sample_id', allowNull: false, references: { model: 'samples', key: 'id' }, onDelete: 'CASCADE', onUpdate: 'NO ACTION', ...extra };
}

/**
 * A subclass of `base` bound to `sequelize` and `tableName` (Sequelize's `init`, no automatic
 * timestamps): each document gets classes of its own, so two open documents never share model
 * state. The model is named after `base` (`Sample`, `Site`, ...).
 */
export function bindModel<C extends ModelStatic<Model>>(
  base: C,
  sequelize: Sequelize,
  tableName: string,
  attributes: ModelAttributes<InstanceType<C>>,
  options: Omit<InitOptions<InstanceType<C>>, 'sequelize' | 'modelName' | 'tableName'> = {},
): C {
  const bound = class extends (base as ModelStatic<Model>) {};
  Object.defineProperty(bound, 'name', { value: `Document${base.name}` });
  bound.init(attributes as ModelAttributes, { sequelize, modelName: base.name, tableName, timestamps: false, ...options } as InitOptions);
  return bound as unknown as C;
}

/** `id` and `sample_id`: the first columns of a table whose rows belong to one sample. */
export function sampleRowColumns(): { id: ModelAttributeColumnOptions; sampleId: ModelAttributeColumnOptions } {
  return { id: rowIdColumn(), sampleId: sampleIdColumn() };
}
