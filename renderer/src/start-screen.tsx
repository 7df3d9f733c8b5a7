import { useState } from 'react';
import { api, type AppError, toAppError } from './api';
import { Icon } from './icon';
import { StatusMessage } from './status-message';

type Action = 'open' | 'new' | 'sample';

/**
 * The window Fieldbook shows when it starts without a notebook: open one, create one, or open
 * the sample notebook — a Fieldbook 1.0 survey written to the user's documents as a new file,
 * which opens in its own window upgraded, like any old notebook. Main closes this window once a
 * notebook's window is showing.
 */
export function StartScreen() {
  const [busy, setBusy] = useState<Action | null>(null);
  const [error, setError] = useState<{ action: Action; error: AppError } | null>(null);
  const [opened, setOpened] = useState<string[]>([]);

  const run = (action: Action, call: () => Promise<string[]>) => async () => {
    setBusy(action);
    setError(null);
    try {
      setOpened(await call());
    } catch (thrown) {
      setError({ action, error: toAppError(thrown) });
    } finally {
      setBusy(null);
    }
  };
  const failed = (action: Action) =>
    error?.action === action ? (
      <StatusMessage kind="error" error={error.error}>
        {FAILED[action]}
      </StatusMessage>
    ) : null;

  return (
    <main className="centered-view">
      <section className="card start-card" data-testid="start-screen" aria-labelledby="start-title">
        <Icon name="book" className="card-icon" />
        <h1 id="start-title">Fieldbook</h1>
        <p className="muted">Field notes — sites, samples, measurements — in notebooks that stay readable for years.</p>
        <div className="start-actions">
          <button type="button" className="button button-primary" disabled={busy !== null} onClick={run('open', () => api.openNotebook())}>
            <Icon name="folder" /> Open notebook…
          </button>
          <button
            type="button"
            className="button"
            disabled={busy !== null}
            onClick={run('new', async () => {
              const name = await api.newNotebook();
              return name ? [name] : [];
            })}
          >
            <Icon name="plus" /> New notebook…
          </button>
        </div>
        {failed('open')}
        {failed('new')}
        <div className="start-sample" data-testid="start-sample">
          <h2>New to Fieldbook?</h2>
          <p>
            The sample notebook is a 2018 glacier survey kept with Fieldbook 1.0, with the awkward values old notebooks hold. It is written to your Documents folder as a new file
            and opens upgraded to today’s format, with a backup of the old file and what the upgrade could not carry over listed as data issues.
          </p>
          <button type="button" className="button" disabled={busy !== null} onClick={run('sample', async () => [(await api.openSampleNotebook()).name])}>
            <Icon name="history" /> Open sample notebook
          </button>
          {failed('sample')}
        </div>
        {busy && <StatusMessage kind="loading">{busy === 'sample' ? 'Writing the sample notebook…' : 'Waiting for your choice…'}</StatusMessage>}
        {!busy && opened.length > 0 && (
          <p className="start-opened" role="status" data-testid="start-opened">
            Opened {opened.map((name) => `“${name}”`).join(', ')} in {opened.length === 1 ? 'a new window' : 'new windows'}.
          </p>
        )}
      </section>
    </main>
  );
}

const FAILED: Record<Action, string> = {
  open: 'The notebook could not be opened.',
  new: 'The notebook could not be created.',
  sample: 'The sample notebook could not be written.',
};
