/**
 * The real renderer build in headless Chromium, against the real main-process handlers and
 * engine on real temp files (through the test-only loopback bridge: see helpers/browser.ts).
 * One test per scenario; each saves a screenshot to test-artifacts/screenshots/.
 */
import assert from 'node:assert/strict';
import fs = require('node:fs');
import path = require('node:path');
import { test } from 'node:test';
import { browserHarness } from './helpers/browser';
import { SECOND, appears, expectSampleCodes, sampleRow, sampleRows, waitFor } from './helpers/page';
import { documentAt, fileState, rows, runCli, sha256File, tempDir, withDb } from './helpers/fixtures';
import { writeLargeVersion1Document } from './helpers/large-document';
import { richHeadDocument } from './helpers/rich-document';
import { pngBytes } from './helpers/png';
import { fullDisk, fuseMount } from './helpers/file-system-traps';

const harness = browserHarness();

/**
 * A 2019 notebook at version 3 whose upgrade to 6 has steps and finds problems: a date that is
 * no date (4), a duplicate code at a site (5), coordinates out of range and an empty code (6),
 * plus a measurement value version 3 had already cleared.
 */
function outdatedDocument(dir: string): string {
  const file = documentAt(3, dir, 'lake survey 2019.fieldbook');
  withDb(file, (db) =>
    db.exec(`
    INSERT INTO sites (id, name, lat, lon) VALUES (1, 'Lakeshore', 46.51, 8.12), (2, 'Moraine', 123.0, 8.3), (3, 'Bog', NULL, NULL);
    INSERT INTO tags (id, name) VALUES (1, 'sediment'), (2, 'water');
    INSERT INTO samples (id, site_id, code, collected, notes) VALUES
      (1, 1, 'L-1', '1/2/2020', 'silt from the lake shore'),
      (2, 1, 'L-2', '2020-03-15', 'lake water, clear'),
      (3, 1, 'L-2', '15.3.2020', 'second bottle labelled L-2'),
      (4, 2, 'M-1', 'spring', 'boulder clay'),
      (5, 3, '', '2020-05-01', 'peat core, label lost'),
      (6, NULL, 'X-1', NULL, 'pebble without a site');
    INSERT INTO sample_tags (sample_id, tag_id) VALUES (1, 1), (2, 2), (3, 2), (5, 1);
    INSERT INTO measurements (id, sample_id, kind, value, unit) VALUES
      (1, 1, 'pH', 7.2, NULL), (2, 1, 'depth', 0.5, 'm'), (3, 2, 'temperature', 11.5, 'C'), (4, 4, 'pH', NULL, NULL);
    INSERT INTO data_issues (table_name, row_id, column_name, original_value, message, schema_version) VALUES
      ('measurements', 4, 'value', 'n/a', 'not a number: the value was cleared', 3);
  `),
  );
  return file;
}

/** A head document with a row in the version table from a newer app (7) and user_version 7. */
function newerDocument(dir: string): string {
  const file = richHeadDocument(dir, 'from the future.fieldbook');
  withDb(file, (db) => {
    db.exec("INSERT INTO fieldbook_migrations VALUES (7, '0007-future', 'f00d', '2031-01-01T00:00:00.000Z', '3.0.0', 12, 'migrate')");
    db.pragma('user_version = 7');
  });
  return file;
}

