import path = require('node:path');
import type { MenuItemConstructorOptions } from 'electron';
import type { MenuCommand } from '../ipc/contract';

/** What the menu's items do (main.ts wires them to the app core and windows). */
export interface MenuActions {
  newNotebook(): void;
  openNotebook(): void;
  openSampleNotebook(): void;
  openRecent(file: string): void;
  clearRecent(): void;
  showBackup(): void;
  /** Forwards a command to the focused window's renderer. */
  send(command: MenuCommand): void;
}

export interface MenuOptions {
  /** `app.isPackaged`: an installed app has no Reload and no Developer Tools (nor their shortcuts). */
  packaged: boolean;
  platform: NodeJS.Platform;
  recent: string[];
  actions: MenuActions;
}

/**
 * The application menu. Plain data (Electron's `Menu.buildFromTemplate` input) so it can be
 * checked under Node: in development the View menu has Reload, Force Reload and Toggle Developer
 * Tools; in a packaged app it has none of them, so neither the items nor their accelerators
 * (Ctrl+R, Ctrl+Shift+I) exist, and main.ts also turns DevTools off in every window's
 * webPreferences.
 */
export function applicationMenuTemplate({ packaged, platform, recent, actions }: MenuOptions): MenuItemConstructorOptions[] {
  const mac = platform === 'darwin';
  const recentItems: MenuItemConstructorOptions[] = recent.map((file) => ({ label: path.basename(file), click: () => actions.openRecent(file) }));
  const file: MenuItemConstructorOptions = {
    label: 'File',
    submenu: [
      { label: 'New…', accelerator: 'CmdOrCtrl+N', click: () => actions.newNotebook() },
      { label: 'Open…', accelerator: 'CmdOrCtrl+O', click: () => actions.openNotebook() },
      {
        label: 'Open Recent',
        submenu: recentItems.length
          ? [...recentItems, { type: 'separator' }, { label: 'Clear Menu', click: () => actions.clearRecent() }]
          : [{ label: 'No recent notebooks', enabled: false }],
      },
      { label: 'Open Sample Notebook', click: () => actions.openSampleNotebook() },
      { type: 'separator' },
      { label: 'Export Subset…', accelerator: 'CmdOrCtrl+E', click: () => actions.send('export-subset') },
      { label: 'Export for Older Version…', click: () => actions.send('export-for-version') },
      { label: 'Export Samples as CSV…', click: () => actions.send('export-csv') },
      { label: 'Import Measurements from CSV…', click: () => actions.send('import-csv') },
      { label: 'Show Backup', click: () => actions.showBackup() },
      { type: 'separator' },
      { label: 'Close', accelerator: 'CmdOrCtrl+W', role: 'close' },
      ...(mac ? [] : [{ type: 'separator' as const }, { role: 'quit' as const }]),
    ],
  };
  const developer: MenuItemConstructorOptions[] = packaged ? [] : [{ type: 'separator' }, { role: 'reload' }, { role: 'forceReload' }, { role: 'toggleDevTools' }];
  return [
    ...(mac ? [{ role: 'appMenu' as const }] : []),
    file,
    editMenu(mac, actions),
    {
      label: 'View',
      submenu: [
        { label: 'Document Info', click: () => actions.send('document-info') },
        { label: 'Data Issues', click: () => actions.send('data-issues') },
        { type: 'separator' },
        { role: 'togglefullscreen' },
        ...developer,
      ],
    },
    { role: 'windowMenu' },
  ];
}

/**
 * Edit: the notebook's undo and redo (each edit one step), new sample, find and delete, with
 * their shortcuts shown. Undo, Redo and Delete are not registered with the system on Windows and
 * Linux (`registerAccelerator: false`): the window's own key handling does them outside text
 * fields and leaves the keys to a field being typed in. On macOS menu shortcuts always fire, so
 * the window, told "undo" while a field has focus, undoes the typing instead. Cut, copy, paste
 * and select all stay Electron's roles.
 */
function editMenu(mac: boolean, actions: MenuActions): MenuItemConstructorOptions {
  const forwarded = (label: string, command: MenuCommand, accelerator: string | undefined, register = true): MenuItemConstructorOptions => ({
    label,
    ...(accelerator ? { accelerator, registerAccelerator: register } : {}),
    click: () => actions.send(command),
  });
  return {
    label: 'Edit',
    submenu: [
      forwarded('Undo', 'undo', 'CmdOrCtrl+Z', false),
      forwarded('Redo', 'redo', mac ? 'Shift+Cmd+Z' : 'Ctrl+Y', false),
      { type: 'separator' },
      { role: 'cut' },
      { role: 'copy' },
      { role: 'paste' },
      { role: 'selectAll' },
      { type: 'separator' },
      forwarded('New Sample…', 'new-sample', 'CmdOrCtrl+Shift+N'),
      forwarded('Find Samples', 'find', 'CmdOrCtrl+F'),
      forwarded('Delete Sample…', 'delete-sample', mac ? undefined : 'Delete', false),
    ],
  };
}
