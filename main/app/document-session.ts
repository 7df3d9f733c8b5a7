import { FieldbookError, type DocumentHandle } from '@fieldbook/engine';
import type {
  DataIssueView,
  MeasurementSeriesSet,
  SeriesScope,
  SiteMap,
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
} from '../ipc/contract';
import { defineModels, type DocumentModels } from '../models';
import { listSamples, listSites, registerNaturalOrder } from './sample-queries';
import { listDataIssues } from './data-issue-rows';
import { attachmentAbout, attachmentRow, listInstruments, listTags, sampleDetail, type StoredAttachment } from './notebook-reads';
import type { AttachmentFile } from './attachment-files';
import { EditQueue } from './edit-queue';
import { NotebookEdits } from './notebook-edits';
import { siteMap } from './site-map';
import { measurementSeries } from './measurement-series';

/**
 * An open document as the app uses it: reads and edits go through the Sequelize models on the
 * engine's single connection (the document's triggers keep the search index in step); each edit
 * is made through EditQueue.edit (one transaction, one undo step, in Fieldbook's words when
 * refused).
 */
export class DocumentSession extends EditQueue {
  private readonly models: DocumentModels;
  private readonly edits: NotebookEdits;

  constructor(handle: DocumentHandle) {
    super(handle);
    this.models = defineModels(this.sequelize);
    this.edits = new NotebookEdits(this.models);
    registerNaturalOrder(handle.db);
  }

  listSites(): Promise<SiteSummary[]> {
    return listSites(this.sequelize);
  }

  listSamples(query: SampleQuery): Promise<SamplePage> {
    return listSamples(this.sequelize, query);
  }

  getSample(id: number): Promise<SampleDetail> {
    return sampleDetail(this.models, id);
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

  /** Attaches files to a sample, all in one edit. */
  async addAttachments(sampleId: number, files: AttachmentFile[]): Promise<SampleDetail> {
    const what = files.length === 1 ? files[0]!.filename : `${files.length} files`;
    await this.edit(
      async () => `Attach ${what} to sample ${(await this.getSample(sampleId)).code}`,
      (t) => this.edits.addAttachments(sampleId, files, t),
    );
    return this.getSample(sampleId);
  }

  async deleteAttachment(id: number): Promise<SampleDetail> {
    const { filename } = await attachmentAbout(this.models, id);
    return this.getSample(await this.edit(`Remove attachment ${filename}`, (t) => this.edits.deleteAttachment(id, t)));
  }

  /** An attachment with its bytes. @throws FieldbookError NOT_FOUND */
  attachment(id: number): Promise<StoredAttachment> {
    return attachmentRow(this.models, id);
  }

  /** An attachment without its bytes, with their length. @throws FieldbookError NOT_FOUND */
  attachmentAbout(id: number): ReturnType<typeof attachmentAbout> {
    return attachmentAbout(this.models, id);
  }

  listInstruments(): Promise<InstrumentSummary[]> {
    return listInstruments(this.sequelize);
  }

  listTags(): Promise<TagSummary[]> {
    return listTags(this.sequelize);
  }

  listDataIssues(includeResolved: boolean): Promise<DataIssueView[]> {
    return listDataIssues(this.sequelize, includeResolved);
  }

  async setIssueResolved(id: number, resolved: boolean): Promise<void> {
    await this.edit(resolved ? 'Mark issue resolved' : 'Mark issue unresolved', (t) => this.edits.setIssueResolved(id, resolved, t));
  }

  /** The sites for the map: with and without coordinates, and the frame that fits them. */
  siteMap(): Promise<SiteMap> {
    return siteMap(this.sequelize);
  }

  /** A site's (or a sample's, against its site's) measurements over time, one series per kind and unit. */
  measurementSeries(scope: SeriesScope): Promise<MeasurementSeriesSet> {
    return measurementSeries(this.sequelize, scope);
  }
}
