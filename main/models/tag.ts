import { DataTypes, Model, type Association, type CreationOptional, type InferAttributes, type InferCreationAttributes, type NonAttribute, type Sequelize } from 'sequelize';
import type { SqliteTableOptions } from '../devtools/sqlite-table-options';
import type { Sample } from './sample';
import { bindModel, rowIdColumn } from './shared-columns';

/** A tag (`tags`); names are unique ignoring case (the document's `UNIQUE COLLATE NOCASE`). */
export class Tag extends Model<InferAttributes<Tag>, InferCreationAttributes<Tag>> {
  declare id: CreationOptional<number>;
  declare name: string;

  declare samples?: NonAttribute<Sample[]>;

  declare static associations: { samples: Association<Tag, Sample> };

  static readonly sqliteTable: SqliteTableOptions = { collations: { name: 'NOCASE' } };
}

/** A `Tag` class bound to `sequelize` (one per document; see defineModels). */
export function defineTag(sequelize: Sequelize): typeof Tag {
  return bindModel(Tag, sequelize, 'tags', {
    id: rowIdColumn(),
    name: { type: DataTypes.TEXT, allowNull: false, unique: true },
  });
}
