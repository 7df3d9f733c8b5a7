import type { DocumentHandle } from '@fieldbook/engine';
import type { CsvImportPreview, CsvImportSettings, CsvPreviewRow, CsvProblemCount, CsvRowProblem } from '../ipc/contract';
import { numberOfCell, restoredCell } from './csv-cells';
import type { CsvRecord } from './csv-read';

type Connection = DocumentHandle['db'];

/** A row read against the notebook: the measurement it makes (`sampleId` set), or its problem. */
export interface ResolvedRow extends CsvPreviewRow {
  sampleId: number | null;
}

/** Longest quantity, unit or instrument name a row may give (a longer one is almost surely the wrong column). */
const MAX_TEXT = 1000;
const PREVIEW_ROWS = 20;
const ERROR_ROWS = 50;
const ROWS_PER_PROBLEM = 5;

interface SampleKey {
  id: number;
  siteId: number | null;
  siteName: string | null;
}

/** The notebook's samples by code and sites by name (case aside), to find the sample each row names. */
export class SampleDirectory {
  private readonly byCode = new Map<string, SampleKey[]>();
  private readonly sitesByName = new Map<string, number[]>();

  constructor(db: Connection) {
    for (const s of db
      .prepare('SELECT s.id, s.code, s.site_id AS siteId, site.name AS siteName FROM samples s LEFT JOIN sites site ON site.id = s.site_id ORDER BY s.id')
      .all() as (SampleKey & { code: string })[]) {
      const key = s.code.trim();
      const list = this.byCode.get(key);
      if (list) list.push(s);
      else this.byCode.set(key, [s]);
    }
    for (const site of db.prepare('SELECT id, name FROM sites ORDER BY id').all() as { id: number; name: string }[]) {
      const key = site.name.trim().toLowerCase();
      this.sitesByName.set(key, [...(this.sitesByName.get(key) ?? []), site.id]);
    }
  }

  /** The sample a code (and, if given, a site name) picks, or why there is none or more than one. */
  find(code: string, site: string | null, siteMapped: boolean): SampleKey | { kind: CsvRowProblem; message: string } {
    const withCode = this.byCode.get(code) ?? [];
    if (site) {
      const sites = this.sitesByName.get(site.toLowerCase());
      if (!sites) return { kind: 'unknown-site', message: `no site is called “${site}”` };
      const here = withCode.filter((s) => s.siteId !== null && sites.includes(s.siteId));
      if (here.length === 1) return here[0]!;
      if (here.length === 0) return { kind: 'unknown-sample', message: `there is no sample “${code}” at ${site}` };
      return { kind: 'ambiguous-code', message: `${here.length} sites called “${site}” have a sample “${code}”` };
    }
    if (withCode.length === 1) return withCode[0]!;
    if (withCode.length === 0) return { kind: 'unknown-sample', message: `there is no sample “${code}”` };
    const names = [...new Set(withCode.map((s) => s.siteName ?? 'no site'))].join(', ');
    return {
      kind: 'ambiguous-code',
      message: `“${code}” is a sample code at ${withCode.length} sites (${names}): ${siteMapped ? 'give the site in the row' : 'choose the column that names the site'}`,
    };
  }
}

/**
 * Reads each data row as a measurement with `settings.mapping`: the sample its code (and site)
 * names in the notebook, its quantity (required), value (a number, empty for none; a decimal
 * comma with `decimalComma`), unit and instrument (empty for none). Cells are trimmed and a
 * leading `'` before formula-like text (written by Fieldbook's export, and by spreadsheets) is
 * dropped. A row whose quantity, value, unit and instrument are all empty holds no measurement
 * (`no-measurement`, no error: the export writes one for a sample without any). Any other row
 * gets the first problem found, in this order: code, site, sample, quantity, value, lengths.
 */
export function resolveRows(records: readonly CsvRecord[], settings: CsvImportSettings, directory: SampleDirectory): ResolvedRow[] {
  const { mapping, decimalComma } = settings;
  const cell = (record: CsvRecord, column: number | null | undefined): string => (column === null || column === undefined ? '' : restoredCell(record.cells[column] ?? '').trim());
  const siteMapped = mapping.site !== null && mapping.site !== undefined;
  return records.map((record) => {
    const code = cell(record, mapping.code);
    const site = cell(record, mapping.site) || null;
    const quantity = cell(record, mapping.quantity);
    const valueText = cell(record, mapping.value);
    const unit = cell(record, mapping.unit) || null;
    const instrument = cell(record, mapping.instrument) || null;
    const value = numberOfCell(valueText, decimalComma);
    const row: ResolvedRow = {
      row: record.row,
      code,
      site,
      quantity,
      value: value !== null && Number.isNaN(value) ? null : value,
      unit,
      instrument,
      problem: null,
      sampleId: null,
    };
    if (!quantity && !valueText && !unit && !instrument)
      return { ...row, problem: { kind: 'no-measurement', message: 'no measurement in this row (quantity, value, unit and instrument are empty)' } };
    if (!code) return { ...row, problem: { kind: 'no-code', message: 'no sample code' } };
    const found = directory.find(code, site, siteMapped);
    if ('kind' in found) return { ...row, problem: found };
    row.sampleId = found.id;
    row.site = found.siteName;
    if (!quantity) return { ...row, problem: { kind: 'no-quantity', message: 'no quantity (pH, depth, …)' } };
    if (value !== null && Number.isNaN(value)) {
      const hint = !decimalComma && /^[+-]?\d+,\d+$/.test(valueText) ? ' (to read decimal commas, tick “Decimal comma”)' : '';
      return { ...row, problem: { kind: 'not-a-number', message: `the value “${valueText}” is not a number${hint}` } };
    }
    if (quantity.length > MAX_TEXT || (unit?.length ?? 0) > MAX_TEXT || (instrument?.length ?? 0) > MAX_TEXT) {
      return { ...row, problem: { kind: 'too-long', message: `a quantity, unit or instrument longer than ${MAX_TEXT} characters (is the right column chosen?)` } };
    }
    return row;
  });
}

/** Whether a row's problem keeps the import from being made (every problem but `no-measurement`). */
export function isError(row: CsvPreviewRow): boolean {
  return row.problem !== null && row.problem.kind !== 'no-measurement';
}

/** The problems of the rows, by kind: how many, the first few rows, and the first one's words. */
export function countProblems(rows: readonly ResolvedRow[]): CsvProblemCount[] {
  const counts = new Map<CsvRowProblem, CsvProblemCount>();
  for (const row of rows) {
    if (!row.problem) continue;
    const known = counts.get(row.problem.kind);
    if (!known) counts.set(row.problem.kind, { kind: row.problem.kind, count: 1, rows: [row.row], example: row.problem.message });
    else {
      known.count += 1;
      if (known.rows.length < ROWS_PER_PROBLEM) known.rows.push(row.row);
    }
  }
  return [...counts.values()].sort((a, b) => b.count - a.count);
}

/** What the preview shows: the first rows as they will be imported, rows with errors, and the counts. */
export function previewOf(rows: readonly ResolvedRow[]): CsvImportPreview {
  const view = ({ sampleId: _sampleId, ...shown }: ResolvedRow): CsvPreviewRow => shown;
  return {
    rows: rows.slice(0, PREVIEW_ROWS).map(view),
    errorRows: rows.filter(isError).slice(0, ERROR_ROWS).map(view),
    total: rows.length,
    valid: rows.filter((r) => !r.problem).length,
    errors: rows.filter(isError).length,
    problems: countProblems(rows),
  };
}
