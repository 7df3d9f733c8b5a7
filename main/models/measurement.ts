import {
  DataTypes,
  Model,
  type Association,
  type BelongsToGetAssociationMixin,
  type CreationOptional,
  type InferAttributes,
  type InferCreationAttributes,
  type NonAttribute,
  type Sequelize,
} from 'sequelize';
import type { Instrument } from './instrument';
import type { Sample } from './sample';
import { bindModel, sampleRowColumns } from './shared-columns';

/** One measurement of a sample (`measurements`); removed with its sample (ON DELETE CASCADE). */
export class Measurement extends Model<InferAttributes<Measurement>, InferCreationAttributes<Measurement>> {
  declare id: CreationOptional<number>;
  declare sampleId: number;
  declare kind: string;
  /** A number or null (since version 3; text that was no number is kept in data_issues). */
  declare value: CreationOptional<number | null>;
  declare unit: CreationOptional<string | null>;
  /** Set to NULL by SQLite when the instrument is deleted. */
  declare instrumentId: CreationOptional<number | null>;

  declare sample?: NonAttribute<Sample>;
  declare instrument?: NonAttribute<Instrument | null>;
  declare getInstrument: BelongsToGetAssociationMixin<Instrument>;

  declare static associations: {
    sample: Association<Measurement, Sample>;
    instrument: Association<Measurement, Instrument>;
  };
}

/** A `Measurement` class bound to `sequelize` (one per document; see defineModels). */
export function defineMeasurement(sequelize: Sequelize): typeof Measurement {
  return bindModel(Measurement, sequelize, 'measurements', {
    ...sampleRowColumns(),
    kind: { type: DataTypes.TEXT, allowNull: false },
    value: { type: DataTypes.REAL },
    unit: { type: DataTypes.TEXT },
    instrumentId: { type: DataTypes.INTEGER, field: 'instrument_id', references: { model: 'instruments', key: 'id' }, onDelete: 'SET NULL', onUpdate: 'NO ACTION' },
  });
}
