/**
 * Sequelize models of the head document schema (version 6).
 *
 * Conventions:
 * - Attributes are camelCase; every snake_case column is mapped with an explicit `field`
 *   (`siteId` ↔ `site_id`, `createdAt` ↔ `created_at`), so the column list of each model can be
 *   compared with the document (test/sequelize.test.ts does so against a fresh head document).
 * - `timestamps: false` everywhere: the only timestamp, `samples.created_at`, is the document's
 *   own column default, not Sequelize's bookkeeping.
 * - The models describe the head schema completely, so `fieldbook check` can compare them with
 *   the migrations and `fieldbook revision --autogenerate` can write the next migration from a
 *   change to them (main/devtools/README.md):
 *   - `type` is the column's declared type: INTEGER, TEXT, REAL, BLOB, `untypedValue()` for an
 *     untyped column; BOOLEAN is declared INTEGER and `isoTimestamp()` TEXT (the mapping of every
 *     Sequelize type is SEQUELIZE_TYPE_TO_SQLITE in main/devtools/model-schema.ts);
 *   - `allowNull: false` is NOT NULL; `defaultValue` is the column's DEFAULT (`literal('(expr)')`
 *     for an expression, which Sequelize then sends in INSERTs that leave the column out, so
 *     SQLite computes it as its default would);
 *   - foreign keys are `references` with `onDelete`/`onUpdate` on the attribute, NO ACTION
 *     written out. Associations are declared with `constraints: false` (and `unique: false` on
 *     the through model) so they never add Sequelize's default CASCADE/SET NULL actions or a
 *     second UNIQUE to the description;
 *   - `unique: true` is a UNIQUE constraint; `indexes` are the CREATE INDEX statements, with the
 *     migrations' names;
 *   - CHECK constraints and collations, which Sequelize cannot express, are in each model class's
 *     static `sqliteTable` (SqliteTableOptions).
 * - Constraints (NOT NULL, CHECK, UNIQUE, foreign keys with their ON DELETE actions) are enforced
 *   by the document; models do not repeat them as validators (only `collected_on`'s format, which
 *   SQLite does not check). Their failures surface as Sequelize errors: UniqueConstraintError,
 *   ForeignKeyConstraintError, or DatabaseError whose `parent.code` is SQLite's extended code
 *   (`SQLITE_CONSTRAINT_CHECK`, `SQLITE_CONSTRAINT_NOTNULL`).
 * - Sequelize v6 has no RETURNING on SQLite: `reload()` a new instance to see values SQLite
 *   computed (`createdAt`).
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
  // constraints: false: the foreign keys (with their actions) are declared on the attributes.
  const fk = { constraints: false } as const;
  Site.hasMany(Sample, { as: 'samples', foreignKey: 'siteId', ...fk });
  Sample.belongsTo(Site, { as: 'site', foreignKey: 'siteId', ...fk });

  Sample.hasMany(Measurement, { as: 'measurements', foreignKey: 'sampleId', ...fk });
  Measurement.belongsTo(Sample, { as: 'sample', foreignKey: 'sampleId', ...fk });

  Sample.hasMany(Attachment, { as: 'attachments', foreignKey: 'sampleId', ...fk });
  Attachment.belongsTo(Sample, { as: 'sample', foreignKey: 'sampleId', ...fk });

  // The primary key (sample_id, tag_id) already makes pairs unique: no extra UNIQUE.
  const through = { model: SampleTag, unique: false };
  Sample.belongsToMany(Tag, { as: 'tags', through, foreignKey: 'sampleId', otherKey: 'tagId', ...fk });
  Tag.belongsToMany(Sample, { as: 'samples', through, foreignKey: 'tagId', otherKey: 'sampleId', ...fk });

  Measurement.belongsTo(Instrument, { as: 'instrument', foreignKey: 'instrumentId', ...fk });
  Instrument.hasMany(Measurement, { as: 'measurements', foreignKey: 'instrumentId', ...fk });
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
