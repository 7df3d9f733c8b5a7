import { QueryTypes, type Transaction } from 'sequelize';
import { FieldbookError } from '@fieldbook/engine';
import type { DeletionCounts, MeasurementPatch, NewMeasurement, NewSample, NewSite, SamplePatch, SitePatch } from '../ipc/contract';
import type { DocumentModels } from '../models';

/**
 * The edits of a notebook, each given the transaction it runs in (DocumentSession.edit: one
 * transaction and one undo step per edit). What the document's rules refuse (CHECK, UNIQUE,
 * NOT NULL, foreign keys) is left to the document: it throws, the transaction is rolled back,
 * and the session says why in Fieldbook's words at the field concerned.
 */
export class NotebookEdits {
  constructor(private readonly models: DocumentModels) {}

  private async sample(id: number, transaction?: Transaction) {
    const sample = await this.models.Sample.findByPk(id, { transaction });
    if (!sample) throw new FieldbookError('NOT_FOUND', `there is no sample ${id}`);
    return sample;
  }

  private async site(id: number, transaction: Transaction) {
    const site = await this.models.Site.findByPk(id, { transaction });
    if (!site) throw new FieldbookError('NOT_FOUND', `there is no site ${id}`);
    return site;
  }

  async updateSample(id: number, patch: SamplePatch, transaction: Transaction): Promise<void> {
    const sample = await this.sample(id, transaction);
    if (patch.code !== undefined) sample.code = patch.code.trim();
    if (patch.description !== undefined) sample.description = patch.description;
    if (patch.collectedOn !== undefined) sample.collectedOn = patch.collectedOn || null;
    await sample.save({ transaction });
  }

  async addSample(input: NewSample, transaction: Transaction): Promise<number> {
    const created = await this.models.Sample.create(
      {
        siteId: input.siteId,
        code: input.code.trim(),
        description: input.description ?? null,
        collectedOn: input.collectedOn || null,
      },
      { transaction },
    );
    return created.id;
  }

  /** Replaces a sample's tags by name (tags are created as needed; names compare without case). */
  async setSampleTags(id: number, names: string[], transaction: Transaction): Promise<void> {
    const sample = await this.sample(id, transaction);
    const wanted = [
      ...new Map(
        names
          .map((n) => n.trim())
          .filter(Boolean)
          .map((n) => [n.toLowerCase(), n]),
      ).values(),
    ];
    const tags = [];
    for (const name of wanted) {
      const [tag] = await this.models.Tag.findOrCreate({ where: { name }, defaults: { name }, transaction });
      tags.push(tag);
    }
    await sample.setTags(tags, { transaction });
  }

  /** Deletes a sample; its measurements, tags and attachments go with it (ON DELETE CASCADE). */
  async deleteSample(id: number, transaction: Transaction): Promise<void> {
    await (await this.sample(id, transaction)).destroy({ transaction });
  }

  async addSite(input: NewSite, transaction: Transaction): Promise<number> {
    const created = await this.models.Site.create({ name: input.name.trim(), lat: input.lat, lon: input.lon }, { transaction });
    return created.id;
  }

  async updateSite(id: number, patch: SitePatch, transaction: Transaction): Promise<void> {
    const site = await this.site(id, transaction);
    if (patch.name !== undefined) site.name = patch.name.trim();
    if (patch.lat !== undefined) site.lat = patch.lat;
    if (patch.lon !== undefined) site.lon = patch.lon;
    await site.save({ transaction });
  }

  /** Deletes a site and its samples (and theirs: measurements, tags, attachments). */
  async deleteSite(id: number, transaction: Transaction): Promise<void> {
    const site = await this.site(id, transaction);
    await this.models.Sample.destroy({ where: { siteId: id }, transaction });
    await site.destroy({ transaction });
  }

