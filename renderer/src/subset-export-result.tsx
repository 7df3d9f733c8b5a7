import { useState } from 'react';
import type { DocumentId, ExportOutcome } from '../../main/ipc/contract';
import { api, toAppError, type AppError } from './api';
import { formatCount, tableLabel } from './format-values';
import { Icon } from './icon';
import { StatusMessage } from './status-message';

/** "Show file": the exported notebook in the file manager (main knows where it is; the renderer does not). */
export function ShowExportButton({ documentId }: { documentId: DocumentId }) {
  const [error, setError] = useState<AppError | null>(null);
  return (
    <>
      <button
        type="button"
        className="button button-small"
        data-testid="show-export"
        onClick={() =>
          api.showLastExport(documentId).then(
            () => setError(null),
            (e: unknown) => setError(toAppError(e)),
          )
        }
      >
        <Icon name="folder" /> Show file
      </button>
      {error && (
        <StatusMessage kind="error" error={error}>
          The file could not be shown.
        </StatusMessage>
      )}
    </>
  );
}

/** A finished subset export: the file written, and how many rows of each kind it holds. */
export function SubsetExportResult({ documentId, outcome }: { documentId: DocumentId; outcome: ExportOutcome }) {
  const counts = Object.entries(outcome.counts);
  return (
    <div className="export-result" data-testid="export-result" role="status">
      <div className="result-heading">
        <p className="result-title">
          <Icon name="check" /> Exported “{outcome.name}”
        </p>
        <ShowExportButton documentId={documentId} />
      </div>
      <p className="muted">
        {outcome.empty
          ? `The selection matched no samples, so the file is an empty notebook (version ${outcome.version}).`
          : `A complete notebook at version ${outcome.version}, holding:`}
      </p>
      {counts.length > 0 && (
        <table className="data-table compact-table">
          <thead>
            <tr>
              <th scope="col">What</th>
              <th scope="col" className="numeric">
                Rows
              </th>
            </tr>
          </thead>
          <tbody>
            {counts.map(([table, rows]) => (
              <tr key={table}>
                <th scope="row">{tableLabel(table)}</th>
                <td className="numeric">{formatCount(rows)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
