import { QueryTypes, type Sequelize } from 'sequelize';
import { FieldbookError, type DocumentHandle, type WriteRefusal } from '@fieldbook/engine';
import type {
  DataIssueView, NewSample, SampleDetail, SamplePage, SamplePatch, SampleQuery, SiteSummary, TagSummary,
} from '../ipc/contract';
import { defineModels, type DocumentModels } from '../models';
import type { Sample } from '../models/sample';
import { listSamples, listSites, registerNaturalOrder } from './sample-queries';
import { listDataIssues } from './data-issue-rows';

/**
 * An open document as the app uses it: reads and edits go through the Sequelize models on the
 * engine's single connection (the document's triggers keep the search index in step). Edits go
 * through the handle's `write`: a read-only document (from a newer app) refuses them with
 * READ_ONLY_DOCUMENT, and what the document's rules refuse is INVALID_VALUE, in Fieldbook's words.
 */
export class DocumentSession {
  readonly handle: DocumentHandle;
  private readonly sequelize: Sequelize;
  private readonly models: DocumentModels;

  constructor(handle: DocumentHandle) {
    this.handle = handle;
    this.sequelize = handle.sequelize();
    this.models = defineModels(this.sequelize);
    registerNaturalOrder(handle.db);
  }

  close(): void {
    this.handle.close();
  }

  /** Refuses every edit from now on with READ_ONLY_DOCUMENT saying `reason` (the notebook was found damaged). */
  refuseEdits(reason: string): void {
    this.refusal = reason;
  }

  private refusal: string | null = null;

  /** An edit through the handle, unless edits are refused. */
  private async write<T>(edit: () => Promise<T>, describe?: (refusal: WriteRefusal) => string): Promise<T> {
    if (this.refusal) throw new FieldbookError('READ_ONLY_DOCUMENT', `This notebook is damaged, so it is open read-only: ${this.refusal}`);
    try {
      return await this.handle.write(edit, describe);
    } catch (error) {
      throw withField(error);
    }
  }

  listSites(): Promise<SiteSummary[]> {
    return listSites(this.sequelize);
  }

  listSamples(query: SampleQuery): Promise<SamplePage> {
    return listSamples(this.sequelize, query);
  }

  async getSample(id: number): Promise<SampleDetail> {
    const { Sample, Site, Measurement, Instrument, Tag, Attachment } = this.models;
    const sample = await Sample.findByPk(id, {
      include: [
        { model: Site, as: 'site' },
        { model: Measurement, as: 'measurements', include: [{ model: Instrument, as: 'instrument' }] },
        { model: Tag, as: 'tags' },
        { model: Attachment, as: 'attachments', attributes: ['id', 'filename', 'mime', 'sha256', [this.sequelize.literal('length("attachments"."data")'), 'bytes']] },
      ],
      order: [[{ model: Measurement, as: 'measurements' }, 'id', 'ASC']],
    });
    if (!sample) throw new FieldbookError('NOT_FOUND', `there is no sample ${id}`);
    return detail(sample);
  }

  async updateSample(id: number, patch: SamplePatch): Promise<SampleDetail> {
    await this.write(async () => {
      const sample = await this.models.Sample.findByPk(id);
      if (!sample) throw new FieldbookError('NOT_FOUND', `there is no sample ${id}`);
      if (patch.code !== undefined) sample.code = patch.code.trim();
      if (patch.description !== undefined) sample.description = patch.description;
      if (patch.collectedOn !== undefined) sample.collectedOn = patch.collectedOn || null;
      await sample.save();
    }, inFieldbookWords);
    return this.getSample(id);
  }

  async addSample(input: NewSample): Promise<SampleDetail> {
    const created = await this.write(() => this.models.Sample.create({
      siteId: input.siteId, code: input.code.trim(), description: input.description ?? null, collectedOn: input.collectedOn || null,
    }), inFieldbookWords);
    return this.getSample(created.id);
  }

  /** Replaces a sample's tags by name (tags are created as needed; names compare without case). */
  async setSampleTags(id: number, names: string[]): Promise<SampleDetail> {
    const { Sample, Tag } = this.models;
    await this.write(async () => {
      const sample = await Sample.findByPk(id);
      if (!sample) throw new FieldbookError('NOT_FOUND', `there is no sample ${id}`);
      const wanted = [...new Map(names.map((n) => n.trim()).filter(Boolean).map((n) => [n.toLowerCase(), n])).values()];
      await this.sequelize.transaction(async (transaction) => {
        const tags: InstanceType<typeof Tag>[] = [];
        for (const name of wanted) {
          const [tag] = await Tag.findOrCreate({ where: { name }, defaults: { name }, transaction });
          tags.push(tag);
        }
        await sample.setTags(tags, { transaction });
      });
    }, inFieldbookWords);
    return this.getSample(id);
  }

