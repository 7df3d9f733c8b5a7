/**
 * Attachments in the real renderer (headless Chromium) on a real notebook: files attached from
 * main's open dialog, an image and a PDF previewed (pdf.js draws the pages under the window's
 * content security policy), a copy saved, an attachment removed and brought back with undo.
 */
import assert from 'node:assert/strict';
import fs = require('node:fs');
import path = require('node:path');
import { test } from 'node:test';
import { browserHarness } from './helpers/browser';
import { rows, tempDir } from './helpers/fixtures';
import { SECOND, sampleRow, waitFor } from './helpers/page';
import { pdfBytes } from './helpers/pdf';
import { pngBytes } from './helpers/png';
import { richHeadDocument } from './helpers/rich-document';

const harness = browserHarness();

test('files are attached, previewed (image, PDF pages, text), saved as a copy, removed and restored with undo', async () => {
  const h = await harness();
  const dir = tempDir();
  const file = richHeadDocument(tempDir());
  const photo = path.join(dir, 'outcrop.png');
  const scan = path.join(dir, 'field sheet.pdf');
  fs.writeFileSync(photo, pngBytes(64));
  fs.writeFileSync(scan, pdfBytes(3, 'River bank survey'));
  const doc = await h.openDocument(file, 'attachments');
  const { page } = doc;
  await (await sampleRow(page, 'R-2')).click();
  const detail = page.getByTestId('sample-detail');
  await detail.getByRole('heading', { name: 'R-2' }).waitFor();

  h.bridge.answerNextOpenDialog([photo, scan]);
  await detail.getByRole('button', { name: 'Attach files…' }).click();
  const list = detail.getByTestId('attachment-list');
  await list.getByRole('button', { name: 'field sheet.pdf', exact: true }).waitFor();
  assert.match(await list.innerText(), /outcrop\.png\s+image\/png · [\d.]+ KB[\s\S]*field sheet\.pdf\s+application\/pdf/);
  await page.getByTestId('saved-toast').getByText('Attached 2 files to sample R-2.').waitFor();
  assert.deepEqual(
    rows(file, 'SELECT filename FROM attachments WHERE sample_id = 11 ORDER BY id').map((r) => r.filename),
    ['outcrop.png', 'field sheet.pdf'],
  );

  // The image, drawn from the notebook's bytes.
  await list.getByRole('button', { name: 'outcrop.png', exact: true }).click();
  let preview = page.getByTestId('attachment-preview');
  const image = preview.getByTestId('attachment-image');
  await image.waitFor();
  await waitFor(
    async () =>
      (await image.evaluate((el) => {
        const img = el as unknown as { complete: boolean; naturalWidth: number };
        return img.complete ? img.naturalWidth : 0;
      })) === 64,
    'the image decoded at its size',
    page,
  );
  await preview.getByRole('button', { name: 'Close' }).click();
  await preview.waitFor({ state: 'detached' });

  // The PDF, page by page.
  await list.getByRole('button', { name: 'field sheet.pdf', exact: true }).click();
  preview = page.getByTestId('attachment-preview');
  const canvas = preview.getByTestId('pdf-page');
  await preview.getByText('Page 1 of 3').waitFor({ timeout: 20 * SECOND });
  await waitFor(async () => (await canvas.getAttribute('data-rendered-page')) === '1', 'pdf.js drew page 1', page, 20 * SECOND);
  // Pixels darker than mid-grey: the page's text (the page itself is white).
  type Canvas = { width: number; height: number; getContext(kind: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray } } };
  const inked = await canvas.evaluate((el) => {
    const c = el as unknown as Canvas;
    const pixels = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let dark = 0;
    for (let i = 0; i < pixels.length; i += 4) if (pixels[i]! < 128 && pixels[i + 3]! > 0) dark++;
    return dark;
  });
  assert.ok(inked > 500, `the page's text was drawn (${inked} dark pixels)`);
  await doc.screenshot('pdf');
  await preview.getByRole('button', { name: 'Next page' }).click();
  await preview.getByText('Page 2 of 3').waitFor();
  await waitFor(async () => (await canvas.getAttribute('data-rendered-page')) === '2', 'pdf.js drew page 2', page, 20 * SECOND);

  // Save a copy: main's save dialog, the same bytes.
  const copy = path.join(dir, 'copy.pdf');
  h.bridge.answerNextSaveDialog(copy);
  await preview.getByRole('button', { name: 'Save a copy…' }).click();
  await preview.getByText('Saved a copy as copy.pdf.').waitFor();
  assert.deepEqual(fs.readFileSync(copy), fs.readFileSync(scan));
  await preview.getByRole('button', { name: 'Close' }).click();
  await preview.waitFor({ state: 'detached' });

  // Text previews as text; a file the window cannot show says so.
  await (await sampleRow(page, 'G-1')).click();
  await detail.getByRole('heading', { name: 'G-1' }).waitFor();
  await detail.getByRole('button', { name: 'notes.txt', exact: true }).click();
  preview = page.getByTestId('attachment-preview');
  assert.equal(await preview.getByTestId('attachment-text').innerText(), 'hello');
  await preview.getByRole('button', { name: 'Close' }).click();
  await preview.waitFor({ state: 'detached' });

  // Remove, then undo.
  await (await sampleRow(page, 'R-2')).click();
  await detail.getByRole('heading', { name: 'R-2' }).waitFor();
  await list.getByRole('button', { name: 'Remove outcrop.png' }).click();
  await list.getByRole('button', { name: 'outcrop.png', exact: true }).waitFor({ state: 'detached' });
  assert.equal(rows(file, "SELECT count(*) AS n FROM attachments WHERE filename = 'outcrop.png'")[0]!.n, 0);
  await page.getByRole('button', { name: /^Undo/ }).click();
  await list.getByRole('button', { name: 'outcrop.png', exact: true }).waitFor();
  assert.deepEqual(rows(file, "SELECT data FROM attachments WHERE filename = 'outcrop.png'")[0]!.data, fs.readFileSync(photo));
  await doc.screenshot();
  await doc.close();
});

test('an image whose bytes cannot be drawn says so and offers a copy', async () => {
  const h = await harness();
  const file = richHeadDocument(tempDir());
  const doc = await h.openDocument(file, 'attachments-broken');
  const { page } = doc;
  // photo.jpg in the rich notebook is four bytes of a JPEG header: not an image Chromium can draw.
  await (await sampleRow(page, 'R-1')).click();
  const detail = page.getByTestId('sample-detail');
  await detail.getByRole('button', { name: 'photo.jpg', exact: true }).click();
  const preview = page.getByTestId('attachment-preview');
  await preview.getByText(/This image cannot be shown/).waitFor();
  await preview.getByRole('button', { name: 'Save a copy…' }).waitFor();
  await preview.getByRole('button', { name: 'Close' }).click();
  await doc.close();
});
