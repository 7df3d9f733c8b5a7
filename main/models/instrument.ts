import { DataTypes, Model, type Association, type CreationOptional, type InferAttributes, type InferCreationAttributes, type NonAttribute, type Sequelize } from 'sequelize';
import type { Measurement } from './measurement';
import { bindModel, rowIdColumn } from './shared-columns';

/** A measuring instrument (`instruments`); deleting one sets its measurements' instrument to NULL. */
export class Instrument extends Model<InferAttributes<Instrument>, InferCreationAttributes<Instrument>> {
  declare id: CreationOptional<number>;
  declare name: string;
  declare serial: CreationOptional<string | null>;

  declare measurements?: NonAttribute<Measurement[]>;

  declare static associations: { measurements: Association<Instrument, Measurement> };
}

/** An `Instrument` class bound to `sequelize` (one per document; see defineModels). */
export function defineInstrument(sequelize: Sequelize): typeof Instrument {
  return bindModel(Instrument, sequelize, 'instruments', {
    id: rowIdColumn(),
    name: { type: DataTypes.TEXT, allowNull: false },
    serial: { type: DataTypes.TEXT },
  });
}
