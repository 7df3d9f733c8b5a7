import { QueryTypes, type Sequelize } from 'sequelize';
import { FieldbookError, type DocumentHandle, type WriteRefusal } from '@fieldbook/engine';
import type {
  DataIssueView, NewSample, SampleDetail, SamplePatch, SampleQuery, SampleSummary, SiteSummary, TagSummary,
} from '../ipc/contract';
import { defineModels, type DocumentModels } from '../models';
import type { Sample } from '../models/sample';

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
    return this.handle.write(edit, describe);
  }

  async listSites(): Promise<SiteSummary[]> {
    const rows = await this.sequelize.query<{ id: number; name: string; lat: number | null; lon: number | null; samples: number }>(
      'SELECT s.id, s.name, s.lat, s.lon, (SELECT count(*) FROM samples x WHERE x.site_id = s.id) AS samples FROM sites s ORDER BY s.name COLLATE NOCASE, s.id',
      { type: QueryTypes.SELECT },
    );
    return rows.map((r) => ({ ...r, samples: Number(r.samples) }));
  }

  async listSamples(query: SampleQuery): Promise<SampleSummary[]> {
    const where: string[] = [];
    const replacements: Record<string, unknown> = { limit: Math.min(query.limit ?? 200, 1000), offset: query.offset ?? 0 };
    if (query.siteId === null) where.push('s.site_id IS NULL');
    else if (query.siteId !== undefined) {
      where.push('s.site_id = :siteId');
      replacements.siteId = query.siteId;
    }
    let from = 'samples s';
    if (query.search && query.search.trim()) {
      from = 'samples_fts f JOIN samples s ON s.id = f.rowid';
      where.push('samples_fts MATCH :match');
      replacements.match = ftsQuery(query.search);
    }
    const rows = await this.sequelize.query<{ id: number; siteId: number | null; code: string; collectedOn: string | null; description: string | null; tags: string | null }>(
      `SELECT s.id, s.site_id AS siteId, s.code, s.collected_on AS collectedOn, s.description,
         (SELECT group_concat(t.name, char(31)) FROM sample_tags st JOIN tags t ON t.id = st.tag_id WHERE st.sample_id = s.id) AS tags
       FROM ${from} ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
       ORDER BY s.code COLLATE NOCASE, s.id LIMIT :limit OFFSET :offset`,
      { type: QueryTypes.SELECT, replacements },
    );
    return rows.map((r) => ({ ...r, tags: r.tags ? r.tags.split('\u001f').sort((a, b) => a.localeCompare(b)) : [] }));
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

  async listDataIssues(includeResolved: boolean): Promise<DataIssueView[]> {
    const { DataIssue } = this.models;
    const issues = await DataIssue.findAll({ where: includeResolved ? {} : { resolved: false }, order: [['id', 'ASC']] });
    return issues.map((i) => ({
      id: i.id, tableName: i.tableName, rowId: i.rowId, columnName: i.columnName, originalValue: shown(i.originalValue),
      message: i.message, schemaVersion: i.schemaVersion, resolved: Boolean(i.resolved),
    }));
  }

  async setIssueResolved(id: number, resolved: boolean): Promise<void> {
    await this.write(async () => {
      const [count] = await this.models.DataIssue.update({ resolved }, { where: { id } });
      if (count === 0) throw new FieldbookError('NOT_FOUND', `there is no data issue ${id}`);
    }, inFieldbookWords);
  }
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

/** Turns what a user types into an FTS5 query: each word a prefix term, quoted (no FTS syntax errors). */
export function ftsQuery(text: string): string {
  return text.trim().split(/\s+/).filter(Boolean).map((w) => `"${w.replace(/"/g, '""')}"*`).join(' ');
}

function shown(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (Buffer.isBuffer(value)) return `<${value.length} bytes>`;
  return String(value);
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