  /** What deleting the site or sample would remove with it. */
  async deletionCounts(of: { siteId: number } | { sampleId: number }): Promise<DeletionCounts> {
    const samples = 'siteId' in of ? 'SELECT id FROM samples WHERE site_id = :id' : 'SELECT id FROM samples WHERE id = :id';
    const id = 'siteId' in of ? of.siteId : of.sampleId;
    if ('siteId' in of && !(await this.models.Site.findByPk(id))) throw new FieldbookError('NOT_FOUND', `there is no site ${id}`);
    const [row] = await this.models.Sample.sequelize!.query<DeletionCounts>(
      `SELECT (SELECT count(*) FROM (${samples})) AS samples,
         (SELECT count(*) FROM measurements WHERE sample_id IN (${samples})) AS measurements,
         (SELECT count(*) FROM sample_tags WHERE sample_id IN (${samples})) AS tags,
         (SELECT count(*) FROM attachments WHERE sample_id IN (${samples})) AS attachments`,
      { type: QueryTypes.SELECT, replacements: { id } },
    );
    if ('sampleId' in of && Number(row?.samples ?? 0) === 0) throw new FieldbookError('NOT_FOUND', `there is no sample ${id}`);
    return { samples: Number(row!.samples), measurements: Number(row!.measurements), tags: Number(row!.tags), attachments: Number(row!.attachments) };
  }

  /** Adds a measurement to a sample; returns the sample's id. */
  async addMeasurement(sampleId: number, input: NewMeasurement, transaction: Transaction): Promise<number> {
    await this.sample(sampleId, transaction);
    await this.models.Measurement.create(
      {
        sampleId,
        kind: input.kind.trim(),
        value: input.value,
        unit: blankAsNull(input.unit),
        instrumentId: await this.instrumentId(input.instrument, transaction),
      },
      { transaction },
    );
    return sampleId;
  }

  /** Changes a measurement; returns its sample's id. */
  async updateMeasurement(id: number, patch: MeasurementPatch, transaction: Transaction): Promise<number> {
    const measurement = await this.measurement(id, transaction);
    if (patch.kind !== undefined) measurement.kind = patch.kind.trim();
    if (patch.value !== undefined) measurement.value = patch.value;
    if (patch.unit !== undefined) measurement.unit = blankAsNull(patch.unit);
    if (patch.instrument !== undefined) measurement.instrumentId = await this.instrumentId(patch.instrument, transaction);
    await measurement.save({ transaction });
    return measurement.sampleId;
  }

  /** Deletes a measurement; returns its sample's id. */
  async deleteMeasurement(id: number, transaction: Transaction): Promise<number> {
    const measurement = await this.measurement(id, transaction);
    await measurement.destroy({ transaction });
    return measurement.sampleId;
  }

  async setIssueResolved(id: number, resolved: boolean, transaction: Transaction): Promise<void> {
    const [count] = await this.models.DataIssue.update({ resolved }, { where: { id }, transaction });
    if (count === 0) throw new FieldbookError('NOT_FOUND', `there is no data issue ${id}`);
  }

  private async measurement(id: number, transaction: Transaction) {
    const measurement = await this.models.Measurement.findByPk(id, { transaction });
    if (!measurement) throw new FieldbookError('NOT_FOUND', `there is no measurement ${id}`);
    return measurement;
  }

  /** The instrument of this name (the first, names compared without case), created when there is none; null for none. */
  private async instrumentId(name: string | null, transaction: Transaction): Promise<number | null> {
    const wanted = blankAsNull(name);
    if (wanted === null) return null;
    const { Instrument } = this.models;
    const [found] = await Instrument.sequelize!.query<{ id: number }>('SELECT id FROM instruments WHERE name = :name COLLATE NOCASE ORDER BY id LIMIT 1', {
      type: QueryTypes.SELECT,
      replacements: { name: wanted },
      transaction,
    });
    if (found) return found.id;
    return (await Instrument.create({ name: wanted, serial: null }, { transaction })).id;
  }
}

function blankAsNull(text: string | null | undefined): string | null {
  const trimmed = text?.trim() ?? '';
  return trimmed === '' ? null : trimmed;
}
