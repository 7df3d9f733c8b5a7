/**
 * Fieldbook's Electron main process: a thin shell over the app core (main/app) and the engine.
 * It owns windows, menus, dialogs and the single-instance lock; everything a document does goes
 * through the same IPC handlers the browser tests drive. Long SQLite work runs in utility
 * processes, so this thread never blocks on it.
 */
import fs = require('node:fs');
import path = require('node:path');
import { pathToFileURL } from 'node:url';
import { app, BrowserWindow, dialog, ipcMain, Menu, net, protocol, session, shell, type WebPreferences } from 'electron';
import { AppCore, type Shell, type WindowKey } from '../app/app-core';
import { channel, OPERATIONS, type Events, type MenuCommand } from '../ipc/contract';
import { CONTENT_SECURITY_POLICY } from '../ipc/content-security-policy';
import { createHandlers, invoke } from '../ipc/handlers';
import { applicationMenuTemplate } from './menu-template';
import { originOf, permissionGranted } from './permissions';
import { RecentDocuments } from './recent-documents';
import { utilityJobHost } from './utility-jobs';

const SCHEME = 'fieldbook-app';
const RENDERER = path.join(__dirname, '..', '..', 'renderer');
const windows = new Map<WindowKey, BrowserWindow>();
const pendingFiles: string[] = [];
let core: AppCore | null = null;
/** The start screen's window while it is shown (it closes when a notebook opens). */
let startWindow: BrowserWindow | null = null;