test('an outdated document is upgraded on open: banner, backup, and its data shown correctly', async () => {
  const h = await harness();
  const dir = tempDir();
  const file = outdatedDocument(dir);
  const doc = await h.openDocument(file, 'outdated-upgraded');
  const { page } = doc;
  const banner = page.getByTestId('banner-upgraded');
  await appears(page, banner);
  assert.match(await banner.innerText(), /Upgraded from version 3 to 6/);
  assert.deepEqual(rows(file, 'PRAGMA user_version'), [{ user_version: 6 }]);

  await banner.getByRole('button', { name: 'Show backup' }).click();
  await waitFor(async () => h.bridge.shownInFolder.length > 0, 'the backup to be shown', page);
  const backup = h.bridge.shownInFolder.at(-1)!;
  assert.ok(backup.startsWith(h.backupDir) && fs.existsSync(backup), `the backup shown exists in the backup folder: ${backup}`);
  assert.deepEqual(rows(backup, 'PRAGMA user_version'), [{ user_version: 3 }], 'the backup is the document as it was');

  const sites = page.getByTestId('site-list');
  for (const name of ['All samples', 'Lakeshore', 'Moraine', 'Bog']) await sites.getByRole('button', { name: new RegExp(`^${name}`) }).waitFor();
  await sites.getByRole('button', { name: /^Lakeshore/ }).click();
  await expectSampleCodes(page, ['L-1', 'L-2', 'L-2-2']);
  await (await sampleRow(page, 'L-1')).click();
  const detail = page.getByTestId('sample-detail');
  await detail.getByText('silt from the lake shore').waitFor();
  const detailText = await detail.innerText();
  assert.match(detailText, /L-1/);
  assert.match(detailText, /2020-02-01/, 'the free-text date 1/2/2020 became 2020-02-01');
  assert.match(await page.getByTestId('tag-list').innerText(), /sediment/);
  const table = await page.getByTestId('measurement-table').innerText();
  assert.match(table, /pH[\s\S]*7\.2/);
  assert.match(table, /depth[\s\S]*0\.5[\s\S]*m/);
  await doc.screenshot();

  await page.getByRole('button', { name: 'Document info' }).click();
  const applied = page.getByTestId('info-panel').getByTestId('applied-migrations');
  await applied.waitFor();
  const appliedText = await applied.innerText();
  for (const name of ['0001-initial', '0004-instruments-dates', '0005-attachments-unique-codes', '0006-search-checked-values']) {
    assert.match(appliedText, new RegExp(name));
  }
  await doc.screenshot('info');
  await doc.close();
});

test('a large outdated document shows upgrade progress, then the banner', async () => {
  const h = await harness();
  const file = path.join(tempDir(), 'big survey 2015.fieldbook');
  // Enough measurements that the longest step (0003) lasts well beyond a render frame even on a busy machine,
  // where React may coalesce progress updates that arrive close together.
  writeLargeVersion1Document(file, { samples: 30000, measurementsPerSample: 12 });
  const started = Date.now();
  const doc = await h.openDocument(file, 'upgrade-progress');
  const { page } = doc;
  const progress = page.getByTestId('upgrade-progress');
  const banner = page.getByTestId('banner-upgraded');
  await appears(page, progress.or(banner), 30 * SECOND);
  // While it shows, note the migration steps the progress names; screenshot the first.
  const stepsShown: string[] = [];
  const valuesShown: number[] = [];
  let progressShot = false;
  while (await progress.isVisible()) {
    const step = /\b000\d-[a-z-]+/.exec(
      await page
        .locator('body')
        .innerText()
        .catch(() => ''),
    )?.[0];
    if (step && !stepsShown.includes(step)) {
      stepsShown.push(step);
      const value = await progress.getAttribute('value').catch(() => null);
      if (value !== null) valuesShown.push(Number(value));
      progressShot ||= await doc.screenshot().then(
        () => true,
        () => false,
      );
    }
    await page.waitForTimeout(20);
  }
  await appears(page, banner, 60 * SECOND);
  const upgradeMs = Date.now() - started;
  const seen = await doc.seenTestIds();
  assert.ok(seen.includes('upgrade-progress'), `the progress was shown while upgrading (${upgradeMs} ms); test ids seen: ${seen.join(', ')}`);
  assert.ok(seen.indexOf('upgrade-progress') < seen.indexOf('banner-upgraded'), 'progress first, then the banner');
  const stepsRecorded = await doc.seenSteps();
  assert.ok(stepsShown.length > 0 || stepsRecorded.length > 0, `the progress named the migration step it was running (${upgradeMs} ms)`);
  // The bar is never empty while a step runs (the first step included).
  assert.ok(
    valuesShown.every((v) => v > 0),
    `progress values while steps ran: ${valuesShown.join(', ')}`,
  );
  assert.equal(await progress.count(), 0, 'the progress is gone once the document is ready');
  assert.match(await banner.innerText(), /Upgraded from version 1 to 6/);
  await sampleRows(page).first().waitFor();
  await doc.screenshot(progressShot ? 'done' : undefined);
  const [pageHeight, windowHeight] = (await page.evaluate('[document.documentElement.scrollHeight, window.innerHeight]')) as [number, number];
  await doc.close();
  assert.ok(
    pageHeight <= windowHeight + 1,
    'with 300 sites and 200 listed samples the window itself should not scroll (the lists ' +
      `scroll inside their panes and the toolbar stays), but the page is ${pageHeight} px tall in a ${windowHeight} px window`,
  );
});

