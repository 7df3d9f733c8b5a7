import type { DocumentId, MeasurementView, SampleDetail } from '../../main/ipc/contract';
import { api } from './api';
import { AttachmentList } from './attachment-list';
import { formatDateTime } from './format-values';
import { Icon } from './icon';
import { MeasurementTable } from './measurement-table';
import { SHORTCUTS } from './shortcuts';
import { StatusMessage } from './status-message';
import { TagList } from './tag-list';
import { useLoader } from './use-loader';

/**
 * The right-hand panel: the selected sample with its measurements, tags and attachments, and
 * "Edit" (disabled for a read-only notebook). Shows a sample only once it is the selected one,
 * so "Edit" never acts on the previous selection.
 */
export function SampleDetailPanel({
  documentId,
  sampleId,
  changes,
  readOnly,
  onEdit,
  onDelete,
  onAddMeasurement,
  onEditMeasurement,
  onDeleteMeasurement,
}: {
  documentId: DocumentId;
  sampleId: number | null;
  changes: number;
  readOnly: boolean;
  onEdit: (sample: SampleDetail) => void;
  onDelete: (sample: SampleDetail) => void;
  onAddMeasurement: (sample: SampleDetail) => void;
  onEditMeasurement: (sample: SampleDetail, measurement: MeasurementView) => void;
  onDeleteMeasurement: (measurement: MeasurementView) => void;
}) {
  const loaded = useLoader(() => (sampleId === null ? Promise.resolve(null) : api.getSample(documentId, sampleId)), [documentId, sampleId, changes]);
  const sample = loaded.value && loaded.value.id === sampleId ? loaded.value : null;

  let body;
  if (sampleId === null) {
    body = <StatusMessage kind="empty">Select a sample to see its measurements, tags and attachments.</StatusMessage>;
  } else if (loaded.error) {
    body = (
      <StatusMessage kind="error" error={loaded.error} retry={loaded.reload}>
        This sample could not be loaded.
      </StatusMessage>
    );
  } else if (!sample) {
    body = <StatusMessage kind="loading">Loading sample…</StatusMessage>;
  } else {
    body = (
      <article className="sample-article" aria-labelledby="sample-title">
        <header className="detail-header">
          <div>
            <h2 id="sample-title" className="detail-title">
              {sample.code}
            </h2>
            <p className="detail-meta">
              <span>
                <Icon name="pin" /> {sample.siteName ?? 'No site'}
              </span>
              <span>Collected {sample.collectedOn ? <time dateTime={sample.collectedOn}>{sample.collectedOn}</time> : <span className="muted">date unknown</span>}</span>
            </p>
          </div>
          <div className="detail-actions">
            <button type="button" className="button" onClick={() => onEdit(sample)} disabled={readOnly} title={readOnly ? 'This notebook is open read-only' : undefined}>
              <Icon name="pencil" /> Edit
            </button>
            <button
              type="button"
              className="button"
              onClick={() => onDelete(sample)}
              disabled={readOnly}
              title={readOnly ? 'This notebook is open read-only' : `Delete this sample (${SHORTCUTS.delete})`}
            >
              <Icon name="trash" /> Delete…
            </button>
          </div>
        </header>
        <section className="detail-section" aria-labelledby="detail-description">
          <h3 id="detail-description">Description</h3>
          {sample.description ? <p className="description">{sample.description}</p> : <p className="muted small">No description.</p>}
        </section>
        <section className="detail-section" aria-labelledby="detail-tags">
          <h3 id="detail-tags">Tags</h3>
          <TagList tags={sample.tags} />
        </section>
        <section className="detail-section" aria-labelledby="detail-measurements">
          <div className="section-heading">
            <h3 id="detail-measurements">Measurements</h3>
            {!readOnly && (
              <button type="button" className="button button-small" onClick={() => onAddMeasurement(sample)}>
                <Icon name="plus" /> Add measurement
              </button>
            )}
          </div>
          <MeasurementTable measurements={sample.measurements} readOnly={readOnly} onEdit={(m) => onEditMeasurement(sample, m)} onDelete={onDeleteMeasurement} />
        </section>
        <section className="detail-section" aria-labelledby="detail-attachments">
          <h3 id="detail-attachments">Attachments</h3>
          <AttachmentList attachments={sample.attachments} />
        </section>
        <footer className="detail-footer muted small">
          Sample {sample.id}
          {sample.createdAt ? ` · added ${formatDateTime(sample.createdAt)}` : ''}
        </footer>
      </article>
    );
  }
  return (
    <section className="detail-pane" data-testid="sample-detail" aria-label="Sample details" aria-busy={loaded.loading || undefined}>
      {body}
    </section>
  );
}
