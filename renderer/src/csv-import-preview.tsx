import type { CsvImportPreview, CsvPreviewRow, CsvProblemCount } from '../../main/ipc/contract';
import { asSentence, countOf, formatCount, formatMeasurement } from './format-values';

/** A cell of the file shown as text: control characters visible as symbols, so a NUL or a line break can be seen. */
function shown(text: string | null): string {
  if (text === null || text === '') return '—';
  return text
    .replace(/\r\n|\n|\r/g, '⏎')
    .replace(/\t/g, '⇥')
    .replace(/\p{Cc}/gu, '␀');
}

function rowsList(problem: CsvProblemCount): string {
  const more = problem.count > problem.rows.length ? ', …' : '';
  return `${problem.count === 1 ? 'row' : 'rows'} ${problem.rows.join(', ')}${more}`;
}

/** The problems of a file's rows, by kind: how many, the first rows, and the first one's words. */
export function CsvProblems({ problems }: { problems: CsvProblemCount[] }) {
  if (problems.length === 0) return null;
  return (
    <ul className="csv-problems" data-testid="csv-problems">
      {problems.map((p) => (
        <li key={p.kind} className={p.kind === 'no-measurement' ? 'muted' : undefined}>
          <strong>{formatCount(p.count)} ×</strong> {asSentence(p.example)} <span className="muted">({rowsList(p)})</span>
        </li>
      ))}
    </ul>
  );
}

function PreviewTable({ rows, caption, testId }: { rows: CsvPreviewRow[]; caption: string; testId: string }) {
  return (
    <div className="table-scroll">
      <table className="data-table csv-preview-table" data-testid={testId}>
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            <th scope="col" className="numeric">
              Row
            </th>
            <th scope="col">Sample</th>
            <th scope="col">Site</th>
            <th scope="col">Quantity</th>
            <th scope="col" className="numeric">
              Value
            </th>
            <th scope="col">Unit</th>
            <th scope="col">Instrument</th>
            <th scope="col">Import</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => {
            const error = row.problem !== null && row.problem.kind !== 'no-measurement';
            return (
              <tr key={row.row} className={error ? 'csv-row-error' : row.problem ? 'csv-row-skipped' : undefined}>
                <td className="numeric">{row.row}</td>
                <td>{shown(row.code)}</td>
                <td>{shown(row.site)}</td>
                <td>{shown(row.quantity)}</td>
                <td className="numeric">{formatMeasurement(row.value)}</td>
                <td>{shown(row.unit)}</td>
                <td>{shown(row.instrument)}</td>
                <td>
                  {row.problem ? <span className={error ? 'csv-status-error' : 'muted'}>{asSentence(row.problem.message)}</span> : <span className="csv-status-ok">Ready</span>}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

/**
 * The preview: how many rows will be imported and which have errors (by kind, with their rows),
 * the first rows as they will be imported, and rows with errors further down the file.
 */
export function CsvImportPreviewView({ preview }: { preview: CsvImportPreview }) {
  const shownRows = new Set(preview.rows.map((r) => r.row));
  const laterErrors = preview.errorRows.filter((r) => !shownRows.has(r.row));
  const left = preview.total - preview.valid - preview.errors;
  return (
    <div className="csv-preview" data-testid="csv-preview">
      <p className={preview.errors ? 'csv-summary csv-summary-errors' : 'csv-summary'} role="status">
        {countOf(preview.valid, 'measurement')} of {countOf(preview.total, 'row')} ready to import
        {preview.errors ? `; ${countOf(preview.errors, 'row has an error', 'rows have errors')}` : ''}
        {left ? `; ${countOf(left, 'row holds', 'rows hold')} no measurement` : ''}.
      </p>
      <CsvProblems problems={preview.problems} />
      <h3 className="section-title">First rows as they will be imported</h3>
      <PreviewTable rows={preview.rows} caption="The first rows of the file as they will be imported" testId="csv-preview-table" />
      {laterErrors.length > 0 && (
        <>
          <h3 className="section-title">Rows with errors further down{preview.errors > preview.errorRows.length ? ` (the first ${preview.errorRows.length})` : ''}</h3>
          <PreviewTable rows={laterErrors} caption="Rows with errors further down the file" testId="csv-error-rows" />
        </>
      )}
    </div>
  );
}
