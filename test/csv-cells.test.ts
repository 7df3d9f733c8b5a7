/**
 * The cells of Fieldbook's CSV files (main/app/csv-cells.ts) and the guesses made from a file's
 * first rows (main/app/csv-columns.ts): formula neutralising both ways, numbers with a decimal
 * point or comma, the header row and the mapping.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { neutralisedCell, numberCell, numberOfCell, restoredCell } from '../main/app/csv-cells';
import { guessHeader, guessMapping } from '../main/app/csv-columns';
import { CSV_EXPORT_HEADER } from '../main/app/csv-export';

test('formula-like text gets one leading quote, and reading it back gives the text exactly', () => {
  const cases: [string, string][] = [
    ['=SUM(A1)', "'=SUM(A1)"],
    ['+44', "'+44"],
    ['-dash', "'-dash"],
    ['@user', "'@user"],
    ['\ttab', "'\ttab"],
    ['\rcr', "'\rcr"],
    ["'=x", "''=x"],
    ["''+y", "'''+y"],
    ["'plain", "'plain"],
    ['plain', 'plain'],
    ['a=b', 'a=b'],
    ['', ''],
  ];
  for (const [text, cell] of cases) {
    assert.equal(neutralisedCell(text), cell, JSON.stringify(text));
    assert.equal(restoredCell(cell), text, JSON.stringify(cell));
  }
});

test('numbers are written to read back as the same double, with a decimal point or comma', () => {
  for (const n of [0.1 + 0.2, -7.5, 1e-7, 5e300, 2 ** -1074, 123456789.123, -0.000001, 12]) {
    assert.equal(numberOfCell(numberCell(n, false), false), n);
    assert.equal(numberOfCell(numberCell(n, true), true), n);
  }
  const read: [string, boolean, number | null][] = [
    [' 7 ', false, 7],
    ['3,25', true, 3.25],
    ['-1,5e3', true, -1500],
    ['1e3', false, 1000],
    ['', false, null],
    ['  ', true, null],
    ['+.5', false, 0.5],
  ];
  for (const [cell, comma, n] of read) assert.equal(numberOfCell(cell, comma), n, cell);
  for (const [cell, comma] of [
    ['3,25', false],
    ['1,234.5', true],
    ['1,2,3', true],
    ['n/a', true],
    ['12 m', false],
    ['0x10', false],
    ['Infinity', false],
  ] as const) {
    assert.ok(Number.isNaN(numberOfCell(cell, comma)), cell);
  }
});

test('a header row is recognised by its names or by numbers below it; the mapping follows the names', () => {
  const record = (row: number, cells: string[]) => ({ row, cells });
  assert.equal(guessHeader([record(1, [...CSV_EXPORT_HEADER]), record(2, ['River', 'R-1', '', '', '', 'pH', '7', '', ''])]), true);
  assert.equal(guessHeader([record(1, ['Probe', 'Wert']), record(2, ['R-1', '7,5'])]), true);
  assert.equal(guessHeader([record(1, ['R-1', 'pH', '7.5']), record(2, ['R-2', 'pH', '7'])]), false, 'a first row with a number holds data');
  assert.equal(guessHeader([record(1, ['R-1', 'pH']), record(2, ['R-2', 'depth'])]), false, 'text over text: no sign of a header');
  assert.deepEqual(guessMapping(['Sample code', 'SITE', 'pH value', 'Units', 'Measured by'], true), { code: 0, site: 1, unit: 3, value: 2 });
  assert.deepEqual(guessMapping(['code', 'quantity'], false), {}, 'nothing is guessed without a header');
});
