/** The window's keyboard shortcuts, as the menus and buttons show them (⌘ on macOS, Ctrl elsewhere). */

const mac = typeof navigator !== 'undefined' && /Mac/.test(navigator.platform);

export const SHORTCUTS = {
  undo: mac ? '⌘Z' : 'Ctrl+Z',
  redo: mac ? '⇧⌘Z' : 'Ctrl+Y',
  newSample: mac ? '⇧⌘N' : 'Ctrl+Shift+N',
  find: mac ? '⌘F' : 'Ctrl+F',
  delete: mac ? '⌫' : 'Delete',
} as const;

export type ShortcutAction = 'undo' | 'redo' | 'new-sample' | 'find' | 'delete-sample';

/** True while a text field (or other editable element) has the keyboard. */
export function typingInAField(): boolean {
  const target = document.activeElement as HTMLElement | null;
  return target !== null && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
}

/**
 * The action a key press asks for, or null. Undo and redo leave text fields to their own undo
 * (the browser's, for the text being typed); Delete acts only outside text fields.
 */
export function shortcutOf(event: KeyboardEvent): ShortcutAction | null {
  const target = event.target as HTMLElement | null;
  const typing = target !== null && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
  const command = event.ctrlKey || event.metaKey;
  const key = event.key.toLowerCase();
  if (command && !event.altKey) {
    if (key === 'z' && !typing) return event.shiftKey ? 'redo' : 'undo';
    if (key === 'y' && !event.shiftKey && !typing) return 'redo';
    if (key === 'n' && event.shiftKey) return 'new-sample';
    if (key === 'f' && !event.shiftKey) return 'find';
    return null;
  }
  if ((event.key === 'Delete' || (mac && event.key === 'Backspace')) && !typing && !event.altKey && !event.shiftKey) return 'delete-sample';
  return null;
}
