import { useId, useState, type FormEvent } from 'react';
import type { DocumentId, SampleSummary, SubsetSelection } from '../../main/ipc/contract';
import { api } from './api';
import { ExportProgress } from './export-progress';
import { formatCount } from './format-values';
import { Modal } from './modal';
import { StatusMessage } from './status-message';
import { SubsetExportResult } from './subset-export-result';
import { useExportJob } from './use-export-job';
import { useLoader } from './use-loader';

type Scope = 'filter' | 'selection' | 'list';

/** What the current choices pick, in words. */
function describe(selection: SubsetSelection, siteNames: Map<number, string>): string {
  const parts: string[] = [];
  if (selection.sampleIds)
    return `${selection.sampleIds.length === 1 ? 'The selected sample' : `${formatCount(selection.sampleIds.length)} samples`}, with everything that belongs to ${selection.sampleIds.length === 1 ? 'it' : 'them'}.`;
  if (selection.siteIds?.length) parts.push(`at ${selection.siteIds.map((id) => siteNames.get(id) ?? `site ${id}`).join(' or ')}`);
  if (selection.tags?.length) parts.push(`tagged ${selection.tags.join(' or ')}`);
  if (selection.collectedFrom && selection.collectedTo) parts.push(`collected from ${selection.collectedFrom} to ${selection.collectedTo}`);
  else if (selection.collectedFrom) parts.push(`collected on or after ${selection.collectedFrom}`);
  else if (selection.collectedTo) parts.push(`collected on or before ${selection.collectedTo}`);
  const which = parts.length ? `Samples ${parts.join(', ')}` : 'Every sample in this notebook';
  return `${which}, with their measurements, tags, attachments and data issues.`;
}

/**
 * Export Subset: choose samples by site, tag and collection date (combined with AND; within a
 * list, any), or take the selected sample or the samples in the list; then export with progress
 * and cancel, and see the row counts written.
 */
