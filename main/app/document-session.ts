import { QueryTypes, type Sequelize, type Transaction } from 'sequelize';
import { FieldbookError, type DocumentHandle, type WriteRefusal } from '@fieldbook/engine';
import type {
  DataIssueView,
  DeletionCounts,
  InstrumentSummary,
  MeasurementPatch,
  NewMeasurement,
  NewSample,
  NewSite,
  SampleDetail,
  SamplePage,
  SamplePatch,
  SampleQuery,
  SitePatch,
  SiteSummary,
  TagSummary,
  UndoOutcome,
  UndoState,
} from '../ipc/contract';
import { defineModels, type DocumentModels } from '../models';
import type { Sample } from '../models/sample';
import { listSamples, listSites, registerNaturalOrder } from './sample-queries';
import { listDataIssues } from './data-issue-rows';
import { inFieldbookWords, withField } from './edit-refusals';
import { NotebookEdits } from './notebook-edits';
import { UndoLog } from './undo-log';

/**
 * An open document as the app uses it: reads and edits go through the Sequelize models on the
 * engine's single connection (the document's triggers keep the search index in step). Every edit
 * is one transaction and one undo step (UndoLog), run one at a time, through the handle's
 * `write`: a read-only document (from a newer app, or found damaged) refuses them with
 * READ_ONLY_DOCUMENT, and what the document's rules refuse is INVALID_VALUE, in Fieldbook's
 * words, with the form field it is about.
 */
export class DocumentSession {
  readonly handle: DocumentHandle;
  private readonly sequelize: Sequelize;
  private readonly models: DocumentModels;
  private readonly edits: NotebookEdits;
  private readonly undoLog: UndoLog | null;
  /** Edits, undos and redos, one after another (an edit's transaction spans several awaits). */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(handle: DocumentHandle) {
    this.handle = handle;
    this.sequelize = handle.sequelize();
    this.models = defineModels(this.sequelize);
    this.edits = new NotebookEdits(this.models);
    registerNaturalOrder(handle.db);
    this.undoLog = handle.readOnly ? null : new UndoLog(handle.db);
  }

  close(): void {
    this.handle.close();
  }

  /** Refuses every edit from now on with READ_ONLY_DOCUMENT saying `reason` (the notebook was found damaged). */
  refuseEdits(reason: string): void {
    this.refusal = reason;
  }

  private refusal: string | null = null;

  private serial<T>(run: () => Promise<T>): Promise<T> {
    const next = this.queue.then(run, run);
    this.queue = next.catch(() => undefined);
    return next;
  }

  private refuseIfDamaged(): void {
    if (this.refusal) throw new FieldbookError('READ_ONLY_DOCUMENT', `This notebook is damaged, so it is open read-only: ${this.refusal}`);
  }

