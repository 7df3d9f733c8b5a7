/**
 * CSV in and out in the real renderer (headless Chromium) on real notebooks: the list's
 * current selection exported with "Export CSV…" and shown with "Show file"; measurements imported
 * through the column mapping and the preview (errors per row, the import button held back until
 * they are skipped), with the result, the list reloaded, and one undo taking it all back.
 */
import assert from 'node:assert/strict';
import fs = require('node:fs');
import path = require('node:path');
import { test } from 'node:test';
import { browserHarness } from './helpers/browser';
import { readCsv } from './helpers/csv-app';
import { rows, tempDir, withDb } from './helpers/fixtures';
import { appears, expectLabel, expectSampleCodes, sampleRow, waitFor } from './helpers/page';
import { richHeadDocument } from './helpers/rich-document';

const harness = browserHarness();

test('Export CSV writes what the list shows, and Show file shows it', async () => {
  const h = await harness();
  const dir = tempDir();
  const file = richHeadDocument(dir);
  const doc = await h.openDocument(file, 'csv-export');
  const { page } = doc;
  await expectSampleCodes(page, ['R-1', 'R-2', 'G-1', 'Q-1', 'loose']);
  await page.getByTestId('tag-filter').selectOption('sediment');
  await expectSampleCodes(page, ['R-1', 'G-1', 'loose']);

  await page.getByRole('button', { name: 'Export CSV…' }).click();
  const dialog = page.getByTestId('csv-export-dialog');
  await dialog.waitFor();
  assert.match(await dialog.getByTestId('csv-export-scope').innerText(), /The 3 samples in the list tagged sediment, in the list’s order/);
  await dialog.getByLabel(/Semicolon, decimal comma/).check();
  const destination = path.join(dir, 'sediment.csv');
  h.bridge.answerNextSaveDialog(destination);
  await dialog.getByRole('button', { name: 'Export', exact: true }).click();
  const result = dialog.getByTestId('csv-export-result');
  await appears(page, result);
  assert.match(await result.innerText(), /Exported “sediment\.csv”[\s\S]*3 samples in 4 rows/);
  await doc.screenshot('result');
  await result.getByTestId('show-export').click();
  await waitFor(async () => h.bridge.shownInFolder.includes(destination), 'the file to be shown', page);
  const { bom, rows: written } = readCsv(destination);
  assert.equal(bom, true);
  assert.deepEqual(
    written.slice(1).map((r) => [r[1], r[5], r[6]]),
    [
      ['G-1', 'pH', ''],
      ['loose', 'pH', '6,9'],
      ['R-1', 'pH', '7,1'],
      ['R-1', 'depth', '2,5'],
    ],
  );
  await dialog.getByRole('button', { name: 'Close' }).click();
  await doc.close();
});

test('Import measurements: mapping, preview with errors per row, skip them, import, undo', async () => {
  const h = await harness();
  const dir = tempDir();
  const file = richHeadDocument(dir);
  withDb(file, (db) => db.exec("INSERT INTO samples (id, site_id, code) VALUES (15, 2, 'R-1')"));
  const csv = path.join(dir, 'lab results.csv');
  fs.writeFileSync(
    csv,
    '\ufeffStation;Probe;Parameter;Ergebnis;Einheit;Gerät\r\n' +
      'River;R-1;conductivity;1,25;mS/cm;Field meter\r\nRiver;R-2;conductivity;0,98;mS/cm;Field meter\r\nRidge;R-1;conductivity;2,4;mS/cm;Field meter\r\n' +
      'River;R-9;conductivity;1,1;mS/cm;\r\nRidge;G-1;conductivity;n. b.;mS/cm;\r\nQuarry;Q-1;;3;;\r\n',
  );
  const doc = await h.openDocument(file, 'csv-import');
  const { page } = doc;
  await expectSampleCodes(page, ['R-1', 'R-1', 'R-2', 'G-1', 'Q-1', 'loose']);

  h.bridge.answerNextOpenDialog([csv]);
  await page.getByRole('button', { name: 'Import measurements…' }).click();
  const dialog = page.getByTestId('csv-import-dialog');
  const mapping = dialog.getByTestId('csv-mapping');
  await mapping.waitFor();
  assert.match(await dialog.locator('.modal-description').innerText(), /semicolon-separated, UTF-8 with byte order mark, 7 rows/);
  // Guessed from the headers: the site (Station), the code (Probe), the quantity (Parameter); Ergebnis, Einheit and Gerät are not known names.
  assert.equal(await mapping.getByTestId('map-site').inputValue(), '0');
  assert.equal(await mapping.getByTestId('map-code').inputValue(), '1');
  assert.equal(await mapping.getByTestId('map-quantity').inputValue(), '2');
  assert.equal(await mapping.getByTestId('map-value').inputValue(), '');
  await mapping.getByTestId('map-value').selectOption({ label: 'D · Ergebnis (1,25, 0,98, 2,4, …)' });
  await mapping.getByTestId('map-unit').selectOption('4');
  await mapping.getByTestId('map-instrument').selectOption('5');
  const preview = dialog.getByTestId('csv-preview');
  // Each choice asks main for a new preview; the one for the last choice (the instrument) names the meter.
  const table = preview.getByTestId('csv-preview-table');
  await waitFor(async () => /Field meter/.test(await table.innerText().catch(() => '')), 'the preview with every column mapped', page);
  assert.match(await preview.innerText(), /3 measurements of 6 rows ready to import; 3 rows have errors/);
  assert.match(await table.innerText(), /2\s+R-1\s+River\s+conductivity\s+1\.25\s+mS\/cm\s+Field meter\s+Ready/);
  assert.match(await table.innerText(), /there is no sample “R-9” at River/i);
  assert.match(await table.innerText(), /the value “n\. b\.” is not a number/i);
  assert.match(await table.innerText(), /no quantity/i);
  const importButton = dialog.getByTestId('csv-import-button');
  assert.equal(await importButton.isDisabled(), true, 'nothing is imported while rows have errors');
  await doc.screenshot('preview');

  await dialog.getByTestId('skip-errors').check();
  assert.equal(await importButton.innerText(), 'Import 3 measurements');
  await importButton.click();
  const result = dialog.getByTestId('csv-import-result');
  await appears(page, result);
  assert.match(await result.innerText(), /Imported 3 measurements from “lab results\.csv”[\s\S]*3 rows were left out/);
  assert.match(await result.innerText(), /Undo “Import 3 measurements from lab results\.csv”/);
  await doc.screenshot('result');
  assert.deepEqual(rows(file, "SELECT sample_id, value FROM measurements WHERE kind = 'conductivity' ORDER BY id"), [
    { sample_id: 10, value: 1.25 },
    { sample_id: 11, value: 0.98 },
    { sample_id: 15, value: 2.4 },
  ]);
  await dialog.getByRole('button', { name: 'Close' }).click();
  await dialog.waitFor({ state: 'detached' });

  // The window shows it: the sample's detail has the new measurement; one undo takes the whole import back.
  await (await sampleRow(page, 'R-2')).click();
  await page.getByText('0.98').waitFor();
  const undo = page.getByTestId('undo');
  await expectLabel(undo, 'Undo Import 3 measurements from lab results.csv', page);
  await undo.click();
  await waitFor(async () => rows(file, "SELECT count(*) AS n FROM measurements WHERE kind = 'conductivity'")[0]!.n === 0, 'the import to be undone', page);
  assert.deepEqual(rows(file, "SELECT count(*) AS n FROM instruments WHERE name = 'Field meter'"), [{ n: 0 }]);
  await doc.close();
});
