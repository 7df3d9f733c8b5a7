import type { CsvField, CsvImportFile, CsvMapping } from '../ipc/contract';
import { numberOfCell, restoredCell } from './csv-cells';
import type { CsvRecord } from './csv-read';

/**
 * Header names each field is recognised by, compared after folding case, accents and
 * punctuation ("Sample code", "sample_code", "SAMPLE-CODE" are one name). The first list entry of
 * each is the name Fieldbook's own export writes (CSV_EXPORT_HEADER), so an exported file maps
 * itself.
 */
const NAMES: Record<CsvField, string[]> = {
  code: ['code', 'sample code', 'sample', 'sample id', 'sample no', 'sample number', 'sample name', 'specimen', 'probe'],
  site: ['site', 'site name', 'location', 'station', 'locality', 'place'],
  quantity: ['quantity', 'kind', 'parameter', 'measurement', 'measure', 'variable', 'analyte', 'property', 'determinand', 'quantity measured'],
  value: ['value', 'result', 'reading', 'measured value', 'amount', 'val'],
  unit: ['unit', 'units', 'uom', 'unit of measure'],
  instrument: ['instrument', 'device', 'sensor', 'equipment', 'meter', 'instrument name'],
};

const FIELDS = Object.keys(NAMES) as CsvField[];

/** How many first values of a column the mapping step shows. */
const EXAMPLES = 3;

export function foldHeader(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

/** The field a header names exactly (after folding), or null. */
function fieldNamed(header: string): CsvField | null {
  const folded = foldHeader(header);
  return FIELDS.find((field) => NAMES[field].includes(folded)) ?? null;
}

/**
 * Whether the first row names the columns: none of its cells is a number, and either one of them
 * is a name a field is known by, or a column holds numbers below a first cell that is text.
 */
export function guessHeader(records: readonly CsvRecord[]): boolean {
  const [first, ...rest] = records;
  if (!first) return false;
  const cells = first.cells.map(restoredCell);
  if (cells.some((cell) => cell.trim() !== '' && !Number.isNaN(numberOfCell(cell, true) ?? Number.NaN))) return false;
  if (cells.some((cell) => fieldNamed(cell) !== null)) return true;
  const below = rest.slice(0, 20);
  return cells.some(
    (cell, i) =>
      cell.trim() !== '' &&
      below.length > 0 &&
      below.every((r) => {
        const n = numberOfCell(restoredCell(r.cells[i] ?? ''), true);
        return n === null || !Number.isNaN(n);
      }) &&
      below.some((r) => (r.cells[i] ?? '').trim() !== ''),
  );
}

/**
 * The mapping the headers suggest: each field to the first column named exactly as it is known,
 * else to the first column whose name contains one of its names ("pH value" → value); a column
 * serves one field. Without a header, nothing is guessed.
 */
export function guessMapping(headers: readonly string[], hasHeader: boolean): CsvMapping {
  const mapping: CsvMapping = {};
  if (!hasHeader) return mapping;
  const taken = new Set<number>();
  const assign = (field: CsvField, matches: (folded: string) => boolean) => {
    if (mapping[field] !== undefined) return;
    const index = headers.findIndex((h, i) => !taken.has(i) && matches(foldHeader(h)));
    if (index < 0) return;
    mapping[field] = index;
    taken.add(index);
  };
  for (const field of FIELDS) assign(field, (folded) => NAMES[field].includes(folded));
  for (const field of FIELDS) assign(field, (folded) => NAMES[field].some((name) => name.length > 3 && ` ${folded} `.includes(` ${name} `)));
  return mapping;
}

/** How many columns the widest row has. */
export function columnCount(records: readonly CsvRecord[]): number {
  let widest = 0;
  for (const record of records) widest = Math.max(widest, record.cells.length);
  return widest;
}

/** The columns the mapping step shows: each one's cell in the first row and in the next few. */
export function describeColumns(records: readonly CsvRecord[]): CsvImportFile['columns'] {
  const [first, ...rest] = records;
  const next = rest.slice(0, EXAMPLES);
  return Array.from({ length: columnCount(records) }, (_, index) => ({
    index,
    first: restoredCell(first?.cells[index] ?? '').trim(),
    examples: next.map((r) => restoredCell(r.cells[index] ?? '')),
  }));
}
