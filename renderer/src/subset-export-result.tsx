import type { ExportOutcome } from '../../main/ipc/contract';
import { formatCount } from './format-values';
import { Icon } from './icon';

/** A finished subset export: the file written, and how many rows of each table it holds. */
export function SubsetExportResult({ outcome }: { outcome: ExportOutcome }) {
  const counts = Object.entries(outcome.counts);
  return (
    <div className="export-result" data-testid="export-result" role="status">
      <p className="result-title"><Icon name="check" /> Exported “{outcome.name}”</p>
      <p className="muted">
        {outcome.empty
          ? `The selection matched no samples, so the file is an empty notebook (version ${outcome.version}).`
          : `A complete notebook at version ${outcome.version}, holding these rows:`}
      </p>
      {counts.length > 0 && (
        <table className="data-table compact-table">
          <thead>
            <tr><th scope="col">Table</th><th scope="col" className="numeric">Rows</th></tr>
          </thead>
          <tbody>
            {counts.map(([table, rows]) => (
              <tr key={table}><th scope="row">{table}</th><td className="numeric">{formatCount(rows)}</td></tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
