import Papa = require('papaparse');
import type { DocumentHandle } from '@fieldbook/engine';
import { FieldbookError } from '@fieldbook/engine';
import type { CsvExportOptions, SampleQuery } from '../ipc/contract';
import type { TextSink } from './atomic-file';
import { neutralisedCell, numberCell } from './csv-cells';
import { SAMPLE_COLUMNS, sampleSelection, tagsOf, type SampleRow } from './sample-queries';

type Connection = DocumentHandle['db'];

/** The header row of an exported file; csv-columns.ts recognises each name when the file is imported again. */
export const CSV_EXPORT_HEADER = ['Site', 'Code', 'Collected on', 'Description', 'Tags', 'Quantity', 'Value', 'Unit', 'Instrument'] as const;

/** Samples read and written per step; between steps the process answers other requests. */
export const EXPORT_CHUNK = 500;

/** How tags are joined in the Tags cell. */
const TAG_SEPARATOR = '; ';

interface MeasurementRow {
  sampleId: number;
  kind: string;
  value: number | string | null;
  unit: string | null;
  instrument: string | null;
}

export interface WriteSamplesCsvOptions extends CsvExportOptions {
  signal?: AbortSignal;
  /** After each step: samples written so far, of how many. */
  onProgress?: (written: number, total: number) => void;
}

/**
 * Writes the samples `query` picks — the sample list's own selection and order (sampleSelection),
 * all of them, `limit` and `offset` ignored — as CSV: a header row (CSV_EXPORT_HEADER), then one
 * row per measurement with its sample's columns, and one row with empty measurement columns for
 * a sample without any. Quoting is RFC 4180 (papaparse's `unparse`: CRLF between rows, a cell
 * quoted when it holds the delimiter, a quote, a line break or spaces at either end), so quotes,
 * commas, line breaks, NULs and any Unicode come back as they were. Text a spreadsheet would run
 * as a formula gets a leading `'` (neutralisedCell); values are numbers and never do, so `-7.5`
 * stays a number. With `;` values have decimal commas, as Excel writes and reads them where the
 * comma is the decimal separator. With `bom` the file starts with U+FEFF.
 *
 * Reads on `db` in steps of EXPORT_CHUNK samples, yielding to the event loop between steps, so
 * the main process stays responsive for a notebook of any size; run it between edits
 * (DocumentSession.betweenEdits) so all steps see the same notebook.
 * @throws FieldbookError ABORTED when `signal` is aborted (checked between steps)
 */
export async function writeSamplesCsv(db: Connection, query: SampleQuery, sink: TextSink, options: WriteSamplesCsvOptions): Promise<{ samples: number; rows: number }> {
  const { from, filter, order, parameters } = sampleSelection(query);
  const picked = db.prepare(`SELECT s.id FROM ${from} ${filter} ORDER BY ${order}`).pluck();
  const ids = (Object.keys(parameters).length ? picked.all(parameters) : picked.all()) as number[];
  const samplesOf = db.prepare(`SELECT ${SAMPLE_COLUMNS} FROM samples s LEFT JOIN sites site ON site.id = s.site_id WHERE s.id IN (SELECT value FROM json_each(?))`);
  const measurementsOf = db.prepare(`SELECT m.sample_id AS sampleId, m.kind, m.value, m.unit, i.name AS instrument
    FROM measurements m LEFT JOIN instruments i ON i.id = m.instrument_id WHERE m.sample_id IN (SELECT value FROM json_each(?)) ORDER BY m.sample_id, m.id`);
  const decimalComma = options.delimiter === ';';
  const unparse = (data: string[][]) => Papa.unparse(data, { delimiter: options.delimiter, newline: '\r\n', header: false, quotes: false, escapeFormulae: false });
  const text = (value: string | null) => (value === null ? '' : neutralisedCell(value));
  const valueCell = (value: MeasurementRow['value']) => (value === null ? '' : typeof value === 'number' ? numberCell(value, decimalComma) : neutralisedCell(value));

  await sink.write(`${options.bom ? '\ufeff' : ''}${unparse([[...CSV_EXPORT_HEADER]])}\r\n`);
  let rows = 0;
  for (let start = 0; start < ids.length; start += EXPORT_CHUNK) {
    if (options.signal?.aborted) throw new FieldbookError('ABORTED', 'the export was cancelled; nothing was written');
    const chunk = ids.slice(start, start + EXPORT_CHUNK);
    const json = JSON.stringify(chunk);
    const samples = new Map((samplesOf.all(json) as SampleRow[]).map((s) => [s.id, s]));
    const measurements = new Map<number, MeasurementRow[]>();
    for (const m of measurementsOf.all(json) as MeasurementRow[]) {
      const list = measurements.get(m.sampleId);
      if (list) list.push(m);
      else measurements.set(m.sampleId, [m]);
    }
    const data: string[][] = [];
    for (const id of chunk) {
      const sample = samples.get(id);
      if (!sample) continue;
      const own = [text(sample.siteName), text(sample.code), text(sample.collectedOn), text(sample.description), text(tagsOf(sample).join(TAG_SEPARATOR))];
      const list = measurements.get(id) ?? [];
      if (list.length === 0) data.push([...own, '', '', '', '']);
      for (const m of list) data.push([...own, text(m.kind), valueCell(m.value), text(m.unit), text(m.instrument)]);
    }
    if (data.length) await sink.write(`${unparse(data)}\r\n`);
    rows += data.length;
    options.onProgress?.(Math.min(start + EXPORT_CHUNK, ids.length), ids.length);
    await new Promise((resolve) => setImmediate(resolve));
  }
  return { samples: ids.length, rows };
}
