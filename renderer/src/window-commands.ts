import { useEffect, useRef } from 'react';
import type { MenuCommand } from '../../main/ipc/contract';
import { api } from './api';
import { shortcutOf, typingInAField, type ShortcutAction } from './shortcuts';
import type { ToolbarAction } from './toolbar';

/** Menu commands that do what a toolbar button does. */
const MENU_ACTIONS: Partial<Record<MenuCommand, ToolbarAction>> = {
  'export-subset': 'export',
  'export-for-version': 'export-version',
  'document-info': 'info',
  'data-issues': 'issues',
  'export-csv': 'csv-export',
  'import-csv': 'csv-import',
};

/**
 * A window's keyboard shortcuts and the menu commands main forwards to it: shortcuts and Edit
 * menu commands go to `perform` (none while a dialog is open: its own fields and buttons have the
 * keyboard), toolbar-like commands to `openPanel`. Edit ▸ Undo/Redo while a field is being typed in
 * (macOS menu shortcuts always fire) undo the typing instead. The newest callbacks are used.
 */
export function useWindowCommands(perform: (action: ShortcutAction) => void, openPanel: (action: ToolbarAction) => void): void {
  const latest = useRef({ perform, openPanel });
  useEffect(() => {
    latest.current = { perform, openPanel };
  });
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const action = shortcutOf(event);
      if (!action || document.querySelector('dialog[open]')) return;
      event.preventDefault();
      latest.current.perform(action);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
  useEffect(
    () =>
      api.on('menu-command', (command) => {
        const action = MENU_ACTIONS[command];
        if (action) latest.current.openPanel(action);
        else if ((command === 'undo' || command === 'redo') && typingInAField()) document.execCommand(command);
        else latest.current.perform(command as ShortcutAction);
      }),
    [],
  );
}