export function ExportSubsetDialog({
  documentId,
  selectedSample,
  listedSamples,
  onClose,
}: {
  documentId: DocumentId;
  selectedSample: { id: number; code: string } | null;
  listedSamples: SampleSummary[];
  onClose: () => void;
}) {
  const sites = useLoader(() => api.listSites(documentId), [documentId]);
  const tags = useLoader(() => api.listTags(documentId), [documentId]);
  const [scope, setScope] = useState<Scope>('filter');
  const [siteIds, setSiteIds] = useState<number[]>([]);
  const [tagNames, setTagNames] = useState<string[]>([]);
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const { state, start, cancel, reset } = useExportJob();
  const formId = useId();
  const ids = { from: useId(), to: useId() };

  const selection: SubsetSelection =
    scope === 'selection'
      ? { sampleIds: selectedSample ? [selectedSample.id] : [] }
      : scope === 'list'
        ? { sampleIds: listedSamples.map((s) => s.id) }
        : {
            ...(siteIds.length ? { siteIds } : {}),
            ...(tagNames.length ? { tags: tagNames } : {}),
            ...(from ? { collectedFrom: from } : {}),
            ...(to ? { collectedTo: to } : {}),
          };
  const reversed = scope === 'filter' && from !== '' && to !== '' && from > to;
  const siteNames = new Map((sites.value ?? []).map((s) => [s.id, s.name]));
  const toggle = <T,>(list: T[], item: T, on: boolean) => (on ? [...list, item] : list.filter((x) => x !== item));

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (state.phase === 'running' || reversed) return;
    void start((jobId) => api.exportSubset(documentId, selection, jobId));
  };

  const running = state.phase === 'running';
  const footer =
    state.phase === 'running' ? null : state.phase === 'done' ? (
      <>
        <button type="button" className="button" onClick={reset}>
          Export another
        </button>
        <button type="button" className="button button-primary" onClick={onClose} data-autofocus>
          Close
        </button>
      </>
    ) : (
      <>
        <button type="button" className="button" onClick={onClose}>
          Close
        </button>
        <button type="submit" form={formId} className="button button-primary" disabled={reversed}>
          Export
        </button>
      </>
    );

  return (
    <Modal
      title="Export subset"
      onClose={onClose}
      locked={running}
      testId="export-dialog"
      size="medium"
      footer={footer}
      description="Writes the chosen samples, and everything that belongs to them, into a new notebook. This notebook is not changed."
    >
      {state.phase === 'running' && <ExportProgress progress={state.progress} cancelling={state.cancelling} onCancel={cancel} />}
      {state.phase === 'done' && <SubsetExportResult documentId={documentId} outcome={state.outcome} />}
      {state.phase !== 'running' && state.phase !== 'done' && (
        <form id={formId} className="form" onSubmit={onSubmit} noValidate>
          {state.phase === 'no-destination' && (
            <p className="notice" role="status">
              No file was chosen, so nothing was exported.
            </p>
          )}
          {state.phase === 'cancelled' && (
            <p className="notice" role="status">
              The export was cancelled. Nothing was written.
            </p>
          )}
          {state.phase === 'failed' && (
            <StatusMessage kind="error" error={state.error}>
              The export failed.
            </StatusMessage>
          )}
          <fieldset className="choice-group">
            <legend>Samples</legend>
            <label className="radio">
              <input type="radio" name="scope" value="filter" checked={scope === 'filter'} onChange={() => setScope('filter')} data-autofocus />
              By site, tag and date
            </label>
            <label className={`radio${selectedSample ? '' : ' is-disabled'}`}>
              <input type="radio" name="scope" value="selection" checked={scope === 'selection'} onChange={() => setScope('selection')} disabled={!selectedSample} />
              Current selection{selectedSample ? ` (${selectedSample.code})` : ' (no sample selected)'}
            </label>
            <label className={`radio${listedSamples.length ? '' : ' is-disabled'}`}>
              <input type="radio" name="scope" value="list" checked={scope === 'list'} onChange={() => setScope('list')} disabled={listedSamples.length === 0} />
              Samples shown in the list ({formatCount(listedSamples.length)})
            </label>
          </fieldset>
          {scope === 'filter' && (
            <>
              <fieldset className="choice-group">
                <legend>
                  Sites <span className="legend-hint">none ticked: any site</span>
                </legend>
                {sites.error && <StatusMessage kind="error" error={sites.error} retry={sites.reload} />}
                {!sites.value && !sites.error && <StatusMessage kind="loading">Loading sites…</StatusMessage>}
                {sites.value?.length === 0 && <p className="muted small">This notebook has no sites.</p>}
                <div className="checkbox-grid">
                  {sites.value?.map((site) => (
                    <label key={site.id} className="checkbox">
                      <input type="checkbox" checked={siteIds.includes(site.id)} onChange={(e) => setSiteIds(toggle(siteIds, site.id, e.target.checked))} />
                      {site.name}
                    </label>
                  ))}
                </div>
              </fieldset>
              <fieldset className="choice-group">
                <legend>
                  Tags <span className="legend-hint">none ticked: any tag</span>
                </legend>
                {tags.error && <StatusMessage kind="error" error={tags.error} retry={tags.reload} />}
                {!tags.value && !tags.error && <StatusMessage kind="loading">Loading tags…</StatusMessage>}
                {tags.value?.length === 0 && <p className="muted small">This notebook has no tags.</p>}
                <div className="checkbox-grid">
                  {tags.value?.map((tag) => (
                    <label key={tag.id} className="checkbox">
                      <input type="checkbox" checked={tagNames.includes(tag.name)} onChange={(e) => setTagNames(toggle(tagNames, tag.name, e.target.checked))} />
                      {tag.name}
                    </label>
                  ))}
                </div>
              </fieldset>
              <fieldset className="choice-group">
                <legend>
                  Collection date <span className="legend-hint">inclusive; samples without a date are left out</span>
                </legend>
                <div className="date-range">
                  <div className="field">
                    <label htmlFor={ids.from}>Collected from</label>
                    <input id={ids.from} type="date" value={from} onChange={(e) => setFrom(e.target.value)} max={to || undefined} />
                  </div>
                  <div className="field">
                    <label htmlFor={ids.to}>Collected to</label>
                    <input id={ids.to} type="date" value={to} onChange={(e) => setTo(e.target.value)} min={from || undefined} />
                  </div>
                </div>
                {reversed && (
                  <p className="form-error" role="alert">
                    The range ends before it starts.
                  </p>
                )}
              </fieldset>
            </>
          )}
          <p className="selection-summary" aria-live="polite">
            {describe(selection, siteNames)}
          </p>
        </form>
      )}
    </Modal>
  );
}