  /**
   * One edit called `label` (or what `label` reads, before the change): one transaction, one undo
   * step; refused as a whole or made as a whole.
   */
  private edit<T>(
    label: string | (() => Promise<string>),
    change: (transaction: Transaction) => Promise<T>,
    describe: (refusal: WriteRefusal) => string = inFieldbookWords,
  ): Promise<T> {
    return this.serial(async () => {
      this.refuseIfDamaged();
      // A read-only handle refuses (READ_ONLY_DOCUMENT) before the change would run.
      if (this.handle.readOnly) return this.handle.write(() => change(undefined as never), describe);
      const name = typeof label === 'string' ? label : await label();
      const mark = this.undoLog?.mark() ?? 0;
      let result: T;
      try {
        result = await this.handle.write(() => this.sequelize.transaction((transaction) => change(transaction)), describe);
      } catch (error) {
        throw withField(error);
      }
      this.undoLog?.recorded(name, mark);
      return result;
    });
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

  /** Changes a sample's fields and, with `tags`, its tags: one edit. */
  async updateSample(id: number, patch: SamplePatch): Promise<SampleDetail> {
    await this.edit(
      async () => `Edit sample ${patch.code?.trim() || (await this.getSample(id)).code}`,
      async (t) => {
        await this.edits.updateSample(id, patch, t);
        if (patch.tags !== undefined) await this.edits.setSampleTags(id, patch.tags, t);
      },
    );
    return this.getSample(id);
  }

  async addSample(input: NewSample): Promise<SampleDetail> {
    const id = await this.edit(`Add sample ${input.code.trim()}`, async (t) => {
      const created = await this.edits.addSample(input, t);
      if (input.tags?.length) await this.edits.setSampleTags(created, input.tags, t);
      return created;
    });
    return this.getSample(id);
  }

  /** Replaces a sample's tags by name (tags are created as needed; names compare without case). */
  async setSampleTags(id: number, names: string[]): Promise<SampleDetail> {
    await this.edit(
      async () => `Tag sample ${(await this.getSample(id)).code}`,
      (t) => this.edits.setSampleTags(id, names, t),
    );
    return this.getSample(id);
  }

  async deleteSample(id: number): Promise<void> {
    await this.edit(
      async () => `Delete sample ${(await this.getSample(id)).code}`,
      (t) => this.edits.deleteSample(id, t),
    );
  }

  deletionCounts(of: { siteId: number } | { sampleId: number }): Promise<DeletionCounts> {
    return this.edits.deletionCounts(of);
  }

  async addSite(input: NewSite): Promise<SiteSummary> {
    const id = await this.edit(`Add site ${input.name.trim()}`, (t) => this.edits.addSite(input, t));
    return this.site(id);
  }

  async updateSite(id: number, patch: SitePatch): Promise<SiteSummary> {
    await this.edit(
      async () => {
        const before = await this.site(id);
        return patch.name !== undefined && patch.name.trim() !== before.name ? `Rename site ${before.name}` : `Edit site ${before.name}`;
      },
      (t) => this.edits.updateSite(id, patch, t),
    );
    return this.site(id);
  }

  async deleteSite(id: number): Promise<void> {
    await this.edit(
      async () => `Delete site ${(await this.site(id)).name}`,
      (t) => this.edits.deleteSite(id, t),
    );
  }

  private async site(id: number): Promise<SiteSummary> {
    const site = (await this.listSites()).find((s) => s.id === id);
    if (!site) throw new FieldbookError('NOT_FOUND', `there is no site ${id}`);
    return site;
  }

  async addMeasurement(sampleId: number, input: NewMeasurement): Promise<SampleDetail> {
    await this.edit(`Add ${input.kind.trim() || 'measurement'}`, (t) => this.edits.addMeasurement(sampleId, input, t));
    return this.getSample(sampleId);
  }

  async updateMeasurement(id: number, patch: MeasurementPatch): Promise<SampleDetail> {
    return this.getSample(await this.edit('Edit measurement', (t) => this.edits.updateMeasurement(id, patch, t)));
  }

  async deleteMeasurement(id: number): Promise<SampleDetail> {
    return this.getSample(await this.edit('Delete measurement', (t) => this.edits.deleteMeasurement(id, t)));
  }

  async listInstruments(): Promise<InstrumentSummary[]> {
    return this.sequelize.query<InstrumentSummary>('SELECT id, name FROM instruments ORDER BY name COLLATE NOCASE, id', { type: QueryTypes.SELECT });
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
    await this.edit(resolved ? 'Mark issue resolved' : 'Mark issue unresolved', (t) => this.edits.setIssueResolved(id, resolved, t));
  }

  undoState(): UndoState {
    return this.undoLog?.state() ?? { undo: null, redo: null };
  }

  /** Undoes the last edit (nothing when there is none). @throws FieldbookError READ_ONLY_DOCUMENT, INVALID_VALUE when the notebook no longer allows it (nothing is changed) */
  undo(): Promise<UndoOutcome> {
    return this.replay((log) => log.undo());
  }

  redo(): Promise<UndoOutcome> {
    return this.replay((log) => log.redo());
  }

  private replay(run: (log: UndoLog) => string | null): Promise<UndoOutcome> {
    return this.serial(async () => {
      this.refuseIfDamaged();
      if (!this.undoLog) throw new FieldbookError('READ_ONLY_DOCUMENT', 'this notebook is open read-only; nothing can be changed');
      const log = this.undoLog;
      let done: string | null;
      try {
        done = await this.handle.write(async () => run(log), inFieldbookWords);
      } catch (error) {
        throw withField(error);
      }
      return { done, state: log.state() };
    });
  }
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
