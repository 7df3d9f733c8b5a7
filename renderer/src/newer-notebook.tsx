import type { CopyForVersionOutcome, WindowDocument } from '../../main/ipc/contract';
import { api } from './api';
import { ExportProgress } from './export-progress';
import { asSentence } from './format-values';
import { LossTable } from './loss-table';
import { Icon } from './icon';
import { StatusMessage } from './status-message';
import { useExportJob } from './use-export-job';

/**
 * True when this version cannot show the notebook as it is (breaking): the window offers a copy
 * instead of its views. A notebook whose class it cannot judge opens read-only, as it always did.
 */
export function needsCopyForThisVersion(doc: WindowDocument): boolean {
  return doc.status === 'newer' && doc.compatibility === 'breaking';
}

/** "Open a Copy for This Version": a background job writes the copy (the notebook is only read) and opens it in a new window. */
function CopyForThisVersion({ doc, primary }: { doc: WindowDocument; primary: boolean }) {
  const job = useExportJob();
  const run = () =>
    void job.start(async (jobId) => {
      const outcome = await api.openCopyForThisVersion(doc.id, jobId);
      return outcome && { name: outcome.name, version: outcome.version, counts: {}, empty: false, lost: outcome.lost };
    });
  const state = job.state;
  return (
    <div className="newer-copy" data-testid="copy-for-version">
      {state.phase === 'running' ? (
        <ExportProgress progress={state.progress} cancelling={state.cancelling} onCancel={job.cancel} />
      ) : (
        <button type="button" className={`button${primary ? ' button-primary' : ''}`} onClick={run} disabled={!doc.canOpenCopy}>
          <Icon name="export" /> Open a Copy for This Version
        </button>
      )}
      {state.phase === 'done' && <CopyResult outcome={state.outcome} />}
      {state.phase === 'failed' && (
        <StatusMessage kind="error" error={state.error}>
          No copy was made; the notebook was not changed.
        </StatusMessage>
      )}
      {state.phase === 'cancelled' && <p className="muted">Cancelled: no copy was made.</p>}
    </div>
  );
}

/** The copy that opened in a new window, and what it could not hold. */
function CopyResult({ outcome }: { outcome: CopyForVersionOutcome }) {
  return (
    <div className="export-result" data-testid="copy-for-version-result" role="status">
      <p className="result-title">
        <Icon name="check" /> Opened “{outcome.name}” in a new window
      </p>
      {outcome.lost.length === 0 ? (
        <p className="muted">A copy at version {outcome.version} that holds everything in this notebook.</p>
      ) : (
        <>
          <p className="muted">A copy at version {outcome.version}. It leaves out what this version cannot hold:</p>
          <LossTable lost={outcome.lost} />
          <p className="muted small">This notebook still has all of it.</p>
        </>
      )}
    </div>
  );
}

/** The banner of a notebook from a newer Fieldbook: editable as it is (additive), or read-only with the copy for this version. */
export function NewerNotebookBanner({ doc }: { doc: WindowDocument }) {
  const additive = doc.compatibility === 'additive';
  return (
    <div className={`banner ${additive ? 'banner-info' : 'banner-warning'}`} data-testid={additive ? 'banner-newer-additive' : 'banner-readonly'} role="status">
      <Icon name={additive ? 'info' : 'lock'} className="banner-icon" />
      <div className="banner-text">
        <p className="banner-title">{additive ? 'From a newer Fieldbook' : 'Opened read-only'}</p>
        <p className="banner-detail">{asSentence(doc.readOnlyReason ?? 'This notebook was written by a newer Fieldbook.')}</p>
      </div>
      {!additive && doc.canOpenCopy && (
        <div className="banner-actions">
          <CopyForThisVersion doc={doc} primary={false} />
        </div>
      )}
    </div>
  );
}

/** In place of the notebook's views, for a notebook this version cannot show as it is. */
export function NewerNotebookView({ doc }: { doc: WindowDocument }) {
  return (
    <main className="centered-view">
      <section className="card" data-testid="newer-notebook" aria-labelledby="newer-title">
        <Icon name="lock" className="card-icon" />
        <h1 id="newer-title">“{doc.name}” is from a newer Fieldbook</h1>
        <p>{asSentence(doc.readOnlyReason ?? 'This version cannot show it as it is.')}</p>
        <CopyForThisVersion doc={doc} primary />
      </section>
    </main>
  );
}
