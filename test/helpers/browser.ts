/**
 * Browser tests' harness: the real renderer build (dist/renderer) in a real headless Chromium,
 * talking to the real app core, IPC handlers and engine on real files through the test-only
 * loopback bridge. One Chromium and one bridge per test file; each document opens in its own
 * browser context, as each document has its own window in the app.
 *
 * Nothing is skipped: without Chromium or without the renderer build every browser test fails
 * and says what to install or run.
 */
import fs = require('node:fs');
import path = require('node:path');
import assert from 'node:assert/strict';
import { after, afterEach } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { WindowKey } from '../../main/app/app-core';
import { bridgeClientScript, startBridge, type Bridge } from '../bridge/bridge-server';
import { REPO_ROOT, tempDir } from './fixtures';

/** Debian's chromium (apt), which CI installs; `npx playwright install` cannot download browsers here. */
export const CHROMIUM = '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];
export const RENDERER_DIR = path.join(REPO_ROOT, 'dist', 'renderer');
export const SCREENSHOT_DIR = path.join(REPO_ROOT, 'test-artifacts', 'screenshots');

/**
 * Records, in the page, every `data-testid` in the order it first appeared in the DOM, and every
 * migration step name (`0003-numeric-values`) the page's text ever held, so a test can tell that
 * a short-lived element (the upgrade progress and the step it named) was shown even after it is
 * gone, however busy the machine that polls it.
 */
const RECORD_TEST_IDS = `(() => {
  const seen = [];
  const note = (el) => {
    const id = el.getAttribute && el.getAttribute('data-testid');
    if (id && !seen.includes(id)) seen.push(id);
  };
  const scan = (node) => {
    if (node.nodeType !== 1) return;
    note(node);
    for (const el of node.querySelectorAll('[data-testid]')) note(el);
  };
  const steps = [];
  new MutationObserver((mutations) => {
    for (const m of mutations) {
      if (m.type === 'attributes') note(m.target);
      for (const n of m.addedNodes) scan(n);
    }
    for (const step of (document.body ? document.body.textContent : '').match(/\\b000\\d-[a-z-]+/g) || []) {
      if (!steps.includes(step)) steps.push(step);
    }
  }).observe(document, { subtree: true, childList: true, characterData: true, attributes: true, attributeFilter: ['data-testid'] });
  Object.defineProperty(window, '__fieldbookSeenTestIds', { value: seen });
  Object.defineProperty(window, '__fieldbookSeenSteps', { value: steps });
})();`;

/** A document open in a browser page. */
export interface DocumentPage {
  page: Page;
  window: WindowKey;
  /** Test ids in the order they first appeared in the page (see RECORD_TEST_IDS). */
  seenTestIds(): Promise<string[]>;
  /** Migration step names the page's text held at any moment (see RECORD_TEST_IDS). */
  seenSteps(): Promise<string[]>;
  /** Uncaught page errors and console errors so far (a clean renderer logs none). */
  problems: string[];
  /** Saves a screenshot as test-artifacts/screenshots/<scenario>.png (or <scenario>-<suffix>.png). */
  screenshot(suffix?: string): Promise<string>;
  /**
   * Closes the page and then the document, as closing the app's window does, and fails if the
   * renderer had uncaught errors or logged console errors.
   */
  close(): Promise<void>;
}

export interface BrowserHarness {
  bridge: Bridge;
  browser: Browser;
  /** Where the bridge's engine keeps backups. */
  backupDir: string;
  /** Where the start screen's Open Sample Notebook writes (the app's documents folder). */
  samplesFolder: string;
  /**
   * Opens `file` in a new window (File ▸ Open) and loads the renderer for it; screenshots are
   * named after `scenario`. A page its test leaves open (the test failed) is saved as
   * `<scenario>.failed.png` and closed after the test.
   */
  openDocument(file: string, scenario: string): Promise<DocumentPage>;
  /** A new window without a document, showing the start screen (`#start`, as main.ts loads it). */
  openStartScreen(scenario: string): Promise<DocumentPage>;
  /** Loads the renderer for a window the app opened by itself (Bridge.openedWindows). */
  openWindow(window: WindowKey, scenario: string): Promise<DocumentPage>;
}