test('a document from a newer Fieldbook opens read-only, shows its data, and is not changed', async () => {
  const h = await harness();
  const dir = tempDir();
  const file = newerDocument(dir);
  const before = fileState(file);
  const doc = await h.openDocument(file, 'newer-read-only');
  const { page } = doc;
  const banner = page.getByTestId('banner-readonly');
  await appears(page, banner);
  const bannerText = await banner.innerText();
  assert.match(bannerText, /newer/i);
  await expectSampleCodes(page, ['R-1', 'R-2', 'G-1', 'Q-1', 'loose']);
  await (await sampleRow(page, 'R-1')).click();
  await page.getByTestId('sample-detail').getByText('fine sediment from the river bank').waitFor();
  assert.ok(await page.getByRole('button', { name: 'Edit', exact: true }).isDisabled(), 'Edit is disabled');
  assert.ok(await page.getByRole('button', { name: 'Add sample' }).isDisabled(), 'Add sample is disabled');
  await doc.screenshot();
  await page.getByRole('button', { name: 'Data issues' }).click();
  const issues = page.getByTestId('issues-panel').getByTestId('data-issue-row');
  await issues.first().waitFor();
  assert.equal(await issues.count(), 5);
  const resolve = page.getByTestId('issues-panel').getByRole('button', { name: 'Mark resolved' });
  assert.equal(await resolve.count(), 5, 'each issue shows its Mark resolved control');
  for (const button of await resolve.all()) assert.ok(await button.isDisabled(), 'Mark resolved is disabled');
  await doc.close();
  assert.deepEqual(fileState(file), before, 'the file and its journal siblings are byte for byte the same');
  assert.ok(!bannerText.includes(dir), `the renderer is shown no folder paths (the IPC contract), but the banner says: ${bannerText}`);
});

test('a PNG named .fieldbook shows the error view and is left exactly as it was', async () => {
  const h = await harness();
  const dir = tempDir();
  const file = path.join(dir, 'holiday photo.fieldbook');
  fs.writeFileSync(file, pngBytes());
  const hash = sha256File(file);
  const doc = await h.openDocument(file, 'png-error');
  const { page } = doc;
  const view = page.getByTestId('error-view');
  await view.waitFor({ timeout: 20 * SECOND });
  assert.match(await view.getByTestId('error-code').innerText(), /NOT_SQLITE/);
  assert.match(await view.getByTestId('error-advice').innerText(), /not a Fieldbook notebook/);
  assert.ok(!(await view.innerText()).includes(dir), 'no folder path is shown');
  await doc.screenshot();
  await doc.close();
  assert.equal(sha256File(file), hash, 'the PNG is byte for byte the same');
  assert.deepEqual(fs.readdirSync(dir), ['holiday photo.fieldbook'], 'nothing was written beside it');
});

