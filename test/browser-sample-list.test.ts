/**
 * The sample list of the real renderer in headless Chromium, on a real notebook of 1,234
 * samples: true counts (not "200+"), natural order of codes and site names (S-2 before S-10),
 * sorting by every column both ways, filtering by tag and collection dates, sites with their
 * coordinates, and a Document info dialog that never lets the window behind show through.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { browserHarness } from './helpers/browser';
import { documentAt, rows, tempDir, withDb } from './helpers/fixtures';
import { SECOND, appears, sampleRows, shownCodes, waitFor } from './helpers/page';
import type { Page } from 'playwright-core';

const harness = browserHarness();
const SAMPLES = 1234;

/**
 * A head notebook: sites "Site 1", "Site 2", "Site 10" and "Site 100" (the last without
 * coordinates), samples S-1 … S-1234 spread over them, every third tagged "water", dated across
 * 2021 (every seventh without a date), descriptions "core 1" … with numbers out of text order.
 */
function surveyDocument(): string {
  const file = documentAt(6, tempDir(), 'survey 2021.fieldbook');
  withDb(file, (db) => {
    db.exec(`
      INSERT INTO sites (id, name, lat, lon) VALUES (1, 'Site 1', 46.51234, 8.12), (2, 'Site 2', -33.9, -70.25), (3, 'Site 10', 0.5, 179.9), (4, 'Site 100', NULL, NULL);
      INSERT INTO tags (id, name) VALUES (1, 'water'), (2, 'Sediment');`);
    const insert = db.prepare('INSERT INTO samples (id, site_id, code, collected_on, description) VALUES (?, ?, ?, ?, ?)');
    const tag = db.prepare('INSERT INTO sample_tags (sample_id, tag_id) VALUES (?, ?)');
    db.transaction(() => {
      for (let i = 1; i <= SAMPLES; i++) {
        const day = new Date(Date.UTC(2021, 0, 1 + ((i * 37) % 365))).toISOString().slice(0, 10);
        insert.run(i, 1 + (i % 4), `S-${i}`, i % 7 === 0 ? null : day, `core ${(i * 7) % 100}`);
        if (i % 3 === 0) tag.run(i, 1);
        if (i % 5 === 0) tag.run(i, 2);
      }
    })();
  });
  return file;
}

async function summary(page: Page): Promise<string> {
  return page.locator('.pane-heading .muted').innerText();
}

async function waitForSummary(page: Page, pattern: RegExp): Promise<void> {
  await waitFor(async () => pattern.test(await summary(page)), `the count to read ${pattern}`, page);
}

