/**
 * Looking rather than reading, in the real renderer (headless Chromium) on real notebooks: the
 * map of sites (markers labelled with names and counts, framed across the antimeridian, sites
 * without coordinates beside it, a marker chosen by mouse or keyboard narrows the sample list),
 * a site's measurements over time (one chart per quantity and unit, legends, notes on what was
 * left out and on mixed units), and a sample's values highlighted against its site's history.
 */
import assert from 'node:assert/strict';
import path = require('node:path');
import { test } from 'node:test';
import type { Locator, Page } from 'playwright-core';
import { writeDemoNotebook } from '../main/fieldbook/demo-notebook';
import { browserHarness } from './helpers/browser';
import { tempDir, testEngine } from './helpers/fixtures';
import { appears, expectSampleCodes, sampleRow, waitFor } from './helpers/page';
import { surveyDocument } from './helpers/survey-document';

const harness = browserHarness();

/** The centre of a marker's dot, in page pixels. */
async function dotCentre(marker: Locator): Promise<{ x: number; y: number }> {
  const box = (await marker.locator('.map-marker-dot').boundingBox())!;
  return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
}

/** How many pixels of each chart's canvas uPlot painted (0: a blank canvas). */
async function paintedPixels(panel: Locator): Promise<number[]> {
  // Runs in the page (the tests compile without the DOM's types).
  type Canvas = { width: number; height: number; getContext(kind: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: ArrayLike<number> } } };
  return panel.locator('canvas').evaluateAll((canvases) =>
    (canvases as unknown as Canvas[]).map((c) => {
      const data = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
      let painted = 0;
      for (let i = 3; i < data.length; i += 4) if (data[i]! > 0) painted += 1;
      return painted;
    }),
  );
}

/** The window itself never scrolls (its panes do): what the pane shows stays inside it. */
async function assertWindowFits(page: Page): Promise<void> {
  const [pageHeight, windowHeight] = (await page.evaluate('[document.documentElement.scrollHeight, window.innerHeight]')) as [number, number];
  assert.ok(pageHeight <= windowHeight, `the page is ${pageHeight}px high in a ${windowHeight}px window`);
}

async function panelNamed(page: Page, scope: Locator, name: string): Promise<Locator> {
  const panel = scope.getByRole('region', { name, exact: true });
  await appears(page, panel);
  return panel;
}

test('the map of sites: markers with names and counts across the antimeridian, sites without coordinates beside it; a marker narrows the list', async () => {
  const h = await harness();
  const doc = await h.openDocument(surveyDocument(tempDir()), 'map');
  const { page } = doc;
  await expectSampleCodes(page, ['L-1', 'L-2', 'L-3', 'L-4', 'L-5', 'L-6', 'L-7', 'L-8', 'R-1', 'A-1', 'S-1', 'B-1', 'M-1', 'X-1']);
  // The pane's tabs from the keyboard: arrow keys move between them.
  await page.getByRole('tab', { name: 'Sample' }).focus();
  await page.keyboard.press('ArrowRight');
  assert.equal(await page.getByRole('tab', { name: 'Map' }).getAttribute('aria-selected'), 'true');
  assert.equal(await page.evaluate('document.activeElement.textContent.trim()'), 'Map');
  const map = page.getByTestId('site-map');
  const markers = map.getByTestId('map-marker');
  await appears(page, markers);
  assert.deepEqual(await markers.evaluateAll((all) => all.map((m) => m.getAttribute('aria-label'))), [
    'Apia harbour, 1 sample',
    'Lagoon, 8 samples',
    "Nuku'alofa, 0 samples",
    'Rabi reef, 1 sample',
    'Suva, 1 sample',
  ]);
  assert.deepEqual(
    (await markers.allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim()),
    ['Apia harbour 1', 'Lagoon 8', "Nuku'alofa 0", 'Rabi reef 1', 'Suva 1'],
  );
  // Lagoon (179.98° E) and Rabi reef (179.98° W) are neighbours on the map, not its two ends;
  // every marker lies inside the map; Samoa is east of Fiji.
  const canvas = (await map.getByTestId('site-map-canvas').boundingBox())!;
  const at = Object.fromEntries(
    await Promise.all(
      ['Lagoon', 'Rabi reef', 'Suva', 'Apia harbour'].map(async (name) => [name, await dotCentre(map.getByRole('button', { name: new RegExp(`^${name},`) }))] as const),
    ),
  );
  assert.ok(Math.abs(at['Lagoon']!.x - at['Rabi reef']!.x) < canvas.width / 20, `Lagoon ${at['Lagoon']!.x} and Rabi reef ${at['Rabi reef']!.x} are close`);
  assert.ok(at['Suva']!.x < at['Lagoon']!.x && at['Lagoon']!.x < at['Apia harbour']!.x, 'west to east: Suva, Lagoon, Apia');
  for (const marker of await markers.all()) {
    const { x, y } = await dotCentre(marker);
    assert.ok(x > canvas.x && x < canvas.x + canvas.width && y > canvas.y && y < canvas.y + canvas.height, `${await marker.getAttribute('aria-label')} is on the map`);
  }
  assert.ok(await map.locator('svg path.map-land').getAttribute('d'), 'the land outline is drawn');
  const unplaced = map.getByTestId('sites-without-coordinates');
  assert.match(
    await unplaced.innerText(),
    /^No coordinates[\s\S]*Boat ramp[\s\S]*Half known[\s\S]*Old mooring\s*out of range when upgraded: see Data issues[\s\S]*1 sample without a site/i,
  );

  // Clicking a marker narrows the list to that site; the marker shows it is the one chosen.
  await map.getByRole('button', { name: 'Lagoon, 8 samples' }).click();
  await expectSampleCodes(page, ['L-1', 'L-2', 'L-3', 'L-4', 'L-5', 'L-6', 'L-7', 'L-8']);
  assert.equal(await page.locator('#sample-pane-title').innerText(), 'Lagoon');
  assert.equal(await map.getByRole('button', { name: 'Lagoon, 8 samples' }).getAttribute('aria-current'), 'true');
  assert.equal(
    await page
      .getByTestId('site-list')
      .getByRole('button', { name: /^Lagoon/ })
      .getAttribute('aria-current'),
    'true',
  );
  await assertWindowFits(page);
  await doc.screenshot();

  // From the keyboard: Tab reaches the markers, Enter chooses one; a site without coordinates is chosen beside the map.
  await map.getByRole('button', { name: 'Lagoon, 8 samples' }).focus();
  await page.keyboard.press('Shift+Tab');
  assert.equal(await page.evaluate("document.activeElement.getAttribute('aria-label')"), 'Apia harbour, 1 sample');
  await page.keyboard.press('Enter');
  await expectSampleCodes(page, ['A-1']);
  await unplaced.getByRole('button', { name: /^Old mooring/ }).click();
  await expectSampleCodes(page, ['M-1']);
  // Choosing a sample shows it (the Sample tab).
  await (await sampleRow(page, 'M-1')).click();
  await page.getByTestId('sample-detail').getByRole('heading', { name: 'M-1' }).waitFor();
  assert.equal(await page.getByRole('tab', { name: 'Sample' }).getAttribute('aria-selected'), 'true');
  await doc.close();
});

