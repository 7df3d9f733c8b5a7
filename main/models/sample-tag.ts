import { DataTypes, Model, type InferAttributes, type InferCreationAttributes, type Sequelize } from 'sequelize';
import { bindModel, sampleIdColumn } from './shared-columns';

/**
 * The join table of samples and tags (`sample_tags`, primary key (sample_id, tag_id), both
 * ON DELETE CASCADE). Usually reached through `Sample.tags` / `Tag.samples`.
 */
export class SampleTag extends Model<InferAttributes<SampleTag>, InferCreationAttributes<SampleTag>> {
  declare sampleId: number;
  declare tagId: number;
}

/** A `SampleTag` class bound to `sequelize` (one per document; see defineModels). */
export function defineSampleTag(sequelize: Sequelize): typeof SampleTag {
  return bindModel(SampleTag, sequelize, 'sample_tags', {
    // Both columns are the primary key, so Sequelize adds no `id` of its own to the join model.
    sampleId: sampleIdColumn({ primaryKey: true }),
    tagId: { type: DataTypes.INTEGER, field: 'tag_id', primaryKey: true, allowNull: false, references: { model: 'tags', key: 'id' }, onDelete: 'CASCADE', onUpdate: 'NO ACTION' },
  });
}
