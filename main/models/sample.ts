import {
  DataTypes,
  Model,
  Utils,
  literal,
  type Association,
  type BelongsToGetAssociationMixin,
  type BelongsToManyAddAssociationMixin,
  type BelongsToManyAddAssociationsMixin,
  type BelongsToManyGetAssociationsMixin,
  type BelongsToManyRemoveAssociationMixin,
  type BelongsToManySetAssociationsMixin,
  type CreationOptional,
  type HasManyCreateAssociationMixin,
  type HasManyGetAssociationsMixin,
  type InferAttributes,
  type InferCreationAttributes,
  type NonAttribute,
  type Sequelize,
} from 'sequelize';
import type { SqliteTableOptions } from '../devtools/sqlite-table-options';
import type { Attachment } from './attachment';
import { fromIsoTimestamp, isIsoDate, isoTimestamp } from './column-types';
import type { Measurement } from './measurement';
import type { Site } from './site';
import type { Tag } from './tag';
import { bindModel, rowIdColumn } from './shared-columns';

/**
 * A sample (`samples`). The document enforces `code` non-empty (CHECK) and unique per site
 * (`samples_site_code_uq`); its triggers keep `samples_fts` in step with code and description.
 */
export class Sample extends Model<InferAttributes<Sample>, InferCreationAttributes<Sample>> {
  declare id: CreationOptional<number>;
  declare siteId: CreationOptional<number | null>;
  declare code: string;
  /** An ISO date `YYYY-MM-DD` that exists in the calendar, or null. */
  declare collectedOn: CreationOptional<string | null>;
  declare description: CreationOptional<string | null>;
  /**
   * When the row was inserted, filled by SQLite's column default. Not known to a freshly
   * created instance (SQLite gives Sequelize v6 no RETURNING here): `reload()` to read it.
   */
  declare createdAt: CreationOptional<Date>;

  declare site?: NonAttribute<Site | null>;
  declare measurements?: NonAttribute<Measurement[]>;
  declare attachments?: NonAttribute<Attachment[]>;
  declare tags?: NonAttribute<Tag[]>;

  declare getSite: BelongsToGetAssociationMixin<Site>;
  declare getMeasurements: HasManyGetAssociationsMixin<Measurement>;
  declare createMeasurement: HasManyCreateAssociationMixin<Measurement, 'sampleId'>;
  declare getAttachments: HasManyGetAssociationsMixin<Attachment>;
  declare getTags: BelongsToManyGetAssociationsMixin<Tag>;
  declare addTag: BelongsToManyAddAssociationMixin<Tag, number>;
  declare addTags: BelongsToManyAddAssociationsMixin<Tag, number>;
  declare setTags: BelongsToManySetAssociationsMixin<Tag, number>;
  declare removeTag: BelongsToManyRemoveAssociationMixin<Tag, number>;

  declare static associations: {
    site: Association<Sample, Site>;
    measurements: Association<Sample, Measurement>;
    attachments: Association<Sample, Attachment>;
    tags: Association<Sample, Tag>;
  };

  static readonly sqliteTable: SqliteTableOptions = {
    columnChecks: { code: 'length(code) > 0' },
  };
}

/** What SQLite stores in `created_at` when an insert leaves it out (the column's DEFAULT). */
export const CREATED_AT_DEFAULT = "(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))";

/** A `Sample` class bound to `sequelize` (one per document; see defineModels). */
export function defineSample(sequelize: Sequelize): typeof Sample {
  return bindModel(
    Sample,
    sequelize,
    'samples',
    {
      id: rowIdColumn(),
      siteId: { type: DataTypes.INTEGER, field: 'site_id', references: { model: 'sites', key: 'id' }, onDelete: 'NO ACTION', onUpdate: 'NO ACTION' },
      code: { type: DataTypes.TEXT, allowNull: false },
      collectedOn: { type: DataTypes.TEXT, field: 'collected_on', validate: { isIsoDate } },
      description: { type: DataTypes.TEXT },
      // The column's DEFAULT as a literal: an insert that leaves `createdAt` out sends this SQL
      // expression, so SQLite computes the value exactly as its default would. Until `reload()`
      // a new instance holds the expression, not a time, and the getter returns undefined.
      createdAt: {
        type: isoTimestamp(),
        field: 'created_at',
        allowNull: false,
        defaultValue: literal(CREATED_AT_DEFAULT),
        get(this: Sample) {
          const stored = this.getDataValue('createdAt') as unknown;
          return (stored instanceof Utils.SequelizeMethod ? undefined : fromIsoTimestamp(stored)) as Date;
        },
      },
    },
    {
      indexes: [
        { name: 'samples_site_id_idx', fields: ['site_id'] },
        { name: 'samples_site_code_uq', unique: true, fields: ['site_id', 'code'] },
      ],
    },
  );
}
