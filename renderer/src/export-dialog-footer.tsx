import type { ReactNode } from 'react';
import { StatusMessage } from './status-message';
import type { ExportJobState } from './use-export-job';

/**
 * The foot of an export dialog, for its Modal's `footer`: none while the export runs (its
 * progress has Cancel); once it is done, "Export another" and Close; otherwise Close and Export,
 * which submits the dialog's form `formId` (held back while `canExport` is false).
 */
export function exportDialogFooter({
  phase,
  formId,
  onReset,
  onClose,
  canExport = true,
}: {
  phase: ExportJobState<unknown>['phase'];
  formId: string;
  onReset: () => void;
  onClose: () => void;
  canExport?: boolean;
}): ReactNode {
  if (phase === 'running') return null;
  if (phase === 'done') {
    return (
      <>
        <button type="button" className="button" onClick={onReset}>
          Export another
        </button>
        <button type="button" className="button button-primary" onClick={onClose} data-autofocus>
          Close
        </button>
      </>
    );
  }
  return (
    <>
      <button type="button" className="button" onClick={onClose}>
        Close
      </button>
      <button type="submit" form={formId} className="button button-primary" disabled={!canExport}>
        Export
      </button>
    </>
  );
}

/** What an export dialog's form says about the last attempt: no file chosen, cancelled, or failed (with why). */
export function ExportNotices({ state }: { state: ExportJobState<unknown> }) {
  return (
    <>
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
    </>
  );
}