test('a notebook whose sites lie within a kilometre: the map keeps a sensible minimum zoom; a site out of range is listed without coordinates', async () => {
  const h = await harness();
  const file = path.join(tempDir(), 'glacier.fieldbook');
  writeDemoNotebook(file, testEngine());
  const doc = await h.openDocument(file, 'map-glacier');
  const { page } = doc;
  await page.getByRole('tab', { name: 'Map' }).click();
  const map = page.getByTestId('site-map');
  await appears(page, map.getByTestId('map-marker'));
  assert.deepEqual(await map.getByTestId('map-marker').evaluateAll((all) => all.map((m) => m.getAttribute('aria-label'))), [
    'Meltwater stream, 2 samples',
    'Moraine crest, 3 samples',
    'Outwash plain, 2 samples',
  ]);
  assert.match(await map.getByTestId('sites-without-coordinates').innerText(), /Erratic boulder\s*out of range when upgraded/);
  assert.match(await map.locator('figcaption').innerText(), /grid every 0\.5° \(56 km north–south\)/);
  // Three sites within a pixel or two: every label is shown, none on top of another.
  const labels = await Promise.all((await map.locator('.map-marker-label').all()).map(async (l) => (await l.boundingBox())!));
  for (const [i, a] of labels.entries()) {
    for (const b of labels.slice(i + 1)) {
      assert.ok(a.x + a.width <= b.x || b.x + b.width <= a.x || a.y + a.height <= b.y || b.y + b.height <= a.y, 'labels do not overlap');
    }
  }
  await doc.screenshot();
  // Zooming in (from the keyboard) pulls the sites apart; Fit goes back to the whole frame.
  const spread = async () => {
    const xs = await Promise.all((await map.getByTestId('map-marker').all()).map(async (m) => (await dotCentre(m)).x));
    return Math.max(...xs) - Math.min(...xs);
  };
  const before = await spread();
  for (let i = 0; i < 6; i += 1) {
    await map.getByRole('button', { name: 'Zoom in' }).focus();
    await page.keyboard.press('Enter');
  }
  await waitFor(async () => (await spread()) > before * 30, 'the sites to spread apart', page);
  assert.equal(await map.getByTestId('map-marker').count(), 3, 'all three still in view');
  await doc.screenshot('zoomed');
  await map.getByRole('button', { name: 'Fit' }).click();
  await waitFor(async () => Math.abs((await spread()) - before) < 1, 'the whole frame again', page);
  await doc.close();
});

