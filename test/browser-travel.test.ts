/**
 * Notebooks from a newer Fieldbook in the app (issue 13): the app (head 6) opens version-7
 * notebooks of each class, made by Fieldbook's engine with a test-only 7th migration
 * (helpers/app-versions.ts): additive opens for editing, readable opens read-only with the copy
 * for this version on offer, breaking shows only that offer; the copy opens in a new window and
 * the notebook itself is never written.
 */
import assert from 'node:assert/strict';
import path = require('node:path');
import { test } from 'node:test';
import { upgradeDocument, type Compatibility } from '@fieldbook/engine';
import { browserHarness } from './helpers/browser';
import { SECOND, appears, expectSampleCodes, sampleRows, waitFor } from './helpers/page';
import { engineAt } from './helpers/app-versions';
import { fileState, rows, tempDir, withDb } from './helpers/fixtures';
import { richHeadDocument } from './helpers/rich-document';

const harness = browserHarness();

async function seventh(dir: string, cls: Compatibility): Promise<string> {
  const file = richHeadDocument(dir, `survey 2031 (${cls}).fieldbook`);
  await upgradeDocument(file, { engine: await engineAt(6, cls), backup: false });
  withDb(file, (db) => {
    if (cls === 'additive') db.exec("INSERT INTO field_notes (sample_id, body) VALUES (10, 'windy'); UPDATE samples SET weather = 'rain' WHERE id = 11");
    if (cls === 'readable') db.exec("INSERT INTO calibrations (instrument_id, calibrated_on) VALUES (1, '2031-01-01'), (2, '2031-02-01')");
    if (cls === 'breaking') db.exec("INSERT INTO site_visits (site_id, visited_on) VALUES (1, '2031-03-03')");
  });
  return file;
}

test('an additive notebook from a newer Fieldbook opens for editing and keeps what this version does not know', async () => {
  const h = await harness();
  const file = await seventh(tempDir(), 'additive');
  const doc = await h.openDocument(file, 'newer-additive');
  const { page } = doc;
  const banner = page.getByTestId('banner-newer-additive');
  await appears(page, banner);
  assert.match(await banner.innerText(), /newer Fieldbook .*This version can edit it; what the newer version added is kept/s);
  await expectSampleCodes(page, ['R-1', 'R-2', 'G-1', 'Q-1', 'loose']);
  assert.equal(await page.getByRole('button', { name: 'Add sample' }).isDisabled(), false, 'Add sample is enabled');
  await doc.screenshot();
  await doc.close();
  assert.deepEqual(rows(file, 'SELECT body FROM field_notes'), [{ body: 'windy' }]);
  assert.deepEqual(rows(file, 'SELECT weather FROM samples WHERE id = 11'), [{ weather: 'rain' }]);
});

test('a readable notebook opens read-only, and a copy for this version opens in a new window with its loss report', async () => {
  const h = await harness();
  const dir = tempDir();
  const file = await seventh(dir, 'readable');
  const before = fileState(file);
  const doc = await h.openDocument(file, 'newer-readable');
  const { page } = doc;
  const banner = page.getByTestId('banner-readonly');
  await appears(page, banner);
  assert.match(await banner.innerText(), /can read it but must not change it, so it is open read-only/);
  await expectSampleCodes(page, ['R-1', 'R-2', 'G-1', 'Q-1', 'loose']);
  assert.ok(await page.getByRole('button', { name: 'Add sample' }).isDisabled(), 'Add sample is disabled');
  await doc.screenshot();
  const destination = path.join(dir, 'survey for 2.0.fieldbook');
  h.bridge.answerNextSaveDialog(destination);
  await banner.getByRole('button', { name: 'Open a Copy for This Version' }).click();
  const result = page.getByTestId('copy-for-version-result');
  await appears(page, result, 30 * SECOND);
  assert.match(await result.innerText(), /Opened “survey for 2\.0\.fieldbook” in a new window[\s\S]*version 6[\s\S]*Calibrations\s+all of it\s+2/i);
  await doc.screenshot('copied');
  await waitFor(async () => h.bridge.openedWindows.some((w) => w.file === destination), 'the copy opens in a window', page);
  const copy = await h.openWindow(h.bridge.openedWindows.find((w) => w.file === destination)!.window, 'newer-readable-copy');
  await expectSampleCodes(copy.page, ['R-1', 'R-2', 'G-1', 'Q-1', 'loose']);
  assert.equal(await copy.page.getByTestId('banner-readonly').count(), 0, "the copy is this version's own, for editing");
  await copy.screenshot();
  await copy.close();
  await doc.close();
  assert.deepEqual(fileState(file), before, 'the notebook is byte for byte as it was');
});

test('a breaking notebook is not shown as it is: the window offers the copy for this version', async () => {
  const h = await harness();
  const dir = tempDir();
  const file = await seventh(dir, 'breaking');
  const before = fileState(file);
  const doc = await h.openDocument(file, 'newer-breaking');
  const { page } = doc;
  const view = page.getByTestId('newer-notebook');
  await appears(page, view);
  assert.match(await view.innerText(), /is from a newer Fieldbook[\s\S]*changed its layout in ways this version cannot read/);
  assert.equal(await sampleRows(page).count(), 0, 'no views of data this version cannot read');
  await doc.screenshot();
  const destination = path.join(dir, 'survey for 2.0.fieldbook');
  h.bridge.answerNextSaveDialog(destination);
  await view.getByRole('button', { name: 'Open a Copy for This Version' }).click();
  const result = page.getByTestId('copy-for-version-result');
  await appears(page, result, 30 * SECOND);
  assert.match(await result.innerText(), /Site visits\s+all of it\s+1/i);
  await doc.screenshot('copied');
  await doc.close();
  assert.deepEqual(fileState(file), before, 'the notebook is byte for byte as it was');
  assert.deepEqual(rows(destination, 'SELECT unit FROM measurements WHERE id = 101'), [{ unit: 'm' }]);
});
