import { useId, useState, type FormEvent } from 'react';
import type { CsvExportOutcome, DocumentId, SampleQuery } from '../../main/ipc/contract';
import { api } from './api';
import { ExportNotices, exportDialogFooter } from './export-dialog-footer';
import { ExportProgress } from './export-progress';
import { countOf } from './format-values';
import { Icon } from './icon';
import { Modal } from './modal';
import { ShowExportButton } from './subset-export-result';
import { useExportJob } from './use-export-job';

/** What the list shows, in words: "12 samples at River, matching “sed”, tagged Water". */
function describe(query: SampleQuery, scopeName: string, total: number | undefined): string {
  const parts = [total === undefined ? 'The samples' : `The ${countOf(total, 'sample')}`];
  parts.push(query.siteId === undefined ? 'in the list' : `at ${scopeName}`);
  if (query.search) parts.push(`matching “${query.search}”`);
  if (query.tag) parts.push(`tagged ${query.tag}`);
  if (query.collectedFrom && query.collectedTo) parts.push(`collected from ${query.collectedFrom} to ${query.collectedTo}`);
  else if (query.collectedFrom) parts.push(`collected on or after ${query.collectedFrom}`);
  else if (query.collectedTo) parts.push(`collected on or before ${query.collectedTo}`);
  return `${parts.join(' ')}, in the list’s order, with their measurements: one row per measurement.`;
}

/**
 * Export CSV: the samples the list shows (its site, search, tag and dates, in its order, all of
 * them, not only the page shown) with their measurements, into a CSV file; with a byte order mark
 * for Excel (on by default) and a choice of comma or semicolon with decimal commas.
 */
export function CsvExportDialog({
  documentId,
  query,
  scopeName,
  total,
  onClose,
}: {
  documentId: DocumentId;
  query: SampleQuery;
  scopeName: string;
  total: number | undefined;
  onClose: () => void;
}) {
  const [bom, setBom] = useState(true);
  const [delimiter, setDelimiter] = useState<',' | ';'>(',');
  const { state, start, cancel, reset } = useExportJob<CsvExportOutcome>();
  const formId = useId();

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (state.phase !== 'running') void start((jobId) => api.exportCsv(documentId, query, { bom, delimiter }, jobId));
  };
  const running = state.phase === 'running';
  const footer = exportDialogFooter({ phase: state.phase, formId, onReset: reset, onClose });

  return (
    <Modal
      title="Export CSV"
      onClose={onClose}
      locked={running}
      testId="csv-export-dialog"
      size="small"
      footer={footer}
      description="Writes a spreadsheet file of samples and measurements. This notebook is not changed."
    >
      {state.phase === 'running' && <ExportProgress progress={state.progress} cancelling={state.cancelling} onCancel={cancel} />}
      {state.phase === 'done' && (
        <div className="export-result" data-testid="csv-export-result" role="status">
          <div className="result-heading">
            <p className="result-title">
              <Icon name="check" /> Exported “{state.outcome.name}”
            </p>
            <ShowExportButton documentId={documentId} />
          </div>
          <p className="muted">
            {countOf(state.outcome.samples, 'sample')} in {countOf(state.outcome.rows, 'row')}, with a header row.
          </p>
        </div>
      )}
      {!running && state.phase !== 'done' && (
        <form id={formId} className="form" onSubmit={onSubmit} noValidate>
          <ExportNotices state={state} />
          <p className="selection-summary" data-testid="csv-export-scope">
            {describe(query, scopeName, total)}
          </p>
          <fieldset className="choice-group">
            <legend>Separator</legend>
            <label className="radio">
              <input type="radio" name="delimiter" checked={delimiter === ','} onChange={() => setDelimiter(',')} data-autofocus />
              Comma, decimal point (1.5)
            </label>
            <label className="radio">
              <input type="radio" name="delimiter" checked={delimiter === ';'} onChange={() => setDelimiter(';')} />
              Semicolon, decimal comma (1,5): Excel where the comma is the decimal separator
            </label>
          </fieldset>
          <label className="checkbox">
            <input type="checkbox" checked={bom} onChange={(e) => setBom(e.target.checked)} />
            Mark the file as UTF-8 for Excel (byte order mark)
          </label>
          <p className="field-hint">Without the mark, Excel reads accents and symbols in the system’s older encoding and shows them garbled.</p>
        </form>
      )}
    </Modal>
  );
}
