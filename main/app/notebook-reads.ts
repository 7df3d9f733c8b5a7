import { QueryTypes, type Sequelize } from 'sequelize';
import { FieldbookError } from '@fieldbook/engine';
import type { InstrumentSummary, SampleDetail, TagSummary } from '../ipc/contract';
import type { DocumentModels } from '../models';
import type { Sample } from '../models/sample';

// Bytes, not characters, for data an old notebook holds as TEXT; a BLOB's length is read without its bytes.
const bytesOf = (data: string) => `CASE typeof(${data}) WHEN 'blob' THEN length(${data}) ELSE length(CAST(${data} AS BLOB)) END`;
const ATTACHMENT_BYTES = bytesOf('"attachments"."data"');

/** A sample with its site, measurements (with instruments), tags and attachments (their sizes, not their bytes). */
export async function sampleDetail(models: DocumentModels, id: number): Promise<SampleDetail> {
  const { Sample, Site, Measurement, Instrument, Tag, Attachment } = models;
  const sample = await Sample.findByPk(id, {
    include: [
      { model: Site, as: 'site' },
      { model: Measurement, as: 'measurements', include: [{ model: Instrument, as: 'instrument' }] },
      { model: Tag, as: 'tags' },
      { model: Attachment, as: 'attachments', attributes: ['id', 'filename', 'mime', 'sha256', [Sample.sequelize!.literal(ATTACHMENT_BYTES), 'bytes']] },
    ],
    order: [
      [{ model: Measurement, as: 'measurements' }, 'id', 'ASC'],
      [{ model: Attachment, as: 'attachments' }, 'id', 'ASC'],
    ],
  });
  if (!sample) throw new FieldbookError('NOT_FOUND', `there is no sample ${id}`);
  return detail(sample);
}

/** An attachment's row, bytes included. */
export interface StoredAttachment {
  id: number;
  sampleId: number;
  filename: string;
  mime: string | null;
  data: Buffer;
}

/** An attachment's row without its bytes, with their length. @throws FieldbookError NOT_FOUND */
export async function attachmentAbout(models: DocumentModels, id: number): Promise<Omit<StoredAttachment, 'data'> & { bytes: number }> {
  const row = await models.Attachment.findByPk(id, { attributes: ['id', 'sampleId', 'filename', 'mime', [models.Attachment.sequelize!.literal(bytesOf('"data"')), 'bytes']] });
  if (!row) throw new FieldbookError('NOT_FOUND', `there is no attachment ${id}`);
  return { id: row.id, sampleId: row.sampleId, filename: row.filename, mime: row.mime ?? null, bytes: Number(row.get('bytes')) };
}

/** @throws FieldbookError NOT_FOUND */
export async function attachmentRow(models: DocumentModels, id: number): Promise<StoredAttachment> {
  const row = await models.Attachment.findByPk(id, { attributes: ['id', 'sampleId', 'filename', 'mime', 'data'] });
  if (!row) throw new FieldbookError('NOT_FOUND', `there is no attachment ${id}`);
  const data = row.data as unknown;
  // Old notebooks may hold an attachment's bytes as text: they are its bytes all the same.
  return { id: row.id, sampleId: row.sampleId, filename: row.filename, mime: row.mime ?? null, data: Buffer.isBuffer(data) ? data : Buffer.from(String(data ?? ''), 'utf8') };
}

export function listInstruments(sequelize: Sequelize): Promise<InstrumentSummary[]> {
  return sequelize.query<InstrumentSummary>('SELECT id, name FROM instruments ORDER BY name COLLATE NOCASE, id', { type: QueryTypes.SELECT });
}

/** Every tag with how many samples carry it, by name (case aside). */
export async function listTags(sequelize: Sequelize): Promise<TagSummary[]> {
  const rows = await sequelize.query<TagSummary>(
    'SELECT t.id, t.name, (SELECT count(*) FROM sample_tags st WHERE st.tag_id = t.id) AS samples FROM tags t ORDER BY t.name COLLATE NOCASE',
    { type: QueryTypes.SELECT },
  );
  return rows.map((r) => ({ ...r, samples: Number(r.samples) }));
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
    createdAt: created instanceof Date ? created.toISOString() : ((created as string | null) ?? null),
    tags: (sample.tags ?? []).map((t) => t.name).sort((a, b) => a.localeCompare(b)),
    measurements: (sample.measurements ?? []).map((m) => ({
      id: m.id,
      kind: m.kind,
      value: m.value ?? null,
      unit: m.unit ?? null,
      instrument: m.instrument?.name ?? null,
    })),
    attachments: (sample.attachments ?? []).map((a) => ({
      id: a.id,
      filename: a.filename,
      mime: a.mime ?? null,
      bytes: Number(a.get('bytes') ?? 0),
    })),
  };
}
