import { DataTypes, type ModelAttributeColumnOptions } from 'sequelize';

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
