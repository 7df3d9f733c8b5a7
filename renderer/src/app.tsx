import { useEffect } from 'react';
import { DocumentWindow } from './document-window';
import { ErrorView } from './error-view';
import { OpeningView } from './opening-view';
import { StartScreen } from './start-screen';
import { StatusMessage } from './status-message';
import { useWindowDocument } from './use-window-document';

/** The window: the start screen (main loads it as `index.html#start`), or a notebook's window. */
export function App() {
  return window.location.hash === '#start' ? <StartScreen /> : <NotebookWindow />;
}

/** A notebook's window: its document while it opens, once it is ready, or why it could not be opened. */
function NotebookWindow() {
  const state = useWindowDocument();
  const name = state.kind === 'document' ? state.document.name : null;

  useEffect(() => {
    document.title = name ? `${name} — Fieldbook` : 'Fieldbook';
  }, [name]);

  if (state.kind === 'loading') {
    return (
      <main className="centered-view">
        <StatusMessage kind="loading">Opening…</StatusMessage>
      </main>
    );
  }
  if (state.kind === 'unavailable') {
    return <ErrorView name={null} error={{ code: state.error.code, message: state.error.message, advice: 'Close this window and open the notebook again from Fieldbook.' }} />;
  }
  const doc = state.document;
  if (doc.state === 'opening') return <OpeningView document={doc} />;
  if (doc.state === 'failed') {
    return (
      <ErrorView name={doc.name} error={doc.error ?? { code: 'INTERNAL', message: 'The notebook could not be opened.', advice: 'It was not changed. Try opening it again.' }} />
    );
  }
  return <DocumentWindow key={doc.id} document={doc} />;
}
