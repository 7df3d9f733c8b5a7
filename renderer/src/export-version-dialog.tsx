import { useId, useState, type FormEvent } from 'react';
import type { DocumentId } from '../../main/ipc/contract';
import { api } from './api';
import { ExportProgress } from './export-progress';
import { Modal } from './modal';
import { StatusMessage } from './status-message';
import { useExportJob } from './use-export-job';
import { useLoader } from './use-loader';
import { VersionExportResult } from './version-export-result';

/**
 * Export for older version: a copy, written through the `down` migrations, that a colleague
 * with an older Fieldbook can open (version 1 to head − 1); afterwards, what it had to leave out.
 */
export function ExportVersionDialog({ documentId, onClose }: { documentId: DocumentId; onClose: () => void }) {
  const info = useLoader(() => api.documentInfo(documentId), [documentId]);
  const [version, setVersion] = useState<number | null>(null);
  const { state, start, cancel, reset } = useExportJob();
  const formId = useId();
  const selectId = useId();
  const head = info.value?.head ?? 0;
  const versions = Array.from({ length: Math.max(0, head - 1) }, (_, i) => head - 1 - i);
  // Until the user picks one: the newest older version (the one that loses least).
  const chosen = version ?? versions[0] ?? null;

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (chosen === null || state.phase === 'running') return;
    void start((jobId) => api.exportForVersion(documentId, chosen, jobId));
  };

  const running = state.phase === 'running';
  const footer = running ? null : state.phase === 'done' ? (
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
      <button type="submit" form={formId} className="button button-primary" disabled={chosen === null}>
        Export
      </button>
    </>
  );

  return (
    <Modal
      title="Export for older version"
      onClose={onClose}
      locked={running}
      testId="export-version-dialog"
      size="small"
      footer={footer}
      description="Writes a copy that an older Fieldbook can open. This notebook is not changed."
    >
      {state.phase === 'running' && <ExportProgress progress={state.progress} cancelling={state.cancelling} onCancel={cancel} />}
      {state.phase === 'done' && <VersionExportResult documentId={documentId} outcome={state.outcome} />}
      {state.phase !== 'running' && state.phase !== 'done' && (
        <>
          {info.error && (
            <StatusMessage kind="error" error={info.error} retry={info.reload}>
              The document’s version could not be read.
            </StatusMessage>
          )}
          {!info.value && !info.error && <StatusMessage kind="loading">Reading the document…</StatusMessage>}
          {info.value && versions.length === 0 && <StatusMessage kind="empty">There is no older version to export to.</StatusMessage>}
          {info.value && versions.length > 0 && (
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
              <div className="field field-narrow">
                <label htmlFor={selectId}>Version</label>
                <select id={selectId} value={chosen ?? ''} onChange={(e) => setVersion(Number(e.target.value))} data-autofocus>
                  {versions.map((v) => (
                    <option key={v} value={v}>
                      Version {v}
                    </option>
                  ))}
                </select>
                <p className="field-hint">
                  This notebook is at version {info.value.version ?? '?'}; this Fieldbook writes up to version {head}.
                </p>
              </div>
              <p className="muted small">Anything the chosen version cannot hold is left out of the copy; you will see what, with row counts.</p>
            </form>
          )}
        </>
      )}
    </Modal>
  );
}
