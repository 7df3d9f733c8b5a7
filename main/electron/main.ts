/**
 * Fieldbook's Electron main process: a thin shell over the app core (main/app) and the engine.
 * It owns windows, menus, dialogs and the single-instance lock; everything a document does goes
 * through the same IPC handlers the browser tests drive. Long SQLite work runs in utility
 * processes, so this thread never blocks on it.
 */
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { app, BrowserWindow, dialog, ipcMain, Menu, net, protocol, shell, type MenuItemConstructorOptions } from 'electron';
import { AppCore, type Shell, type WindowKey } from '../app/app-core';
import { createDocument } from '@fieldbook/engine';
import { channel, OPERATIONS, type Events, type MenuCommand } from '../ipc/contract';
import { CONTENT_SECURITY_POLICY } from '../ipc/content-security-policy';
import { createHandlers, invoke } from '../ipc/handlers';
import { RecentDocuments } from './recent-documents';
import { utilityJobHost } from './utility-jobs';

const SCHEME = 'fieldbook-app';
const RENDERER = path.join(__dirname, '..', '..', 'renderer');
const windows = new Map<WindowKey, BrowserWindow>();
const pendingFiles: string[] = [];
let core: AppCore | null = null;

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
  app.on('before-quit', () => core?.closeAll());
  app.on('web-contents-created', (_event, contents) => {
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
    contents.on('will-navigate', (event) => event.preventDefault());
  });
  void app.whenReady().then(start);
}

function start(): void {
  const userData = app.getPath('userData');
  const recent = new RecentDocuments(userData);
  const shellForCore: Shell = {
    async chooseSavePath(window, options) {
      const owner = windows.get(window);
      // The dialog asks before answering an existing file (Shell.chooseSavePath's contract):
      // macOS and Windows always do, Linux only with showOverwriteConfirmation.
      const properties: ('showOverwriteConfirmation' | 'createDirectory')[] = ['showOverwriteConfirmation', 'createDirectory'];
      const result = owner
        ? await dialog.showSaveDialog(owner, { title: options.title, defaultPath: path.join(app.getPath('documents'), options.defaultName), filters: [{ name: 'Fieldbook notebooks', extensions: ['fieldbook'] }], properties })
        : await dialog.showSaveDialog({ title: options.title, defaultPath: options.defaultName, properties });
      return result.canceled || !result.filePath ? null : result.filePath;
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
  else void chooseAndOpen(recent);
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
  const window = new BrowserWindow({
    width: 1200, height: 800, minWidth: 760, minHeight: 480, show: false, title: path.basename(file),
    webPreferences: { preload: path.join(__dirname, 'preload.js'), contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true, spellcheck: false },
  });
  const key = String(window.webContents.id);
  windows.set(key, window);
  window.on('closed', () => {
    windows.delete(key);
    core?.closeWindow(key);
  });
  window.once('ready-to-show', () => window.show());
  await window.loadURL(`${SCHEME}://app/index.html`);
  recent.add(path.resolve(file));
  app.addRecentDocument(path.resolve(file));
  buildMenu(recent);
  await core.open(file, key);
}

async function chooseAndOpen(recent: RecentDocuments): Promise<void> {
  const result = await dialog.showOpenDialog({ title: 'Open Notebook', properties: ['openFile', 'multiSelections'], filters: [{ name: 'Fieldbook notebooks', extensions: ['fieldbook'] }, { name: 'All files', extensions: ['*'] }] });
  for (const file of result.canceled ? [] : result.filePaths) await openFile(file, recent);
}

async function newDocument(recent: RecentDocuments): Promise<void> {
  const result = await dialog.showSaveDialog({ title: 'New Notebook', defaultPath: path.join(app.getPath('documents'), 'Notebook.fieldbook'), filters: [{ name: 'Fieldbook notebooks', extensions: ['fieldbook'] }] });
  if (result.canceled || !result.filePath) return;
  try {
    createDocument(result.filePath, { engine: core!.engine });
  } catch (error) {
    dialog.showErrorBox('Could not create the notebook', (error as Error).message);
    return;
  }
  await openFile(result.filePath, recent);
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
  const recentItems: MenuItemConstructorOptions[] = recent.list().map((file) => ({ label: path.basename(file), click: () => void openFile(file, recent) }));
  const file: MenuItemConstructorOptions = {
    label: 'File',
    submenu: [
      { label: 'New…', accelerator: 'CmdOrCtrl+N', click: () => void newDocument(recent) },
      { label: 'Open…', accelerator: 'CmdOrCtrl+O', click: () => void chooseAndOpen(recent) },
      { label: 'Open Recent', submenu: recentItems.length ? [...recentItems, { type: 'separator' }, { label: 'Clear Menu', click: () => { recent.clear(); app.clearRecentDocuments(); buildMenu(recent); } }] : [{ label: 'No recent notebooks', enabled: false }] },
      { type: 'separator' },
      { label: 'Export Subset…', accelerator: 'CmdOrCtrl+E', click: () => sendToFocused('export-subset') },
      { label: 'Export for Older Version…', click: () => sendToFocused('export-for-version') },
      { label: 'Show Backup', click: () => { const key = focusedKey(); if (key && core) { try { core.showBackup(key, core.windowDocument(key).id); } catch { /* no document */ } } } },
      { type: 'separator' },
      { label: 'Close', accelerator: 'CmdOrCtrl+W', role: 'close' },
      ...(process.platform === 'darwin' ? [] : [{ type: 'separator' as const }, { role: 'quit' as const }]),
    ],
  };
  const template: MenuItemConstructorOptions[] = [
    ...(process.platform === 'darwin' ? [{ role: 'appMenu' as const }] : []),
    file,
    { role: 'editMenu' },
    { label: 'View', submenu: [{ label: 'Document Info', click: () => sendToFocused('document-info') }, { label: 'Data Issues', click: () => sendToFocused('data-issues') }, { type: 'separator' }, { role: 'reload' }, { role: 'toggleDevTools' }, { role: 'togglefullscreen' }] },
    { role: 'windowMenu' },
  ];
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
}
