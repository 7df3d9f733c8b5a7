/**
 * Sequelize models of the head document schema (version 6).
 *
 * Conventions:
 * - Attributes are camelCase; every snake_case column is mapped with an explicit `field`
 *   (`siteId` ↔ `site_id`, `createdAt` ↔ `created_at`), so the column list of each model can be
 *   compared with the document (test/sequelize.test.ts does so against a fresh head document).
 * - `timestamps: false` everywhere: the only timestamp, `samples.created_at`, is the document's
 *   own column default, not Sequelize's bookkeeping.
 * - Constraints (NOT NULL, CHECK, UNIQUE, foreign keys with their ON DELETE actions) are the
 *   document's; models do not repeat them as validators (only `collected_on`'s format, which
 *   SQLite does not check). Their failures surface as Sequelize errors: UniqueConstraintError,
 *   ForeignKeyConstraintError, or DatabaseError whose `parent.code` is SQLite's extended code
 *   (`SQLITE_CONSTRAINT_CHECK`, `SQLITE_CONSTRAINT_NOTNULL`).
 * - Columns that are NOT NULL with a default in the document (`samples.created_at`,
 *   `data_issues.resolved`) are declared nullable in the models, so an insert that leaves them
 *   out lets SQLite fill them (Sequelize would refuse a missing `allowNull: false` value). Sequelize
 *   v6 has no RETURNING on SQLite: `reload()` a new instance to see them.
 * - Sequelize builds instances from rows without type conversion, so values arrive as SQLite
 *   stores them; getters turn `createdAt` into a Date and `resolved` into a boolean.
 *
 * NEVER call `sync()` (on the Sequelize instance or a model) against a document: the schema
 * belongs to the migrations (migrations/*.ts and the manifest), and Sequelize's DDL differs from
 * it (types, CHECKs, FTS triggers, composite unique index); `sync({ alter })` rebuilds tables the
 * way NOTES.md warns about. The models' `sync` and `drop` therefore reject, which also stops
 * `sequelize.sync()` and `sequelize.drop()` before any DDL. Associations here only describe the
 * existing foreign keys; `onDelete` cascades are done by SQLite (foreign keys are ON in the
 * engine's connection), not by Sequelize hooks.
 */
import type { Model, ModelStatic, Sequelize } from 'sequelize';
import { Attachment, defineAttachment } from './attachment';
import { DataIssue, defineDataIssue } from './data-issue';
import { Instrument, defineInstrument } from './instrument';
import { Measurement, defineMeasurement } from './measurement';
import { Sample, defineSample } from './sample';
import { SampleTag, defineSampleTag } from './sample-tag';
import { Site, defineSite } from './site';
import { Tag, defineTag } from './tag';

export { Attachment, DataIssue, Instrument, Measurement, Sample, SampleTag, Site, Tag };

/** The model classes of one document's Sequelize instance. */
export interface DocumentModels {
  Site: typeof Site;
  Sample: typeof Sample;
  Measurement: typeof Measurement;
  Tag: typeof Tag;
  SampleTag: typeof SampleTag;
  Instrument: typeof Instrument;
  Attachment: typeof Attachment;
  DataIssue: typeof DataIssue;
}

const defined = new WeakMap<Sequelize, DocumentModels>();

/**
 * Defines the models on `sequelize` (normally `handle.sequelize()` of an open document) and
 * associates them. Each Sequelize instance gets its own subclasses of the exported classes
 * (Sequelize binds a model class to one instance, and several documents may be open at once);
 * `instanceof Sample` holds for all of them. Calling it again for the same instance returns the
 * same classes.
 */
export function defineModels(sequelize: Sequelize): DocumentModels {
  const existing = defined.get(sequelize);
  if (existing) return existing;
  const models: DocumentModels = {
    Site: defineSite(sequelize),
    Sample: defineSample(sequelize),
    Measurement: defineMeasurement(sequelize),
    Tag: defineTag(sequelize),
    SampleTag: defineSampleTag(sequelize),
    Instrument: defineInstrument(sequelize),
    Attachment: defineAttachment(sequelize),
    DataIssue: defineDataIssue(sequelize),
  };
  associate(models);
  for (const model of Object.values(models) as ModelStatic<Model>[]) refuseSchemaChanges(model);
  defined.set(sequelize, models);
  return models;
}

/** The document's foreign keys as associations (foreign keys are the attributes defined above). */
function associate({ Site, Sample, Measurement, Tag, SampleTag, Instrument, Attachment }: DocumentModels): void {
  Site.hasMany(Sample, { as: 'samples', foreignKey: 'siteId' });
  Sample.belongsTo(Site, { as: 'site', foreignKey: 'siteId' });

  Sample.hasMany(Measurement, { as: 'measurements', foreignKey: 'sampleId' });
  Measurement.belongsTo(Sample, { as: 'sample', foreignKey: 'sampleId' });

  Sample.hasMany(Attachment, { as: 'attachments', foreignKey: 'sampleId' });
  Attachment.belongsTo(Sample, { as: 'sample', foreignKey: 'sampleId' });

  Sample.belongsToMany(Tag, { as: 'tags', through: SampleTag, foreignKey: 'sampleId', otherKey: 'tagId' });
  Tag.belongsToMany(Sample, { as: 'samples', through: SampleTag, foreignKey: 'tagId', otherKey: 'sampleId' });

  Measurement.belongsTo(Instrument, { as: 'instrument', foreignKey: 'instrumentId' });
  Instrument.hasMany(Measurement, { as: 'measurements', foreignKey: 'instrumentId' });
}

/**
 * Makes `Model.sync()` and `Model.drop()` reject (and with them `sequelize.sync()`/`drop()`,
 * which go through the models): DDL on a document is the migrations' job.
 */
function refuseSchemaChanges(model: ModelStatic<Model>): void {
  for (const method of ['sync', 'drop'] as const) {
    Object.defineProperty(model, method, {
      configurable: true,
      value: async (): Promise<never> => {
        throw new Error(`${model.name}.${method}() refused: a Fieldbook document's schema belongs to its migrations, never to Sequelize`);
      },
    });
  }
}
