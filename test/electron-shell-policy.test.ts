/**
 * The Electron shell's hardening that is plain data (issue 11, item 5): the application menu of
 * a packaged app has no Reload and no Developer Tools (main/electron/menu-template.ts), and no
 * page gets any web permission (main/electron/permissions.ts, which main.ts installs as the
 * session's request and check handlers). The fuses are checked on the packaged executable by
 * packaging.test.ts.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { MenuItemConstructorOptions } from 'electron';
import { applicationMenuTemplate, type MenuActions } from '../main/electron/menu-template';
import { GRANTED, originOf, permissionGranted } from '../main/electron/permissions';

function recordingActions(calls: string[]): MenuActions {
  return {
    newNotebook: () => calls.push('new'),
    openNotebook: () => calls.push('open'),
    openSampleNotebook: () => calls.push('sample'),
    openRecent: (file) => calls.push(`recent ${file}`),
    clearRecent: () => calls.push('clear'),
    showBackup: () => calls.push('backup'),
    send: (command) => calls.push(`send ${command}`),
  };
}

/** Every item of a template, submenus included. */
function items(template: MenuItemConstructorOptions[]): MenuItemConstructorOptions[] {
  return template.flatMap((item) => [item, ...(Array.isArray(item.submenu) ? items(item.submenu as MenuItemConstructorOptions[]) : [])]);
}

const DEVELOPER_ROLES = ['reload', 'forceReload', 'toggleDevTools'];

test("a packaged app's menu has no Reload, Force Reload or Developer Tools; development keeps them", () => {
  for (const platform of ['linux', 'darwin', 'win32'] as const) {
    const packaged = items(applicationMenuTemplate({ packaged: true, platform, recent: [], actions: recordingActions([]) }));
    assert.deepEqual(
      packaged.filter((item) => DEVELOPER_ROLES.includes(String(item.role))),
      [],
      `no developer items on ${platform}`,
    );
    assert.ok(
      packaged.some((item) => item.role === 'togglefullscreen'),
      'the rest of the View menu stays',
    );
    const development = items(applicationMenuTemplate({ packaged: false, platform, recent: [], actions: recordingActions([]) }));
    assert.deepEqual(
      development.filter((item) => DEVELOPER_ROLES.includes(String(item.role))).map((item) => item.role),
      DEVELOPER_ROLES,
    );
  }
});

test("the File menu's items call the start actions, recent notebooks included", () => {
  const calls: string[] = [];
  const file = applicationMenuTemplate({ packaged: true, platform: 'linux', recent: ['/notes/a.fieldbook'], actions: recordingActions(calls) })[0]!;
  const byLabel = new Map(items([file]).map((item) => [item.label, item]));
  for (const label of ['New…', 'Open…', 'Open Sample Notebook', 'a.fieldbook', 'Clear Menu', 'Export Subset…', 'Show Backup']) {
    const click = byLabel.get(label)?.click as (() => void) | undefined;
    assert.ok(click, `${label} is in the File menu`);
    click();
  }
  assert.deepEqual(calls, ['new', 'open', 'sample', 'recent /notes/a.fieldbook', 'clear', 'send export-subset', 'backup']);
});

test("no web permission is granted to the app's pages or any other origin", () => {
  assert.deepEqual(GRANTED, []);
  // Electron's permission names (session.setPermissionRequestHandler / setPermissionCheckHandler).
  const permissions = [
    'clipboard-read',
    'clipboard-sanitized-write',
    'display-capture',
    'fullscreen',
    'geolocation',
    'idle-detection',
    'media',
    'mediaKeySystem',
    'midi',
    'midiSysex',
    'notifications',
    'pointerLock',
    'keyboardLock',
    'openExternal',
    'speaker-selection',
    'storage-access',
    'top-level-storage-access',
    'window-management',
    'unknown',
    'fileSystem',
    'hid',
    'serial',
    'usb',
    'background-sync',
    'persistent-storage',
  ];
  for (const origin of ['fieldbook-app://app', 'https://example.org', '']) {
    for (const permission of permissions) assert.equal(permissionGranted(permission, origin), false, `${permission} for ${origin || 'no origin'}`);
  }
  assert.equal(originOf('fieldbook-app://app/index.html#start'), 'fieldbook-app://app');
  assert.equal(originOf('about:blank'), '');
  assert.equal(originOf('not a url'), '');
});

test('the Edit menu shows the shortcuts of undo, redo, new sample, find and delete, and forwards them to the window', () => {
  for (const platform of ['linux', 'darwin', 'win32'] as const) {
    const calls: string[] = [];
    const edit = applicationMenuTemplate({ packaged: true, platform, recent: [], actions: recordingActions(calls) }).find((item) => item.label === 'Edit')!;
    const byLabel = new Map(items([edit]).map((item) => [item.label, item]));
    const mac = platform === 'darwin';
    const expected: [string, string | undefined, boolean][] = [
      ['Undo', 'CmdOrCtrl+Z', false],
      ['Redo', mac ? 'Shift+Cmd+Z' : 'Ctrl+Y', false],
      ['New Sample…', 'CmdOrCtrl+Shift+N', true],
      ['Find Samples', 'CmdOrCtrl+F', true],
      ['Delete Sample…', mac ? undefined : 'Delete', false],
    ];
    for (const [label, accelerator, registered] of expected) {
      const item = byLabel.get(label);
      assert.ok(item, `${label} on ${platform}`);
      assert.equal(item.accelerator, accelerator, `${label}'s shortcut on ${platform}`);
      // Keys a text field needs (Ctrl+Z, Delete) are left to the window, which leaves them to a field being typed in.
      if (accelerator) assert.equal(item.registerAccelerator, registered, `${label} registered with the system on ${platform}`);
      (item.click as () => void)();
    }
    assert.deepEqual(calls, ['send undo', 'send redo', 'send new-sample', 'send find', 'send delete-sample']);
    assert.ok(
      ['cut', 'copy', 'paste', 'selectAll'].every((role) => items([edit]).some((item) => item.role === role)),
      'text editing keeps its roles',
    );
  }
});