test('search finds samples by words of their code and description', async () => {
  const h = await harness();
  const doc = await h.openDocument(richHeadDocument(tempDir()), 'search');
  const { page } = doc;
  await expectSampleCodes(page, ['R-1', 'R-2', 'G-1', 'Q-1', 'loose']);
  const search = page.getByRole('searchbox', { name: 'Search samples' });
  assert.equal(await search.getAttribute('data-testid'), 'search-input');
  await search.fill('granite');
  await expectSampleCodes(page, ['G-1']);
  await search.fill('quar');
  await expectSampleCodes(page, ['Q-1']);
  await search.fill('nothing-like-this');
  await expectSampleCodes(page, []);
  await search.fill('river');
  await expectSampleCodes(page, ['R-1', 'R-2']);
  await doc.screenshot();
  await search.fill('');
  await expectSampleCodes(page, ['R-1', 'R-2', 'G-1', 'Q-1', 'loose']);
  await doc.close();
});

test('an edit is saved to the file and shown again when the document is reopened', async () => {
  const h = await harness();
  const file = richHeadDocument(tempDir());
  const first = await h.openDocument(file, 'edit');
  let page = first.page;
  await (await sampleRow(page, 'R-1')).click();
  await page.getByTestId('sample-detail').getByText('fine sediment from the river bank').waitFor();
  await page.getByRole('button', { name: 'Edit', exact: true }).click();
  const form = page.getByTestId('sample-form');
  await form.waitFor();
  assert.equal(await form.getByLabel('Code', { exact: true }).inputValue(), 'R-1');
  assert.equal(await form.getByLabel('Collected on', { exact: true }).getAttribute('type'), 'date');

  await form.getByLabel('Code', { exact: true }).fill('R-2');
  await form.getByRole('button', { name: 'Save' }).click();
  const formError = page.getByTestId('form-error');
  await formError.waitFor();
  assert.match(await formError.innerText(), /already has that code/);
  // Said at the field it is about, in words: no raw error code.
  assert.doesNotMatch(await form.innerText(), /INVALID_VALUE/);
  assert.equal(await formError.getAttribute('data-code'), 'INVALID_VALUE');
  const codeInput = form.getByLabel('Code', { exact: true });
  assert.equal(await codeInput.getAttribute('aria-invalid'), 'true');
  assert.equal(await codeInput.getAttribute('aria-describedby'), await formError.getAttribute('id'), "the message is the code field's description");
  await first.screenshot('refused');

  await form.getByLabel('Code', { exact: true }).fill('R-1');
  await form.getByLabel('Description', { exact: true }).fill('fine sediment, sieved again at the lab');
  await form.getByLabel('Tags', { exact: true }).fill('sediment, lab checked');
  await form.getByRole('button', { name: 'Save' }).click();
  await form.waitFor({ state: 'detached' });
  // The window says the change is saved.
  assert.match(await page.getByTestId('saved-toast').innerText(), /Saved sample R-1/);
  await page.getByTestId('sample-detail').getByText('fine sediment, sieved again at the lab').waitFor();
  assert.match(await page.getByTestId('tag-list').innerText(), /lab checked[\s\S]*sediment|sediment[\s\S]*lab checked/);
  await first.screenshot();
  await first.close();

  assert.deepEqual(rows(file, 'SELECT code, description FROM samples WHERE id = 10'), [{ code: 'R-1', description: 'fine sediment, sieved again at the lab' }]);
  assert.deepEqual(
    rows(file, 'SELECT t.name FROM sample_tags st JOIN tags t ON t.id = st.tag_id WHERE st.sample_id = 10 ORDER BY t.name').map((r) => r.name),
    ['lab checked', 'sediment'],
  );

  const second = await h.openDocument(file, 'edit-reopened');
  page = second.page;
  await (await sampleRow(page, 'R-1')).click();
  await page.getByTestId('sample-detail').getByText('fine sediment, sieved again at the lab').waitFor();
  assert.match(await page.getByTestId('tag-list').innerText(), /lab checked/);
  await page.getByRole('searchbox', { name: 'Search samples' }).fill('sieved');
  await expectSampleCodes(page, ['R-1']);
  await second.screenshot();
  await second.close();
});