test('the sample list counts every sample, orders naturally, sorts by every column and filters by tag and dates', async () => {
  const h = await harness();
  const file = surveyDocument();
  const doc = await h.openDocument(file, 'sample-list');
  const { page } = doc;
  await appears(page, sampleRows(page).first());
  // The true count, though the list shows 200 at a time.
  await waitForSummary(page, /^1,234 samples$/);
  assert.equal(await sampleRows(page).count(), 200);

  // Natural order: S-1, S-2, ... S-9, S-10, not S-1, S-10, S-100, S-1000.
  assert.deepEqual((await shownCodes(page)).slice(0, 12), ['S-1', 'S-2', 'S-3', 'S-4', 'S-5', 'S-6', 'S-7', 'S-8', 'S-9', 'S-10', 'S-11', 'S-12']);
  const sites = page.getByTestId('site-list');
  const siteNames = (await sites.locator('.site-name').allInnerTexts()).slice(1);
  assert.deepEqual(siteNames, ['Site 1', 'Site 2', 'Site 10', 'Site 100']);
  // Coordinates as people write them; a site without them shows none.
  assert.deepEqual(await sites.getByTestId('site-coordinates').allInnerTexts(), ['46.51234° N, 8.12° E', '33.9° S, 70.25° W', '0.5° N, 179.9° E']);
  await doc.screenshot();

  // Descending: S-1234 first.
  await page.getByTestId('sort-direction').click();
  await waitFor(async () => (await shownCodes(page))[0] === 'S-1234', 'S-1234 first', page);
  assert.deepEqual((await shownCodes(page)).slice(0, 3), ['S-1234', 'S-1233', 'S-1232']);

  // By date, ascending: the earliest day first, samples without a date last.
  await page.getByTestId('sort-column').selectOption('collectedOn');
  const byDate = rows(file, 'SELECT code FROM samples ORDER BY collected_on IS NULL, collected_on, CAST(substr(code, 3) AS INTEGER) LIMIT 3').map((r) => r.code);
  await waitFor(async () => (await shownCodes(page)).slice(0, 3).join() === byDate.join(), `dates ascending: ${byDate.join(', ')}`, page);

  // By site: Site 1's samples, then Site 2's ... (natural order of names), each by code.
  await page.getByTestId('sort-column').selectOption('site');
  await waitFor(async () => (await sampleRows(page).first().innerText()).includes('Site 1'), 'Site 1 first', page);
  assert.deepEqual((await shownCodes(page)).slice(0, 3), ['S-4', 'S-8', 'S-12']);
  // Descending: Site 100 first.
  await page.getByTestId('sort-direction').click();
  await waitFor(async () => (await shownCodes(page))[0] === 'S-1231', 'Site 100, the highest code first', page);

  // By description, naturally: "core 0" … "core 2" before "core 10".
  await page.getByTestId('sort-column').selectOption('description');
  await waitFor(async () => /core 0\b/.test(await sampleRows(page).first().innerText()), '"core 0" first', page);
  const descriptions = (await sampleRows(page).locator('.sample-description').allInnerTexts()).map((d) => Number(d.replace('core ', '')));
  assert.deepEqual(
    descriptions,
    [...descriptions].sort((a, b) => a - b),
    'descriptions in the order of their numbers',
  );

  // By tags: samples with tags first ("Sediment" and "water", case aside), then those without.
  await page.getByTestId('sort-column').selectOption('tags');
  await waitFor(async () => (await sampleRows(page).first().innerText()).includes('Sediment'), 'tagged samples first', page);

  // Filter by tag: the count is that of the matches.
  await page.getByTestId('tag-filter').selectOption('water');
  const water = rows(file, 'SELECT count(*) AS n FROM sample_tags WHERE tag_id = 1')[0]!.n as number;
  await waitForSummary(page, new RegExp(`^${water.toLocaleString('en-US')} matches$`));
  // ... and by dates: March 2021.
  await page.getByTestId('collected-from').fill('2021-03-01');
  await page.getByTestId('collected-to').fill('2021-03-31');
  const march = rows(
    file,
    "SELECT count(*) AS n FROM samples s JOIN sample_tags st ON st.sample_id = s.id AND st.tag_id = 1 WHERE collected_on BETWEEN '2021-03-01' AND '2021-03-31'",
  )[0]!.n as number;
  assert.ok(march > 0 && march < water);
  await waitForSummary(page, new RegExp(`^${march} match(es)?$`));
  assert.equal(await sampleRows(page).count(), march);
  for (const text of await sampleRows(page).allInnerTexts()) assert.match(text, /water/);
  await doc.screenshot('filtered');
  await page.getByRole('button', { name: 'Clear filters' }).click();
  await waitForSummary(page, /^1,234 samples$/);
  await doc.close();
});

test('the Document info dialog is opaque from the moment it opens', async () => {
  const h = await harness();
  const doc = await h.openDocument(surveyDocument(), 'info-opaque');
  const { page } = doc;
  await appears(page, sampleRows(page).first());
  // Clicked and watched inside the page, every frame for half a second from the click: the
  // opening animation moves the dialog but never fades it, so nothing behind shows through.
  const seen = (await page.evaluate(`new Promise((resolve) => {
    const seen = [];
    [...document.querySelectorAll('button')].find((b) => b.textContent.includes('Document info')).click();
    const started = performance.now();
    const sample = () => {
      const dialog = document.querySelector('[data-testid="info-panel"]');
      if (dialog) seen.push(getComputedStyle(dialog).opacity + ' ' + getComputedStyle(dialog).backgroundColor);
      if (performance.now() - started < 500) requestAnimationFrame(sample); else resolve(seen);
    };
    requestAnimationFrame(sample);
  })`)) as string[];
  assert.ok(seen.length >= 5, `the dialog was sampled while it opened (${seen.length} frames)`);
  assert.deepEqual([...new Set(seen)], ['1 rgb(255, 255, 255)']);
  await page
    .getByTestId('info-panel')
    .getByTestId('applied-migrations')
    .waitFor({ timeout: 5 * SECOND });
  await doc.screenshot();
  await doc.close();
});
