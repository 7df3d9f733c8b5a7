import { DataTypes, Model, type CreationOptional, type InferAttributes, type InferCreationAttributes, type Sequelize } from 'sequelize';
import { untypedValue } from './column-types';
import { bindModel, rowIdColumn } from './shared-columns';

/**
 * A value a migration had to change or drop (`data_issues`), kept for the user to review.
 * Migrations write these; the app reads them and marks them resolved.
 */
export class DataIssue extends Model<InferAttributes<DataIssue>, InferCreationAttributes<DataIssue>> {
  declare id: CreationOptional<number>;
  declare tableName: string;
  declare rowId: number;
  declare columnName: string;
  /** The original value with its own type (text, number, blob or null): the column has none. */
  declare originalValue: CreationOptional<string | number | bigint | Buffer | null>;
  declare message: string;
  /** The version whose migration recorded the issue. */
  declare schemaVersion: number;
  /** Stored as INTEGER 0/1 (default 0); read back as a boolean. */
  declare resolved: CreationOptional<boolean>;
}

/** A `DataIssue` class bound to `sequelize` (one per document; see defineModels). */
export function defineDataIssue(sequelize: Sequelize): typeof DataIssue {
  return bindModel(DataIssue, sequelize, 'data_issues', {
    id: rowIdColumn(),
    tableName: { type: DataTypes.TEXT, field: 'table_name', allowNull: false },
    rowId: { type: DataTypes.INTEGER, field: 'row_id', allowNull: false },
    columnName: { type: DataTypes.TEXT, field: 'column_name', allowNull: false },
    originalValue: { type: untypedValue(), field: 'original_value' },
    message: { type: DataTypes.TEXT, allowNull: false },
    schemaVersion: { type: DataTypes.INTEGER, field: 'schema_version', allowNull: false },
    // INTEGER NOT NULL DEFAULT 0 in the document (BOOLEAN is declared INTEGER, stored 0/1).
    // Rows come back raw (0/1), hence the getter.
    resolved: {
      type: DataTypes.BOOLEAN,
      allowNull: false,
      defaultValue: false,
      get(this: DataIssue) {
        const stored = this.getDataValue('resolved') as unknown;
        return stored === null || stored === undefined ? stored : Boolean(stored);
      },
    },
  });
}
