import {
  DataTypes,
  Model,
  type Association,
  type CreationOptional,
  type HasManyGetAssociationsMixin,
  type InferAttributes,
  type InferCreationAttributes,
  type NonAttribute,
  type Sequelize,
} from 'sequelize';
import type { SqliteTableOptions } from '../devtools/sqlite-table-options';
import type { Sample } from './sample';
import { bindModel, rowIdColumn } from './shared-columns';

/** A place where samples are collected (`sites`). The document CHECKs lat/lon ranges (declared in `sqliteTable`). */
export class Site extends Model<InferAttributes<Site>, InferCreationAttributes<Site>> {
  declare id: CreationOptional<number>;
  declare name: string;
  /** -90..90, or null (enforced by the document's CHECK constraint). */
  declare lat: CreationOptional<number | null>;
  /** -180..180, or null (enforced by the document's CHECK constraint). */
  declare lon: CreationOptional<number | null>;

  declare samples?: NonAttribute<Sample[]>;
  declare getSamples: HasManyGetAssociationsMixin<Sample>;

  declare static associations: { samples: Association<Site, Sample> };

  static readonly sqliteTable: SqliteTableOptions = {
    columnChecks: { lat: 'lat BETWEEN -90 AND 90', lon: 'lon BETWEEN -180 AND 180' },
  };
}

/** A `Site` class bound to `sequelize` (one per document; see defineModels). */
export function defineSite(sequelize: Sequelize): typeof Site {
  return bindModel(Site, sequelize, 'sites', {
    id: rowIdColumn(),
    name: { type: DataTypes.TEXT, allowNull: false },
    lat: { type: DataTypes.REAL },
    lon: { type: DataTypes.REAL },
  });
}
