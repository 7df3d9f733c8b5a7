/**
 * Cells of Fieldbook's CSV files, both ways: text made safe from spreadsheet formulas, and
 * numbers written and read with a decimal point or a decimal comma.
 */

/**
 * Text a spreadsheet would run as a formula when the file is opened: a cell starting with `=`,
 * `+`, `-`, `@`, a tab or a carriage return (OWASP, "CSV Injection"). Leading `'`s are part of
 * the pattern so that text which already starts with `'` and then one of those (`'=x`) gets one
 * more, and reading it back (restoredCell) gives exactly the text that was written.
 */
const FORMULA_START = /^'*[=+\-@\t\r]/;

/** Text as written to a cell: with a leading `'` when a spreadsheet would read it as a formula. Numbers are never passed here: `-7.5` stays a number. */
export function neutralisedCell(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}

/** A cell as read: without the `'` neutralisedCell put before a formula-like text (any other `'` is kept). */
export function restoredCell(cell: string): string {
  return cell.startsWith("'") && FORMULA_START.test(cell.slice(1)) ? cell.slice(1) : cell;
}

/** A number as written: JavaScript's shortest form that reads back as the same double (`0.30000000000000004`, `1e-7`), with a decimal comma if asked. */
export function numberCell(value: number, decimalComma: boolean): string {
  const text = String(value);
  return decimalComma ? text.replace('.', ',') : text;
}

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

/**
 * The number a cell holds: decimal point, or with `decimalComma` one `,` and no `.` read as the
 * decimal point (`3,25`), an exponent allowed (`1e-3`), spaces around ignored; null for an
 * empty cell; NaN for text that is no such number (`n/a`, `1,234.5`, `12 m`).
 */
export function numberOfCell(cell: string, decimalComma: boolean): number | null {
  let text = cell.trim();
  if (text === '') return null;
  if (decimalComma && !text.includes('.') && text.split(',').length === 2) text = text.replace(',', '.');
  return NUMBER.test(text) ? Number(text) : Number.NaN;
}
