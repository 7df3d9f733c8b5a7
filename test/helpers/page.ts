/**
 * Reading and waiting on the real renderer's page in browser tests: the sample list's rows and
 * codes, and waits that fail with what the page says.
 */
import assert from 'node:assert/strict';
import type { Locator, Page } from 'playwright-core';

export const SECOND = 1000;

/** The sample list's rows (buttons). */
export function sampleRows(page: Page): Locator {
  return page.getByTestId('sample-list').getByRole('button');
}

/** The code each row shows (its text's first word), in list order. */
export async function shownCodes(page: Page): Promise<string[]> {
  return (await sampleRows(page).allInnerTexts()).map((text) => text.trim().split(/\s+/)[0] ?? '');
}

/** The row showing `code` (exactly one). */
export async function sampleRow(page: Page, code: string): Promise<Locator> {
  await waitFor(async () => (await shownCodes(page)).includes(code), `a row for ${code}`, page);
  const codes = await shownCodes(page);
  assert.equal(codes.filter((c) => c === code).length, 1, `one row for ${code} in ${codes.join(', ')}`);
  return sampleRows(page).nth(codes.indexOf(code));
}

/** Waits until the sample list shows exactly the rows whose codes are `codes` (in any order). */
export async function expectSampleCodes(page: Page, codes: string[]): Promise<void> {
  const wanted = [...codes].sort().join(', ');
  await waitFor(async () => (await shownCodes(page)).sort().join(', ') === wanted, `the sample list to show [${wanted}]`, page);
}

/**
 * Waits for `wanted` to show, failing at once (with what the page says) if the error view or an
 * error message shows instead.
 */
export async function appears(page: Page, wanted: Locator, timeout = 20 * SECOND): Promise<void> {
  const trouble = page.getByTestId('error-view').or(page.getByRole('alert')).first();
  const first = await Promise.race([
    wanted
      .first()
      .waitFor({ timeout })
      .then(() => 'wanted' as const),
    trouble.waitFor({ timeout }).then(
      () => 'trouble' as const,
      () => new Promise<never>(() => undefined),
    ),
  ]);
  if (first === 'trouble') throw new Error(`the page shows an error instead: ${await trouble.innerText()}`);
}

export async function waitFor(condition: () => Promise<boolean>, what: string, page: Page, timeout = 10 * SECOND): Promise<void> {
  const deadline = Date.now() + timeout;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; the page says:\n${await page.locator('body').innerText()}`);
    await page.waitForTimeout(50);
  }
}

/**
 * Waits until `control`'s accessible name (its aria-label) is `label`: the window updates a
 * control after the change it names has shown elsewhere (an undo button after the list it undid).
 */
export async function expectLabel(control: Locator, label: string, page: Page, timeout = 10 * SECOND): Promise<void> {
  let last: string | null = null;
  const deadline = Date.now() + timeout;
  while ((last = await control.getAttribute('aria-label')) !== label) {
    if (Date.now() > deadline) throw new Error(`expected the label ${JSON.stringify(label)}, still ${JSON.stringify(last)} after ${timeout} ms`);
    await page.waitForTimeout(50);
  }
}
