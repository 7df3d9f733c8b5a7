import type { DocumentId, ExportOutcome } from '../../main/ipc/contract';
import { LossTable } from './loss-table';
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
          <LossTable lost={outcome.lost} />
          <p className="muted small">This notebook still has all of it.</p>
        </>
      )}
    </div>
  );
}
