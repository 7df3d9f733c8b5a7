import type { DocumentId, ExportOutcome } from '../../main/ipc/contract';
import { formatCount, tableLabel } from './format-values';
import { Icon } from './icon';
import { ShowExportButton } from './subset-export-result';

/** A finished export for an older version: the file written, and what that version cannot hold. */
export function VersionExportResult({ documentId, outcome }: { documentId: DocumentId; outcome: ExportOutcome }) {
  return (
    <div className="export-result" data-testid="export-version-result" role="status">
      <div className="result-heading">
        <p className="result-title">
          <Icon name="check" /> Exported “{outcome.name}”
        </p>
        <ShowExportButton documentId={documentId} />
      </div>
      {outcome.lost.length === 0 ? (
        <p className="muted">A copy at version {outcome.version}. Nothing was left out: that version can hold everything in this notebook.</p>
      ) : (
        <>
          <p className="muted">A copy at version {outcome.version}, which cannot hold everything. The copy leaves out:</p>
          <table className="data-table compact-table">
            <thead>
              <tr>
                <th scope="col">What</th>
                <th scope="col">Field</th>
                <th scope="col" className="numeric">
                  Rows
                </th>
              </tr>
            </thead>
            <tbody>
              {outcome.lost.map((loss) => (
                <tr key={`${loss.table}.${loss.column ?? '*'}`}>
                  <th scope="row">{tableLabel(loss.table)}</th>
                  <td>{loss.column?.replace(/_/g, ' ') ?? <span className="muted">all of it</span>}</td>
                  <td className="numeric">{formatCount(loss.rows)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <p className="muted small">This notebook still has all of it.</p>
        </>
      )}
    </div>
  );
}