function requireChromium(): void {
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(
      `The browser tests need Debian's Chromium at ${CHROMIUM}, which is missing. Install it with ` +
        '`apt-get install chromium` (CI installs it in .ci/run); these tests are never skipped.',
    );
  }
}

function requireRendererBuild(): void {
  if (!fs.existsSync(path.join(RENDERER_DIR, 'index.html'))) {
    throw new Error(`The renderer build is missing (${path.join(RENDERER_DIR, 'index.html')}): run \`npm run build\` (it runs vite build).`);
  }
}

type Dispose = () => Promise<void>;

async function start(leftOpen: Map<Dispose, Dispose>): Promise<BrowserHarness> {
  requireChromium();
  requireRendererBuild();
  const backupDir = path.join(tempDir('fieldbook-browser-backups-'), 'backups');
  const samplesFolder = path.join(tempDir('fieldbook-browser-documents-'), 'Documents');
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
  let bridge: Bridge;
  try {
    bridge = await startBridge({ rendererDir: RENDERER_DIR, engineSettings: { backupDir }, samplesFolder });
  } catch (error) {
    await browser.close();
    throw error;
  }
  fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const shoot = async (page: Page, name: string) => {
    const file = path.join(SCREENSHOT_DIR, `${name}.png`);
    await page.screenshot({ path: file, fullPage: true });
    return file;
  };
  /** A page for `window` (its address plus `hash`), recording what it shows. */
  const pageFor = async (window: WindowKey, scenario: string, hash = ''): Promise<DocumentPage> => {
    fs.rmSync(path.join(SCREENSHOT_DIR, `${scenario}.failed.png`), { force: true });
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1 });
    await context.addInitScript(bridgeClientScript());
    await context.addInitScript(RECORD_TEST_IDS);
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(`console error: ${message.text()}`);
    });
    const dispose = async () => {
      leftOpen.delete(dispose);
      await context.close();
      bridge.core.closeWindow(window);
    };
    leftOpen.set(dispose, async () => {
      await shoot(page, `${scenario}.failed`).catch(() => undefined);
      await dispose();
    });
    await page.goto(bridge.pageUrl(window) + hash);
    return {
      page,
      window,
      problems,
      seenTestIds: async () => (await page.evaluate('[...window.__fieldbookSeenTestIds]')) as string[],
      seenSteps: async () => (await page.evaluate('[...window.__fieldbookSeenSteps]')) as string[],
      screenshot: (suffix) => shoot(page, suffix ? `${scenario}-${suffix}` : scenario),
      async close() {
        await dispose();
        assert.deepEqual(problems, [], 'the renderer logged no errors');
      },
    };
  };
  return {
    bridge,
    browser,
    backupDir,
    samplesFolder,
    openDocument: async (file, scenario) => pageFor(await bridge.open(file), scenario),
    openStartScreen: (scenario) => pageFor(bridge.newWindow(), scenario, '#start'),
    openWindow: (window, scenario) => pageFor(window, scenario),
  };
}

/**
 * The harness for one test file: started on first use (so a missing Chromium fails each test
 * with its message), stopped after the file's tests.
 */
export function browserHarness(): () => Promise<BrowserHarness> {
  let started: Promise<BrowserHarness> | null = null;
  const leftOpen = new Map<Dispose, Dispose>();
  afterEach(async () => {
    for (const saveAndClose of [...leftOpen.values()]) await saveAndClose();
  });
  after(async () => {
    if (!started) return;
    const harness = await started.catch(() => null);
    if (!harness) return;
    await harness.bridge.close();
    await harness.browser.close();
  });
  return () => (started ??= start(leftOpen));
}