test('the data issues an upgrade found are listed and can be marked resolved', async () => {
  const h = await harness();
  const file = outdatedDocument(tempDir());
  const doc = await h.openDocument(file, 'data-issues');
  const { page } = doc;
  await appears(page, page.getByTestId('banner-upgraded'));
  await page.getByRole('button', { name: 'Data issues' }).click();
  const panel = page.getByTestId('issues-panel');
  const issueRows = panel.getByTestId('data-issue-row');
  const expected = rows(file, 'SELECT table_name, row_id, column_name, original_value, message FROM data_issues ORDER BY id');
  assert.equal(expected.length, 6, 'versions 3, 4, 5 and 6 each left issues');
  await waitFor(async () => (await issueRows.count()) === expected.length, `${expected.length} issue rows`, page);
  const texts = await issueRows.allInnerTexts();
  for (const [i, issue] of expected.entries()) {
    assert.ok(texts[i]!.includes(String(issue.message)), `row ${i} shows "${issue.message}": ${texts[i]}`);
    assert.ok(texts[i]!.includes(String(issue.original_value)), `row ${i} shows the original value ${issue.original_value}: ${texts[i]}`);
  }
  assert.match(texts.join('\n'), /spring/);
  // Each says what the value belonged to as the user knows it, not a table, column and row id.
  const moraine = texts.find((t) => t.includes('123'))!;
  assert.match(moraine, /Latitude[\s\S]*site Moraine/, `the out-of-range latitude names its site: ${moraine}`);
  assert.match(
    texts.find((t) => t.includes('spring'))!,
    /Date collected[\s\S]*sample M-1 at Moraine/,
  );
  assert.match(
    texts.find((t) => t.includes('n/a'))!,
    /pH of sample M-1 at Moraine/,
  );
  for (const text of texts) assert.doesNotMatch(text, /\b(sites|samples|measurements)\.\w+|\brow \d+/, `no table names or row ids: ${text}`);
  await doc.screenshot();

  await issueRows
    .filter({ hasText: 'spring' })
    .getByRole('button', { name: /Mark resolved/ })
    .click();
  await waitFor(async () => (await issueRows.count()) === expected.length - 1, 'the resolved issue to leave the list', page);
  assert.deepEqual(rows(file, "SELECT resolved FROM data_issues WHERE original_value = 'spring'"), [{ resolved: 1 }]);
  await panel.getByLabel(/Show resolved/).check();
  await waitFor(async () => (await issueRows.count()) === expected.length, 'resolved issues to be listed again', page);
  await doc.screenshot('with-resolved');
  await doc.close();
});

test('export subset writes a current document with the chosen samples', async () => {
  const h = await harness();
  const dir = tempDir();
  const file = richHeadDocument(dir);
  const destination = path.join(dir, 'exports', 'river only.fieldbook');
  fs.mkdirSync(path.dirname(destination));
  const doc = await h.openDocument(file, 'export-subset');
  const { page } = doc;
  await expectSampleCodes(page, ['R-1', 'R-2', 'G-1', 'Q-1', 'loose']);
  await page.getByRole('button', { name: 'Export subset…' }).click();
  const dialog = page.getByTestId('export-dialog');
  await dialog.waitFor();
  await dialog.getByLabel('River').check();
  await doc.screenshot('dialog');
  h.bridge.answerNextSaveDialog(destination);
  await dialog.getByRole('button', { name: 'Export' }).click();
  const result = page.getByTestId('export-result');
  await appears(page, result, 30 * SECOND);
  const resultText = await result.innerText();
  assert.match(resultText, /river only\.fieldbook/);
  assert.match(resultText, /Samples\D*2/);
  assert.match(resultText, /Tags on samples/);
  assert.doesNotMatch(resultText, /sample_tags|data_issues/, "rows are counted in the app's words, not by table names");
  await result.getByRole('button', { name: 'Show file' }).click();
  await waitFor(async () => h.bridge.shownInFolder.at(-1) === destination, 'the exported file to be shown in its folder', page);
  await doc.screenshot();
  await doc.close();

  assert.ok(fs.existsSync(destination), 'the subset file exists');
  const info = runCli(['info', destination, '--json']);
  assert.equal(info.status, 0, info.stderr);
  assert.equal((info.json as { status: string }).status, 'current');
  assert.deepEqual(
    rows(destination, 'SELECT code FROM samples ORDER BY id').map((r) => r.code),
    ['R-1', 'R-2'],
  );
});