test("a site's measurements over time: one chart per quantity and unit, legends with units, notes on what was left out", async () => {
  const h = await harness();
  const doc = await h.openDocument(surveyDocument(tempDir()), 'site-chart');
  const { page } = doc;
  await page
    .getByTestId('site-list')
    .getByRole('button', { name: /^Lagoon/ })
    .click();
  await expectSampleCodes(page, ['L-1', 'L-2', 'L-3', 'L-4', 'L-5', 'L-6', 'L-7', 'L-8']);
  await page.getByRole('tab', { name: 'Site chart' }).click();
  const chart = page.getByTestId('site-chart');
  await appears(page, chart.getByTestId('series-panel'));
  assert.equal(await chart.getByRole('heading', { level: 2 }).innerText(), 'Lagoon: measurements over time');
  assert.deepEqual(await chart.getByTestId('series-panel').evaluateAll((all) => all.map((p) => p.getAttribute('aria-label'))), [
    'depth (cm)',
    'depth (m)',
    'pH',
    'temperature (C)',
  ]);
  assert.match(await chart.getByTestId('chart-units-note').innerText(), /depth is recorded in cm and m: each unit is charted on its own/);

  const temperature = await panelNamed(page, chart, 'temperature (C)');
  await waitFor(async () => (await temperature.locator('canvas').count()) === 1, 'the temperature chart', page);
  assert.match(await temperature.locator('.u-legend').innerText(), /temperature \(C\)/, 'the legend names the quantity and its unit');
  await waitFor(async () => ((await paintedPixels(temperature))[0] ?? 0) > 500, 'uPlot to paint the canvas', page);
  assert.equal(await temperature.getByTestId('chart-left-out').innerText(), '3 values left out: 3 from samples without a usable date.');
  const ph = await panelNamed(page, chart, 'pH');
  assert.equal(await ph.getByTestId('chart-left-out').innerText(), '2 values left out: 1 without a value, 1 from a sample without a usable date.');
  assert.match(await ph.locator('.u-legend').innerText(), /pH/);
  assert.equal(await (await panelNamed(page, chart, 'depth (m)')).getByTestId('chart-left-out').count(), 0, 'nothing left out of depth in m');
  await assertWindowFits(page);
  await doc.screenshot();

  // The values as a table, from the keyboard.
  await temperature.locator('summary').focus();
  await page.keyboard.press('Enter');
  // The table is drawn once the details open (a render after the key).
  await temperature.locator('.series-table tbody tr').first().waitFor();
  assert.deepEqual(
    (await temperature.locator('.series-table tbody tr').allInnerTexts()).map((t) => t.split(/\s+/).join(' ')),
    ['2022-03-01 L-1 27.5', '2022-09-14 L-2 26.1', '2023-05-10T09:30:00Z L-4 28.4', '2023-11-20 L-6 27.9', '2024-04-02 L-8 26.8'],
  );
  await assertWindowFits(page);
  await doc.screenshot('values');
  await doc.close();
});

test("a sample's measurements against its site's history, its own points highlighted; a sample without a usable date says so", async () => {
  const h = await harness();
  const doc = await h.openDocument(surveyDocument(tempDir()), 'sample-chart');
  const { page } = doc;
  await (await sampleRow(page, 'L-6')).click();
  const detail = page.getByTestId('sample-detail');
  const charts = detail.getByTestId('sample-chart');
  await appears(page, charts.getByTestId('series-panel'));
  assert.match(await charts.innerText(), /L-6 \(highlighted\) among the samples at Lagoon/);
  assert.deepEqual(await charts.getByTestId('series-panel').evaluateAll((all) => all.map((p) => p.getAttribute('aria-label'))), [
    'depth (cm)',
    'depth (m)',
    'pH',
    'temperature (C)',
  ]);
  const temperature = await panelNamed(page, charts, 'temperature (C)');
  await waitFor(async () => (await temperature.locator('.u-legend').count()) === 1, 'the legend', page);
  assert.match(await temperature.locator('.u-legend').innerText(), /temperature \(C\)[\s\S]*L-6/, 'the legend names the quantity and the highlighted sample');
  await waitFor(async () => ((await paintedPixels(temperature))[0] ?? 0) > 500, 'uPlot to paint the canvas', page);
  await temperature.locator('summary').click();
  // The table is drawn once the details open (a render after the click).
  await temperature.locator('.series-table tbody tr[aria-current="true"]').first().waitFor();
  assert.deepEqual(
    (await temperature.locator('.series-table tbody tr[aria-current="true"]').allInnerTexts()).map((t) => t.split(/\s+/).join(' ')),
    ['2023-11-20 L-6 27.9'],
  );
  await detail.getByRole('heading', { name: 'Over time' }).evaluate((heading) => heading.scrollIntoView({ block: 'start' }));
  await assertWindowFits(page);
  await doc.screenshot();

  await (await sampleRow(page, 'L-7')).click();
  await detail.getByRole('heading', { name: 'L-7' }).waitFor();
  await appears(page, detail.getByTestId('series-panel'));
  assert.match(await detail.getByTestId('sample-chart').innerText(), /L-7 has no usable date, so its own values are not on the chart/);
  assert.equal(await detail.getByTestId('series-panel').count(), 1, 'temperature only, the kind L-7 has');
  await doc.close();
});
