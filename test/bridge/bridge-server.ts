/**
 * TEST-ONLY bridge: serves the real renderer build to a real browser and carries the IPC
 * contract over loopback HTTP to the real app core and handlers (the same ones Electron uses),
 * on real files. It binds 127.0.0.1 only and requires a random token on every request. Never
 * shipped: it lives in test/.
 */
import { randomBytes } from 'node:crypto';
import type { FieldbookEngineSettings } from '../../main/fieldbook/fieldbook-engine';
import fs = require('node:fs');
import http = require('node:http');
import type { AddressInfo } from 'node:net';
import path = require('node:path');
import { AppCore, type Shell, type WindowKey } from '../../main/app/app-core';
import { threadJobHost } from '../../main/app/thread-jobs';
import { OPERATIONS, type Events } from '../../main/ipc/contract';
import { createHandlers, invoke } from '../../main/ipc/handlers';
import { CONTENT_SECURITY_POLICY } from '../../main/ipc/content-security-policy';

export interface Bridge {
  url: string;
  token: string;
  core: AppCore;
  /** Opens a document in a new "window" (as File ▸ Open would) and returns the window key. */
  open(file: string): Promise<WindowKey>;
  /** The page address for a window. */
  pageUrl(window: WindowKey): string;
  /** What the next save dialog answers (null: the user cancels). */
  answerNextSaveDialog(file: string | null): void;
  /** What the next open dialog answers (empty: the user cancels). */
  answerNextOpenDialog(files: string[]): void;
  /** A new window with no document yet (the start screen's), and its key. */
  newWindow(): WindowKey;
  /** Files the app asked to show in the file manager. */
  shownInFolder: string[];
  /** Documents the app opened in new windows by itself (a backup), with their window keys. */
  openedWindows: { file: string; window: WindowKey }[];
  close(): Promise<void>;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.css': 'text/css',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
};

export async function startBridge(options: { rendererDir: string; engineSettings: FieldbookEngineSettings; samplesFolder: string }): Promise<Bridge> {
  const token = randomBytes(24).toString('hex');
  const streams = new Map<WindowKey, Set<http.ServerResponse>>();
  const saveAnswers: (string | null)[] = [];
  const openAnswers: string[][] = [];
  const shownInFolder: string[] = [];
  const openedWindows: { file: string; window: WindowKey }[] = [];
  let windows = 0;
  const shell: Shell = {
    chooseSavePath: async () => (saveAnswers.length ? saveAnswers.shift()! : null),
    chooseOpenPaths: async () => openAnswers.shift() ?? [],
    showItemInFolder: (file) => void shownInFolder.push(file),
    async openDocumentWindow(file) {
      const window = `window-${++windows}`;
      openedWindows.push({ file, window });
      void core.open(file, window);
    },
    send<E extends keyof Events>(window: WindowKey, event: E, payload: Events[E]) {
      for (const res of streams.get(window) ?? []) res.write(`data: ${JSON.stringify({ event, payload })}\n\n`);
    },
    jobs: threadJobHost(),
  };
  const core = new AppCore({ shell, engineSettings: options.engineSettings, samplesFolder: options.samplesFolder });
  const handlers = createHandlers(core);

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    // The page address carries the token; the page's own requests (scripts, styles) carry the
    // cookie the page response set; API calls send it in a header.
    const cookie = /(?:^|;\s*)fieldbook-token=([0-9a-f]+)/.exec(req.headers.cookie ?? '')?.[1];
    const given = url.searchParams.get('token') ?? req.headers['x-fieldbook-token'] ?? cookie;
    if (given !== token) {
      res.writeHead(403).end('forbidden');
      return;
    }
    const window = url.searchParams.get('window') ?? String(req.headers['x-fieldbook-window'] ?? '');
    if (req.method === 'POST' && url.pathname === '/invoke') {
      let body = '';
      req.on('data', (chunk: Buffer) => {
        body += chunk.toString('utf8');
      });
      req.on('end', () => {
        let request: { operation: string; args: unknown[] };
        try {
          request = JSON.parse(body) as typeof request;
        } catch {
          res.writeHead(400).end('bad json');
          return;
        }
        void invoke(handlers, { window }, request.operation, request.args).then((envelope) => {
          res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(envelope));
        });
      });
      return;
    }
    if (req.method === 'GET' && url.pathname === '/events') {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
      res.write(': connected\n\n');
      const set = streams.get(window) ?? new Set();
      set.add(res);
      streams.set(window, set);
      req.on('close', () => set.delete(res));
      return;
    }
    // Static files of the renderer build, with the same Content-Security-Policy as the app.
    const relative = url.pathname === '/' ? 'index.html' : decodeURIComponent(url.pathname).replace(/^\/+/, '');
    const file = path.resolve(options.rendererDir, relative);
    if (!file.startsWith(path.resolve(options.rendererDir) + path.sep) || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
      res.writeHead(404).end('not found');
      return;
    }
    res.writeHead(200, {
      'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream',
      'content-security-policy': CONTENT_SECURITY_POLICY,
      'set-cookie': `fieldbook-token=${token}; HttpOnly; SameSite=Strict; Path=/`,
    });
    fs.createReadStream(file).pipe(res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const base = `http://127.0.0.1:${port}`;
  return {
    url: base,
    token,
    core,
    shownInFolder,
    openedWindows,
    async open(file) {
      const window = `window-${++windows}`;
      void core.open(file, window);
      return window;
    },
    pageUrl: (window) => `${base}/?token=${token}&window=${encodeURIComponent(window)}`,
    answerNextSaveDialog: (file) => void saveAnswers.push(file),
    answerNextOpenDialog: (files) => void openAnswers.push(files),
    newWindow: () => `window-${++windows}`,
    async close() {
      for (const set of streams.values()) for (const res of set) res.end();
      core.closeAll();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * The script a test page runs before the renderer (Playwright `addInitScript`): it defines
 * `window.fieldbook` — the API the Electron preload exposes — over the bridge, from the
 * `token` and `window` of the page address.
 */
export function bridgeClientScript(): string {
  return `(() => {
  const params = new URLSearchParams(location.search);
  const token = params.get('token');
  const win = params.get('window');
  const operations = ${JSON.stringify(OPERATIONS)};
  const api = {};
  for (const operation of operations) {
    api[operation] = (...args) => fetch('/invoke', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-fieldbook-token': token, 'x-fieldbook-window': win },
      body: JSON.stringify({ operation, args }),
    }).then((r) => r.json());
  }
  const listeners = new Map();
  let source = null;
  api.on = (event, listener) => {
    if (!source) {
      source = new EventSource('/events?token=' + encodeURIComponent(token) + '&window=' + encodeURIComponent(win));
      source.onmessage = (m) => {
        const { event: name, payload } = JSON.parse(m.data);
        for (const l of listeners.get(name) ?? []) l(payload);
      };
    }
    const set = listeners.get(event) ?? new Set();
    set.add(listener);
    listeners.set(event, set);
    return () => set.delete(listener);
  };
  window.fieldbook = Object.freeze(api);
})();`;
}