test('export for an older version writes a copy that version can open, and lists what it left out', async () => {
  const h = await harness();
  const dir = tempDir();
  const file = richHeadDocument(dir);
  const destination = path.join(dir, 'for version 4.fieldbook');
  const doc = await h.openDocument(file, 'export-older-version');
  const { page } = doc;
  await expectSampleCodes(page, ['R-1', 'R-2', 'G-1', 'Q-1', 'loose']);
  await page.getByRole('button', { name: 'Export for older version…' }).click();
  const dialog = page.getByTestId('export-version-dialog');
  await dialog.getByLabel('Version', { exact: true }).selectOption('4');
  h.bridge.answerNextSaveDialog(destination);
  await dialog.getByRole('button', { name: 'Export' }).click();
  const result = dialog.getByTestId('export-version-result');
  await appears(page, result, 30 * SECOND);
  const resultText = await result.innerText();
  assert.match(resultText, /for version 4\.fieldbook/);
  assert.match(resultText, /Attachments[\s\S]*2/, 'version 4 has no attachments: both are listed as left out');
  assert.doesNotMatch(resultText, /\battachments\b/, "in the app's words, not by table name");
  await result.getByRole('button', { name: 'Show file' }).click();
  await waitFor(async () => h.bridge.shownInFolder.at(-1) === destination, 'the exported copy to be shown in its folder', page);
  await doc.screenshot();
  await doc.close();

  const info = runCli(['info', destination, '--json']);
  assert.equal(info.status, 0, info.stderr);
  assert.deepEqual([(info.json as { status: string }).status, (info.json as { version: number }).version], ['outdated', 4]);
  assert.equal(rows(destination, 'SELECT count(*) AS n FROM samples')[0]!.n, 5);
});

/** A current notebook (upgraded 1.0 document) with one measurements page overwritten: only a check for damage sees it. */
function damagedCurrentDocument(dir: string): string {
  const file = path.join(dir, 'field season 2021.fieldbook');
  // Large enough that a salvage takes a second or two, so its progress can be seen.
  writeLargeVersion1Document(file, { samples: 8000, measurementsPerSample: 10 });
  const upgraded = runCli(['upgrade', file, '--no-backup', '--json']);
  assert.equal(upgraded.status, 0, upgraded.stderr);
  const pages = rows(file, "SELECT pageno FROM dbstat WHERE name = 'measurements' AND pagetype = 'leaf' ORDER BY pageno").map((r) => r.pageno as number);
  const fd = fs.openSync(file, 'r+');
  fs.writeSync(fd, Buffer.alloc(300, 0xff), 0, 300, (pages[Math.floor(pages.length / 2)]! - 1) * 4096 + 8);
  fs.closeSync(fd);
  return file;
}

