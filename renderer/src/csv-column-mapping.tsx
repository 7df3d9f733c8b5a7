import { useId } from 'react';
import type { CsvField, CsvImportFile, CsvImportSettings } from '../../main/ipc/contract';

const FIELDS: { field: CsvField; label: string; hint: string }[] = [
  { field: 'code', label: 'Sample code', hint: 'required' },
  { field: 'site', label: 'Site', hint: 'tells apart codes used at several sites' },
  { field: 'quantity', label: 'Quantity', hint: 'required: pH, depth, …' },
  { field: 'value', label: 'Value', hint: 'a number; empty for none' },
  { field: 'unit', label: 'Unit', hint: '' },
  { field: 'instrument', label: 'Instrument', hint: 'found by name, or added' },
];

const DELIMITERS: Record<CsvImportFile['delimiter'], string> = { ',': 'comma-separated', ';': 'semicolon-separated', '\t': 'tab-separated' };
const ENCODINGS: Record<CsvImportFile['encoding'], string> = {
  'utf-8': 'UTF-8',
  'utf-8-bom': 'UTF-8 with byte order mark',
  'utf-16le': 'UTF-16',
  'utf-16be': 'UTF-16 (big-endian)',
  'windows-1252': 'Windows-1252',
};

/** How the chosen file was read, in words: "comma-separated, UTF-8, 121 rows". */
export function describeFile(file: CsvImportFile): string {
  return `${DELIMITERS[file.delimiter]}, ${ENCODINGS[file.encoding]}, ${file.rows.toLocaleString()} row${file.rows === 1 ? '' : 's'}`;
}

/** A column as a choice: "B · Result (7.1, 6.9, …)". */
function columnLabel(column: CsvImportFile['columns'][number], hasHeader: boolean): string {
  const letter = columnLetter(column.index);
  const values = (hasHeader ? column.examples : [column.first, ...column.examples]).filter((v) => v.trim() !== '').slice(0, 3);
  const name = hasHeader && column.first ? ` · ${column.first}` : '';
  const shown = values.map((v) => (v.length > 16 ? `${v.slice(0, 15)}…` : v)).join(', ');
  return `${letter}${name}${shown ? ` (${shown}${values.length === 3 ? ', …' : ''})` : ''}`;
}

/** A spreadsheet's column letters: A … Z, AA, AB, … */
function columnLetter(index: number): string {
  let n = index + 1;
  let letters = '';
  while (n > 0) {
    letters = String.fromCharCode(65 + ((n - 1) % 26)) + letters;
    n = Math.floor((n - 1) / 26);
  }
  return letters;
}

/**
 * The mapping step: whether the first row names the columns, whether values use a decimal
 * comma, and which column holds each field (guessed from the headers; any can be changed).
 */
export function CsvColumnMapping({
  file,
  settings,
  onChange,
  disabled,
}: {
  file: CsvImportFile;
  settings: CsvImportSettings;
  onChange: (settings: CsvImportSettings) => void;
  disabled: boolean;
}) {
  const idPrefix = useId();
  return (
    <div className="csv-mapping" data-testid="csv-mapping">
      <div className="csv-options">
        <label className="checkbox">
          <input type="checkbox" checked={settings.hasHeader} disabled={disabled} onChange={(e) => onChange({ ...settings, hasHeader: e.target.checked })} />
          The first row names the columns
        </label>
        <label className="checkbox">
          <input type="checkbox" checked={settings.decimalComma} disabled={disabled} onChange={(e) => onChange({ ...settings, decimalComma: e.target.checked })} />
          Decimal comma (7,5)
        </label>
      </div>
      <div className="csv-mapping-grid">
        {FIELDS.map(({ field, label, hint }) => (
          <div className="field" key={field}>
            <label htmlFor={`${idPrefix}-${field}`}>
              {label} {hint && <span className="legend-hint">{hint}</span>}
            </label>
            <select
              id={`${idPrefix}-${field}`}
              data-testid={`map-${field}`}
              disabled={disabled}
              value={settings.mapping[field] ?? ''}
              onChange={(e) => onChange({ ...settings, mapping: { ...settings.mapping, [field]: e.target.value === '' ? null : Number(e.target.value) } })}
            >
              <option value="">{field === 'code' || field === 'quantity' ? 'Choose a column…' : 'None'}</option>
              {file.columns.map((column) => (
                <option key={column.index} value={column.index}>
                  {columnLabel(column, settings.hasHeader)}
                </option>
              ))}
            </select>
          </div>
        ))}
      </div>
    </div>
  );
}
