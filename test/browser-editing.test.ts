/**
 * Everyday editing in the real renderer (headless Chromium) on real notebooks: sites added,
 * edited and deleted with their samples; a sample deleted after a confirmation naming what goes
 * with it; measurements added, edited and deleted; every edit undone and redone from the toolbar
 * and the keyboard; refusals said at the field; shortcuts for new sample and delete.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { browserHarness } from './helpers/browser';
import { rows, tempDir } from './helpers/fixtures';
import { SECOND, appears, expectLabel, expectSampleCodes, sampleRow, waitFor } from './helpers/page';
import { richHeadDocument } from './helpers/rich-document';

const harness = browserHarness();

test('sites are added, edited and deleted with their samples; every edit can be undone and redone', async () => {
  const h = await harness();
  const file = richHeadDocument(tempDir());
  const doc = await h.openDocument(file, 'edit-sites');
  const { page } = doc;
  await expectSampleCodes(page, ['R-1', 'R-2', 'G-1', 'Q-1', 'loose']);
  const sites = page.getByTestId('site-list');

  await page.getByRole('button', { name: 'Add site' }).click();
  let form = page.getByTestId('site-form');
  await form.getByLabel('Name').fill('Moor 2');
  await form.getByLabel('Latitude (°)').fill('95');
  await form.getByLabel('Longitude (°)').fill('8,5');
  await form.getByRole('button', { name: 'Save' }).click();
  // The notebook refuses a latitude beyond 90: said at that field, in words.
  const refusal = form.getByTestId('form-error');
  await refusal.waitFor();
  assert.match(await refusal.innerText(), /latitude is between -90 and 90/);
  assert.equal(await form.getByLabel('Latitude (°)').getAttribute('aria-invalid'), 'true');
  await doc.screenshot('refused');
  await form.getByLabel('Latitude (°)').fill('47.25');
  await form.getByRole('button', { name: 'Save' }).click();
  await form.waitFor({ state: 'detached' });
  await sites.locator('.site-name', { hasText: 'Moor 2' }).waitFor();
  assert.match(await sites.innerText(), /47\.25° N, 8\.5° E/);
  assert.deepEqual(rows(file, "SELECT name, lat, lon FROM sites WHERE name = 'Moor 2'"), [{ name: 'Moor 2', lat: 47.25, lon: 8.5 }]);

  // Rename River.
  await sites.getByRole('button', { name: 'Edit site River' }).click();
  form = page.getByTestId('site-form');
  await form.getByLabel('Name').fill('River bank');
  await form.getByRole('button', { name: 'Save' }).click();
  await form.waitFor({ state: 'detached' });
  await sites.locator('.site-name', { hasText: 'River bank' }).waitFor();

  // Delete it: the confirmation counts what goes with it.
  await sites.getByRole('button', { name: 'Edit site River bank' }).click();
  await page.getByTestId('site-form').getByRole('button', { name: 'Delete site…' }).click();
  const confirm = page.getByTestId('confirm-delete');
  const counts = confirm.getByTestId('deletion-counts');
  await counts.waitFor();
  assert.match(await counts.innerText(), /2 samples, 3 measurements, 2 tags and 1 attachment/);
  await doc.screenshot('confirm');
  await confirm.getByRole('button', { name: 'Delete', exact: true }).click();
  await confirm.waitFor({ state: 'detached' });
  await expectSampleCodes(page, ['G-1', 'Q-1', 'loose']);
  assert.deepEqual(rows(file, 'SELECT count(*) AS n FROM samples WHERE site_id = 1'), [{ n: 0 }]);
  assert.match(await page.getByTestId('saved-toast').innerText(), /Deleted site River bank/);

  // Undo (toolbar): River bank and its samples are back; undo again: River is its old name; redo.
  const undoButton = page.getByTestId('undo');
  await expectLabel(undoButton, 'Undo Delete site River bank', page);
  await undoButton.click();
  await expectSampleCodes(page, ['R-1', 'R-2', 'G-1', 'Q-1', 'loose']);
  assert.deepEqual(rows(file, 'SELECT count(*) AS n FROM attachments WHERE sample_id = 10'), [{ n: 1 }], 'its photo is back too');
  await page.locator('body').press('Control+z');
  await sites.locator('.site-name', { hasText: /^River$/ }).waitFor();
  assert.deepEqual(rows(file, 'SELECT name FROM sites WHERE id = 1'), [{ name: 'River' }]);
  await page.locator('body').press('Control+y');
  await sites.locator('.site-name', { hasText: 'River bank' }).waitFor();
  await expectLabel(page.getByTestId('redo'), 'Redo Delete site River bank', page);
  await doc.screenshot();
  await doc.close();
});

test('measurements are added, edited and deleted; a sample is deleted from the keyboard and undone', async () => {
  const h = await harness();
  const file = richHeadDocument(tempDir());
  const doc = await h.openDocument(file, 'edit-measurements');
  const { page } = doc;
  await (await sampleRow(page, 'R-2')).click();
  const detail = page.getByTestId('sample-detail');
  await detail.getByText('river water').waitFor();

  await detail.getByRole('button', { name: 'Add measurement' }).click();
  const form = page.getByTestId('measurement-form');
  await form.getByLabel('Quantity').fill('conductivity');
  await form.getByLabel('Value').fill('abc');
  await form.getByRole('button', { name: 'Save' }).click();
  assert.match(await form.getByTestId('form-error').innerText(), /“abc” is not a number/);
  assert.equal(await form.getByLabel('Value').getAttribute('aria-invalid'), 'true');
  await form.getByLabel('Value').fill('0,052');
  await form.getByLabel('Unit').fill('S/m');
  await form.getByLabel('Instrument').fill('pH probe');
  await doc.screenshot('add');
  await form.getByRole('button', { name: 'Save' }).click();
  await form.waitFor({ state: 'detached' });
  const table = detail.getByTestId('measurement-table');
  await table.getByText('conductivity').waitFor();
  assert.deepEqual(
    rows(file, "SELECT m.value, m.unit, i.name FROM measurements m JOIN instruments i ON i.id = m.instrument_id WHERE kind = 'conductivity'"),
    [{ value: 0.052, unit: 'S/m', name: 'pH probe' }],
    'the existing instrument, not a new one',
  );

  await table.getByRole('button', { name: 'Edit temperature' }).click();
  await page.getByTestId('measurement-form').getByLabel('Value').fill('13.25');
  await page.getByTestId('measurement-form').getByRole('button', { name: 'Save' }).click();
  await table.getByText('13.25').waitFor();
  await table.getByRole('button', { name: 'Delete conductivity' }).click();
  await waitFor(async () => !(await table.innerText()).includes('conductivity'), 'the measurement to be deleted', page);
  await doc.screenshot();
  assert.deepEqual(rows(file, 'SELECT kind, value FROM measurements WHERE sample_id = 11 ORDER BY id'), [{ kind: 'temperature', value: 13.25 }]);

  // The Delete key asks to delete the selected sample; Ctrl+Z brings it back.
  await (await sampleRow(page, 'R-2')).focus();
  await page.keyboard.press('Delete');
  const confirm = page.getByTestId('confirm-delete');
  await confirm.getByTestId('deletion-counts').waitFor();
  assert.match(await confirm.innerText(), /Delete sample “R-2”\?[\s\S]*1 measurement, 1 tag and 0 attachments/);
  await confirm.getByRole('button', { name: 'Delete', exact: true }).click();
  await expectSampleCodes(page, ['R-1', 'G-1', 'Q-1', 'loose']);
  await page.keyboard.press('Control+z');
  await expectSampleCodes(page, ['R-1', 'R-2', 'G-1', 'Q-1', 'loose']);
  assert.deepEqual(rows(file, 'SELECT kind, value FROM measurements WHERE sample_id = 11 ORDER BY id'), [{ kind: 'temperature', value: 13.25 }]);
  // Three more undos: the measurement edits are undone in turn, down to the notebook as it was.
  for (const expected of [
    [
      ['temperature', 13.25],
      ['conductivity', 0.052],
    ],
    [
      ['temperature', 12.5],
      ['conductivity', 0.052],
    ],
    [['temperature', 12.5]],
  ]) {
    await page.getByTestId('undo').click();
    await waitFor(
      async () => JSON.stringify(rows(file, 'SELECT kind, value FROM measurements WHERE sample_id = 11 ORDER BY id').map((r) => [r.kind, r.value])) === JSON.stringify(expected),
      `measurements ${JSON.stringify(expected)}`,
      page,
      5 * SECOND,
    );
  }

  // Ctrl+Shift+N opens a new sample (Ctrl+N is File ▸ New notebook).
  await page.locator('body').press('Control+Shift+N');
  await appears(page, page.getByTestId('sample-form'));
  await doc.close();
});
