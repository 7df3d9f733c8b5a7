import { useState } from 'react';
import type { DocumentId, UndoState } from '../../main/ipc/contract';
import { api, toAppError, type AppError } from './api';
import { useLoader } from './use-loader';

export interface UndoControls {
  state: UndoState;
  error: AppError | null;
  undo: () => void;
  redo: () => void;
}

/**
 * The window's undo and redo: what each would do next (reloaded after every change), and doing
 * it; `onDone` reports what was undone or redone so the window reloads and says so.
 */
export function useUndo(documentId: DocumentId, changes: number, onDone: (message: string) => void): UndoControls {
  const loaded = useLoader(() => api.undoState(documentId), [documentId, changes]);
  const [error, setError] = useState<AppError | null>(null);
  const [busy, setBusy] = useState(false);
  const run = (which: 'undo' | 'redo') => {
    if (busy) return;
    setBusy(true);
    setError(null);
    api[which](documentId)
      .then(
        (outcome) => {
          if (outcome.done) onDone(`${which === 'undo' ? 'Undone' : 'Redone'}: ${outcome.done}.`);
        },
        (e: unknown) => setError(toAppError(e)),
      )
      .finally(() => setBusy(false));
  };
  return { state: loaded.value ?? { undo: null, redo: null }, error, undo: () => run('undo'), redo: () => run('redo') };
}
