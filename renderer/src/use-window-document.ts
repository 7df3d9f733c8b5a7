import { useEffect, useState } from 'react';
import type { WindowDocument } from '../../main/ipc/contract';
import { api, AppError, toAppError } from './api';

export type WindowDocumentState = { kind: 'loading' } | { kind: 'unavailable'; error: AppError } | { kind: 'document'; document: WindowDocument };

/** How long a window waits for main to give it a document before saying so. */
const GIVE_UP_MS = 30_000;
const POLL_MS = 1000;

/** How far along opening is; a view never replaces one that is further along. */
function progress(doc: WindowDocument): number {
  if (doc.state !== 'opening') return 3;
  if (!doc.upgrading) return 0;
  return 1 + doc.upgrading.index / (doc.upgrading.total + 1);
}

/**
 * The document this window shows, kept current: from `windowDocument()` and every
 * `document-changed` event. Main may show the window before it has registered the document
 * (NOT_FOUND), and an event sent before the subscription was in place is not sent again; so
 * until the document is ready or failed this also asks again every second.
 */
export function useWindowDocument(): WindowDocumentState {
  const [state, setState] = useState<WindowDocumentState>({ kind: 'loading' });

  useEffect(() => {
    let current: WindowDocument | null = null;
    let stopped = false;
    const started = Date.now();
    const accept = (doc: WindowDocument) => {
      if (stopped) return;
      if (current && current.id === doc.id && progress(doc) < progress(current)) return;
      current = doc;
      setState({ kind: 'document', document: doc });
    };
    const fail = (error: AppError) => {
      if (!stopped && !current) setState({ kind: 'unavailable', error });
    };
    const ask = () =>
      api.windowDocument().then(accept, (thrown: unknown) => {
        const error = toAppError(thrown);
        if (error.code !== 'NOT_FOUND') fail(error);
        else if (Date.now() - started > GIVE_UP_MS) fail(new AppError('NOT_FOUND', 'This window was not given a notebook to show.'));
      });
    let unsubscribe = () => {};
    try {
      unsubscribe = api.on('document-changed', accept);
    } catch (error) {
      fail(toAppError(error));
      return;
    }
    void ask();
    const timer = window.setInterval(() => {
      if (!current || current.state === 'opening') void ask();
    }, POLL_MS);
    return () => {
      stopped = true;
      unsubscribe();
      window.clearInterval(timer);
    };
  }, []);

  return state;
}