  async listTags(): Promise<TagSummary[]> {
    const rows = await this.sequelize.query<TagSummary>(
      'SELECT t.id, t.name, (SELECT count(*) FROM sample_tags st WHERE st.tag_id = t.id) AS samples FROM tags t ORDER BY t.name COLLATE NOCASE',
      { type: QueryTypes.SELECT },
    );
    return rows.map((r) => ({ ...r, samples: Number(r.samples) }));
  }

  listDataIssues(includeResolved: boolean): Promise<DataIssueView[]> {
    return listDataIssues(this.sequelize, includeResolved);
  }

  async setIssueResolved(id: number, resolved: boolean): Promise<void> {
    await this.write(async () => {
      const [count] = await this.models.DataIssue.update({ resolved }, { where: { id } });
      if (count === 0) throw new FieldbookError('NOT_FOUND', `there is no data issue ${id}`);
    }, inFieldbookWords);
  }
}

/** Columns of the document, as the fields of the app's forms (IPC `field`). */
const FIELDS: Record<string, string> = {
  code: 'code', collected_on: 'collectedOn', description: 'description', site_id: 'siteId', name: 'name', lat: 'lat', lon: 'lon',
  kind: 'kind', value: 'value', unit: 'unit', instrument_id: 'instrument', filename: 'filename',
};

/**
 * An INVALID_VALUE with the form field it is about in `details.field`, when the refused
 * constraint names one column the form shows ("UNIQUE constraint failed: samples.site_id,
 * samples.code" is about the code: the site is not typed in the form), so the window can say it
 * at that field.
 */
function withField(error: unknown): unknown {
  if (!(error instanceof FieldbookError) || error.code !== 'INVALID_VALUE' || error.details.field !== undefined) return error;
  const failed = error.cause as { message?: string; parent?: { message?: string }; errors?: { path?: unknown }[] } | undefined;
  // SQLite's message ("... constraint failed: samples.site_id, samples.code"), or under a Sequelize error its parent's, or the validation's attribute paths.
  const paths = (failed?.errors ?? []).map((e) => (typeof e.path === 'string' ? e.path.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`) : ''));
  const cause = [failed?.parent?.message, failed?.message, ...paths.map((p) => `${p} =`)].filter(Boolean).join(' ');
  const columns = [...cause.matchAll(/\b[a-z_]+\.([a-z_]+)\b|\b([a-z_]+)\s*(?:<>|!=|>|<|=|IS|BETWEEN|LIKE|GLOB)|length\(([a-z_]+)\)/g)]
    .map((m) => m[1] ?? m[2] ?? m[3]).filter((c): c is string => c !== undefined && FIELDS[c] !== undefined);
  const typed = columns.filter((c) => c !== 'site_id');
  const field = FIELDS[(typed.length ? typed : columns)[0] ?? ''];
  if (field === undefined) return error;
  return new FieldbookError(error.code, error.message, { cause: error.cause, details: { ...error.details, field } });
}

/** What a notebook's rules refusing an edit (see DocumentHandle.write) mean, in words a Fieldbook user knows. */
function inFieldbookWords(refusal: WriteRefusal): string {
  if (refusal.kind === 'unique') return 'another sample at this site already has that code';
  if (refusal.kind === 'validation') return refusal.message;
  if (refusal.kind === 'check') return 'a sample needs a code';
  if (refusal.kind === 'foreign-key') return 'that site does not exist';
  if (refusal.kind === 'not-null') return 'a required value is missing';
  return 'the document refused this change';
}

function detail(sample: Sample): SampleDetail {
  const created = sample.createdAt as unknown;
  return {
    id: sample.id,
    siteId: sample.siteId ?? null,
    code: sample.code,
    collectedOn: sample.collectedOn ?? null,
    description: sample.description ?? null,
    siteName: sample.site?.name ?? null,
    createdAt: created instanceof Date ? created.toISOString() : (created as string | null) ?? null,
    tags: (sample.tags ?? []).map((t) => t.name).sort((a, b) => a.localeCompare(b)),
    measurements: (sample.measurements ?? []).map((m) => ({
      id: m.id, kind: m.kind, value: m.value ?? null, unit: m.unit ?? null, instrument: m.instrument?.name ?? null,
    })),
    attachments: (sample.attachments ?? []).map((a) => ({
      id: a.id, filename: a.filename, mime: a.mime ?? null, bytes: Number(a.get('bytes') ?? 0),
    })),
  };
}