test('a damaged notebook opens at once, is checked in the background, turns read-only with what is wrong, and can be salvaged', async () => {
  const h = await harness();
  const dir = tempDir();
  const file = damagedCurrentDocument(dir);
  const before = fileState(file);
  const doc = await h.openDocument(file, 'damaged-notebook');
  const { page } = doc;
  // Usable before the check ends: the samples show while it runs or right after.
  await sampleRow(page, 'S-1');
  const banner = page.getByTestId('banner-damaged');
  await banner.waitFor({ timeout: 20 * SECOND });
  assert.match(await banner.innerText(), /damaged — opened read-only/);
  assert.match(await banner.innerText(), /Tree \d+ page \d+|damaged/);
  assert.ok(!(await banner.innerText()).includes(dir), 'no folder path is shown');
  assert.ok(await page.getByRole('button', { name: 'Add sample' }).isDisabled(), 'Add sample is disabled');
  await doc.screenshot();

  await banner.getByRole('button', { name: 'Show file' }).click();
  await waitFor(async () => h.bridge.shownInFolder.includes(file), 'the file to be shown in the file manager', page);
  await banner.getByRole('button', { name: 'Open latest backup' }).click();
  await banner.getByRole('alert').waitFor();
  assert.match(await banner.getByRole('alert').innerText(), /has no backup yet/);

  const destination = path.join(dir, 'field season 2021 (salvaged).fieldbook');
  h.bridge.answerNextSaveDialog(destination);
  await banner.getByRole('button', { name: 'Salvage into a new notebook…' }).click();
  await page.getByTestId('salvage-progress').waitFor({ timeout: 5 * SECOND });
  await doc.screenshot('salvaging');
  const report = page.getByTestId('salvage-report');
  await report.waitFor({ timeout: 30 * SECOND });
  const text = await report.innerText();
  assert.match(text, /Salvaged \d+ rows into “field season 2021 \(salvaged\)\.fieldbook”/);
  assert.match(text, /measurements: \d+ rows, up to \d+ lost/);
  assert.match(text, /samples: 8000 rows/);
  await doc.screenshot('salvaged');
  await doc.close();

  assert.deepEqual(fileState(file), before, 'the damaged notebook is byte for byte as it was');
  const salvaged = runCli(['info', destination, '--check', '--json']);
  assert.equal((salvaged.json as { status: string }).status, 'current', salvaged.stdout);
});

test('an outdated notebook on a disk without room for its upgrade shows NO_SPACE with the amounts, and is left as it was', async () => {
  const h = await harness();
  const trap = fullDisk(4096, 4096);
  try {
    const file = path.join(trap.dir, 'survey 2020.fieldbook');
    writeLargeVersion1Document(file, { samples: 2000, measurementsPerSample: 4 });
    fs.rmSync(trap.filler);
    const free = fs.statfsSync(trap.dir).bavail * fs.statfsSync(trap.dir).bsize;
    fs.writeFileSync(trap.filler, Buffer.alloc(Math.max(0, free - Math.floor(fs.statSync(file).size / 2))));
    const before = fileState(file);
    const doc = await h.openDocument(file, 'no-space');
    const view = doc.page.getByTestId('error-view');
    await view.waitFor({ timeout: 20 * SECOND });
    assert.match(await view.getByTestId('error-code').innerText(), /NO_SPACE/);
    const text = await view.innerText();
    assert.match(text, /needs up to \d+(\.\d)? (KB|MB) on the file system of its folder, which has \d+(\.\d)? (KB|MB|bytes) free/);
    assert.ok(!text.includes(trap.dir), `no folder path is shown: ${text}`);
    assert.match(await view.getByTestId('error-advice').innerText(), /not enough free space/);
    await doc.screenshot();
    await doc.close();
    assert.deepEqual(fileState(file), before, 'the notebook was not changed');
    assert.deepEqual(fs.readdirSync(trap.dir).sort(), ['filler', 'survey 2020.fieldbook']);
  } finally {
    trap.release();
  }
});

test('a notebook on a FUSE mount (sshfs, a cloud drive) opens with a warning that SQLite locking there may be unreliable', async () => {
  const h = await harness();
  const drive = fuseMount();
  try {
    const file = richHeadDocument(drive.dir, 'on the stick.fieldbook');
    const doc = await h.openDocument(file, 'network-drive');
    const banner = doc.page.getByTestId('banner-storage');
    await appears(doc.page, banner);
    assert.match(await banner.innerText(), /FUSE file system.*locking is unreliable/s);
    assert.ok(!(await banner.innerText()).includes(drive.dir), 'no folder path is shown');
    await expectSampleCodes(doc.page, ['R-1', 'R-2', 'G-1', 'Q-1', 'loose']);
    await doc.screenshot();
    await doc.close();
  } finally {
    drive.release();
  }
});
