import { DataTypes, Model, type Association, type CreationOptional, type InferAttributes, type InferCreationAttributes, type NonAttribute, type Sequelize } from 'sequelize';
import type { Sample } from './sample';
import { bindModel, sampleRowColumns } from './shared-columns';

/**
 * A file attached to a sample (`attachments`), bytes included; removed with its sample
 * (ON DELETE CASCADE). `data` can be large: leave it out of queries that list attachments
 * (`attributes: { exclude: ['data'] }`).
 */
export class Attachment extends Model<InferAttributes<Attachment>, InferCreationAttributes<Attachment>> {
  declare id: CreationOptional<number>;
  declare sampleId: number;
  declare filename: string;
  declare mime: CreationOptional<string | null>;
  declare data: Buffer;
  /** Hex SHA-256 of `data`; the caller computes it. */
  declare sha256: string;

  declare sample?: NonAttribute<Sample>;

  declare static associations: { sample: Association<Attachment, Sample> };
}

/** An `Attachment` class bound to `sequelize` (one per document; see defineModels). */
export function defineAttachment(sequelize: Sequelize): typeof Attachment {
  return bindModel(Attachment, sequelize, 'attachments', {
    ...sampleRowColumns(),
    filename: { type: DataTypes.TEXT, allowNull: false },
    mime: { type: DataTypes.TEXT },
    data: { type: DataTypes.BLOB, allowNull: false },
    sha256: { type: DataTypes.TEXT, allowNull: false },
  });
}
