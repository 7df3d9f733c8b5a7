/**
 * The start screen (issue 11, item 1): the real renderer in headless Chromium against the real
 * app core and handlers (the loopback bridge of helpers/browser.ts), on real files. "Open sample
 * notebook" writes the demo notebook (a Fieldbook 1.0 survey) into the documents folder under a
 * new name and opens it through the normal open path, where it is upgraded with a backup and
 * the banner; Open and New go through the app's dialogs. Screenshots: start-screen.png,
 * sample-notebook-upgraded.png.
 */
import assert from 'node:assert/strict';
import fs = require('node:fs');
import path = require('node:path');
import { test } from 'node:test';
import type { Page } from 'playwright-core';
import { browserHarness } from './helpers/browser';
import { richHeadDocument } from './helpers/rich-document';
import { rows, sha256File, tempDir } from './helpers/fixtures';

const harness = browserHarness();
const SECOND = 1000;

async function until(condition: () => boolean, what: string, page: Page, timeout = 15 * SECOND): Promise<void> {
  const deadline = Date.now() + timeout;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; the page says:\n${await page.locator('body').innerText()}`);
    await page.waitForTimeout(50);
  }
}

test('Open sample notebook writes a 1.0 notebook into the documents folder and opens it upgraded, with its backup; again, under a new name', async () => {
  const h = await harness();
  const start = await h.openStartScreen('start-screen');
  const { page } = start;
  const screen = page.getByTestId('start-screen');
  await screen.waitFor({ timeout: 10 * SECOND });
  for (const name of ['Open notebook…', 'New notebook…', 'Open sample notebook']) assert.ok(await screen.getByRole('button', { name }).isEnabled(), `${name} is offered`);
  assert.match(await page.getByTestId('start-sample').innerText(), /Fieldbook 1\.0[\s\S]*Documents folder[\s\S]*backup/);
  await start.screenshot();

  const before = h.bridge.openedWindows.length;
  await screen.getByRole('button', { name: 'Open sample notebook' }).click();
  await until(() => h.bridge.openedWindows.length === before + 1, 'the sample notebook to be opened in a new window', page);
  const first = h.bridge.openedWindows.at(-1)!;
  assert.equal(first.file, path.join(h.samplesFolder, 'Glacier survey 2018 (sample).fieldbook'));
  assert.match(await page.getByTestId('start-opened').innerText(), /Opened “Glacier survey 2018 \(sample\)\.fieldbook” in a new window/);
  assert.ok(!(await page.locator('body').innerText()).includes(h.samplesFolder), 'the start screen names no folder');

  const sample = await h.openWindow(first.window, 'sample-notebook-upgraded');
  const banner = sample.page.getByTestId('banner-upgraded');
  await banner.waitFor({ timeout: 30 * SECOND });
  assert.match(await banner.innerText(), /Upgraded from version 1 to 6/);
  for (const site of ['Moraine crest', 'Meltwater stream', 'Outwash plain', 'Erratic boulder'])
    await sample.page
      .getByTestId('site-list')
      .getByRole('button', { name: new RegExp(`^${site}`) })
      .waitFor();
  assert.deepEqual(rows(first.file, 'PRAGMA user_version'), [{ user_version: 6 }]);
  assert.ok(Number(rows(first.file, 'SELECT count(*) AS n FROM data_issues')[0]!.n) >= 6, 'the awkward values are kept as data issues');
  const backups = fs.readdirSync(h.backupDir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile() && e.name.startsWith('Glacier survey 2018 (sample).v1.'));
  assert.equal(backups.length, 1, 'the 1.0 notebook was backed up before its upgrade');
  await sample.screenshot();
  await sample.close();

  // The first sample is the user's now (upgraded, maybe edited): a second click never replaces it.
  const upgraded = sha256File(first.file);
  await screen.getByRole('button', { name: 'Open sample notebook' }).click();
  await until(() => h.bridge.openedWindows.length === before + 2, 'a second sample notebook', page);
  const second = h.bridge.openedWindows.at(-1)!;
  assert.equal(second.file, path.join(h.samplesFolder, 'Glacier survey 2018 (sample 2).fieldbook'));
  assert.equal(sha256File(first.file), upgraded, 'the first sample is untouched');
  await until(() => h.bridge.core.findOpen(second.file) !== null, 'the second sample to be opened', page);
  h.bridge.core.closeWindow(second.window);
  await start.close();
});

test('the start screen opens notebooks chosen in the open dialog, creates new ones, and does nothing when a dialog is cancelled', async () => {
  const h = await harness();
  const dir = tempDir();
  const existing = richHeadDocument(dir, 'moss survey.fieldbook');
  const start = await h.openStartScreen('start-screen-open-new');
  const { page } = start;
  const screen = page.getByTestId('start-screen');
  await screen.waitFor({ timeout: 10 * SECOND });

  const before = h.bridge.openedWindows.length;
  h.bridge.answerNextOpenDialog([]);
  await screen.getByRole('button', { name: 'Open notebook…' }).click();
  await screen.getByRole('button', { name: 'Open notebook…' }).and(page.locator(':enabled')).waitFor();
  h.bridge.answerNextSaveDialog(null);
  await screen.getByRole('button', { name: 'New notebook…' }).click();
  await screen.getByRole('button', { name: 'New notebook…' }).and(page.locator(':enabled')).waitFor();
  assert.equal(h.bridge.openedWindows.length, before, 'cancelled dialogs open nothing');
  assert.equal(await page.getByTestId('start-opened').count(), 0);

  h.bridge.answerNextOpenDialog([existing]);
  await screen.getByRole('button', { name: 'Open notebook…' }).click();
  await until(() => h.bridge.openedWindows.length === before + 1, 'the chosen notebook to open', page);
  assert.equal(h.bridge.openedWindows.at(-1)!.file, existing);
  await page.getByTestId('start-opened').getByText('Opened “moss survey.fieldbook” in a new window').waitFor();

  const created = path.join(dir, 'season 2027.fieldbook');
  h.bridge.answerNextSaveDialog(created);
  await screen.getByRole('button', { name: 'New notebook…' }).click();
  await until(() => h.bridge.openedWindows.length === before + 2, 'the new notebook to open', page);
  assert.equal(h.bridge.openedWindows.at(-1)!.file, created);
  assert.deepEqual(rows(created, 'PRAGMA user_version'), [{ user_version: 6 }], 'a new notebook is current');

  // A name that exists now (the dialog's replace question is for the user's own choice; New never replaces).
  h.bridge.answerNextSaveDialog(existing);
  const bytes = sha256File(existing);
  await screen.getByRole('button', { name: 'New notebook…' }).click();
  const alert = screen.getByRole('alert');
  await alert.waitFor({ timeout: 10 * SECOND });
  assert.match(await alert.innerText(), /could not be created[\s\S]*moss survey\.fieldbook already exists[\s\S]*EXISTS/i);
  assert.ok(!(await alert.innerText()).includes(dir), 'the message names the file, not its folder');
  assert.equal(sha256File(existing), bytes);
  for (const opened of h.bridge.openedWindows.slice(before)) h.bridge.core.closeWindow(opened.window);
  await start.close();
});