protocol.registerSchemesAsPrivileged([{ scheme: SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', (_event, argv, workingDirectory) => {
    const files = documentArguments(argv.slice(1), workingDirectory);
    if (files.length === 0) focusAny();
    for (const file of files) void openFile(file);
  });
  app.on('open-file', (event, file) => {
    event.preventDefault();
    if (core) void openFile(file);
    else pendingFiles.push(file);
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('activate', () => {
    if (core && BrowserWindow.getAllWindows().length === 0) void openStartWindow();
  });
  app.on('before-quit', () => core?.closeAll());
  app.on('web-contents-created', (_event, contents) => {
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
    contents.on('will-navigate', (event) => event.preventDefault());
  });
  void app.whenReady().then(start);
}

const NOTEBOOKS = { name: 'Fieldbook notebooks', extensions: ['fieldbook'] };

/** Every window's web preferences: isolated, sandboxed, no Node; no DevTools in a packaged app. */
function webPreferences(): WebPreferences {
  return {
    preload: path.join(__dirname, 'preload.js'),
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    webSecurity: true,
    spellcheck: false,
    devTools: !app.isPackaged,
  };
}

function start(): void {
  const userData = app.getPath('userData');
  const recent = new RecentDocuments(userData);
  // No page gets any web permission (permissions.ts): neither when it asks nor when it checks.
  session.defaultSession.setPermissionRequestHandler((contents, permission, callback) => callback(permissionGranted(permission, originOf(contents.getURL()))));
  session.defaultSession.setPermissionCheckHandler((_contents, permission, requestingOrigin) => permissionGranted(permission, originOf(requestingOrigin)));
  const owner = (window: WindowKey | null) => (window === null ? undefined : windows.get(window));
  const shellForCore: Shell = {
    async chooseSavePath(window, options) {
      // The dialog asks before answering an existing file (Shell.chooseSavePath's contract):
      // macOS and Windows always do, Linux only with showOverwriteConfirmation.
      const properties: ('showOverwriteConfirmation' | 'createDirectory')[] = ['showOverwriteConfirmation', 'createDirectory'];
      const request = { title: options.title, defaultPath: path.join(app.getPath('documents'), options.defaultName), filters: options.filters ?? [NOTEBOOKS], properties };
      const parent = owner(window);
      const result = parent ? await dialog.showSaveDialog(parent, request) : await dialog.showSaveDialog(request);
      return result.canceled || !result.filePath ? null : result.filePath;
    },
    async chooseOpenPaths(window, options) {
      const properties: ('openFile' | 'multiSelections')[] = options.multiple === false ? ['openFile'] : ['openFile', 'multiSelections'];
      const request = { title: options.title, properties, filters: [...(options.filters ?? [NOTEBOOKS]), { name: 'All files', extensions: ['*'] }] };
      const parent = owner(window);
      const result = parent ? await dialog.showOpenDialog(parent, request) : await dialog.showOpenDialog(request);
      return result.canceled ? [] : result.filePaths;
    },
    showItemInFolder: (file) => shell.showItemInFolder(file),
    openDocumentWindow: (file) => openFile(file, recent),
    send<E extends keyof Events>(window: WindowKey, event: E, payload: Events[E]) {
      const target = windows.get(window);
      if (target && !target.isDestroyed()) target.webContents.send(channel(event), payload);
    },
    jobs: utilityJobHost(path.join(__dirname, '..', 'app', 'job-entry.js')),
  };
  core = new AppCore({
    shell: shellForCore,
    engineSettings: {
      // Bundled migrations from the app's own location: resources/ when packaged, the app folder in development.
      migrations: { roots: app.isPackaged ? [process.resourcesPath] : [app.getAppPath()] },
      backupDir: path.join(userData, 'backups'),
    },
    verifiedStatesFile: path.join(userData, 'verified-notebooks.json'),
    samplesFolder: fs.existsSync(app.getPath('documents')) ? app.getPath('documents') : userData,
  });
  const handlers = createHandlers(core);
  for (const operation of OPERATIONS) {
    ipcMain.handle(channel(operation), (event, ...args: unknown[]) => {
      const owner = BrowserWindow.fromWebContents(event.sender);
      const trusted = owner !== null && event.senderFrame === event.sender.mainFrame && event.senderFrame.url.startsWith(`${SCHEME}://`);
      if (!trusted) return { ok: false, error: { code: 'BAD_REQUEST', message: 'request from an unknown frame' } };
      return invoke(handlers, { window: String(event.sender.id) }, operation, args);
    });
  }
  protocol.handle(SCHEME, async (request) => {
    const url = new URL(request.url);
    const file = path.resolve(RENDERER, decodeURIComponent(url.pathname).replace(/^\/+/, '') || 'index.html');
    if (!file.startsWith(RENDERER + path.sep)) return new Response('not found', { status: 404 });
    const response = await net.fetch(pathToFileURL(file).toString());
    const headers = new Headers(response.headers);
    headers.set('Content-Security-Policy', CONTENT_SECURITY_POLICY);
    return new Response(response.body, { status: response.status, headers });
  });
  buildMenu(recent);
  const files = [...pendingFiles, ...documentArguments(process.argv.slice(app.isPackaged ? 1 : 2), process.cwd())];
  pendingFiles.length = 0;
  if (files.length) for (const file of files) void openFile(file, recent);
  else void openStartWindow();
}

/** The start screen: open, new, or the sample notebook (renderer start-screen.tsx, `#start`). */
async function openStartWindow(): Promise<void> {
  if (startWindow && !startWindow.isDestroyed()) {
    startWindow.focus();
    return;
  }
  const window = new BrowserWindow({ width: 760, height: 560, minWidth: 560, minHeight: 460, show: false, title: 'Fieldbook', webPreferences: webPreferences() });
  const key = String(window.webContents.id);
  startWindow = window;
  windows.set(key, window);
  window.on('closed', () => {
    windows.delete(key);
    if (startWindow === window) startWindow = null;
  });
  window.once('ready-to-show', () => window.show());
  await window.loadURL(`${SCHEME}://app/index.html#start`);
}

/** Document paths among command-line arguments (flags skipped), resolved against the caller's folder. */
function documentArguments(args: string[], workingDirectory: string): string[] {
  return args.filter((a) => !a.startsWith('-') && a !== '.').map((a) => path.resolve(workingDirectory, a));
}

async function openFile(file: string, recent = new RecentDocuments(app.getPath('userData'))): Promise<void> {
  if (!core) return;
  const existing = core.findOpen(file);
  if (existing) {
    windows.get(existing.window)?.focus();
    return;
  }
  const window = new BrowserWindow({ width: 1200, height: 800, minWidth: 760, minHeight: 480, show: false, title: path.basename(file), webPreferences: webPreferences() });
  const key = String(window.webContents.id);
  windows.set(key, window);
  window.on('closed', () => {
    windows.delete(key);
    core?.closeWindow(key);
  });
  window.once('ready-to-show', () => {
    window.show();
    if (startWindow && !startWindow.isDestroyed()) startWindow.close();
  });
  await window.loadURL(`${SCHEME}://app/index.html`);
  recent.add(path.resolve(file));
  app.addRecentDocument(path.resolve(file));
  buildMenu(recent);
  await core.open(file, key);
}

/** Runs a start action from the menu; its failure (the renderer is not there to show it) becomes an error box. */
function fromMenu(title: string, action: (core: AppCore) => Promise<unknown>): void {
  if (core) action(core).catch((error: unknown) => dialog.showErrorBox(title, error instanceof Error ? error.message : String(error)));
}

function focusedKey(): WindowKey | null {
  const focused = BrowserWindow.getFocusedWindow();
  return focused ? String(focused.webContents.id) : null;
}

function sendToFocused(command: MenuCommand): void {
  const key = focusedKey();
  if (key) windows.get(key)?.webContents.send(channel('menu-command'), command);
}

function focusAny(): void {
  const first = windows.values().next().value as BrowserWindow | undefined;
  if (first) {
    if (first.isMinimized()) first.restore();
    first.focus();
  }
}

function buildMenu(recent: RecentDocuments): void {
  Menu.setApplicationMenu(
    Menu.buildFromTemplate(
      applicationMenuTemplate({
        packaged: app.isPackaged,
        platform: process.platform,
        recent: recent.list(),
        actions: {
          newNotebook: () => fromMenu('Could not create the notebook', (c) => c.start.newNotebook(focusedKey())),
          openNotebook: () => fromMenu('Could not open the notebook', (c) => c.start.openNotebooks(focusedKey())),
          openSampleNotebook: () => fromMenu('Could not open the sample notebook', (c) => c.start.openSampleNotebook()),
          openRecent: (file) => void openFile(file, recent),
          clearRecent: () => {
            recent.clear();
            app.clearRecentDocuments();
            buildMenu(recent);
          },
          showBackup: () => {
            const key = focusedKey();
            if (key && core) {
              try {
                core.showBackup(key, core.windowDocument(key).id);
              } catch {
                /* the focused window shows no document */
              }
            }
          },
          send: sendToFocused,
        },
      }),
    ),
  );
}
