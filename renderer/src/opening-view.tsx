import type { WindowDocument } from '../../main/ipc/contract';
import { Icon } from './icon';
import { StatusMessage } from './status-message';

/**
 * A document on its way in. When it is being upgraded: which step of how many, as a progress
 * bar (the upgrade runs in the background, so the window stays responsive).
 */
export function OpeningView({ document: doc }: { document: WindowDocument }) {
  const upgrading = doc.upgrading;
  if (!upgrading) {
    return (
      <main className="centered-view">
        <StatusMessage kind="loading">Opening “{doc.name}”…</StatusMessage>
      </main>
    );
  }
  // Before its first step the job reports a pseudo-step, "starting" (classifying, backing up).
  const preparing = upgrading.step === 'starting';
  const step = Math.min(upgrading.index + 1, Math.max(upgrading.total, 1));
  const caption = preparing ? `Preparing the upgrade (${upgrading.total} ${upgrading.total === 1 ? 'step' : 'steps'})…` : `Step ${step} of ${upgrading.total}: ${upgrading.step}`;
  return (
    <main className="centered-view">
      <section className="card opening-card" aria-labelledby="opening-title" aria-busy="true">
        <Icon name="history" className="card-icon" />
        <h1 id="opening-title">Upgrading “{doc.name}”</h1>
        <p className="muted">This notebook was made by an earlier Fieldbook. It is being brought up to date; a backup of the original is saved first.</p>
        {preparing ? (
          <progress data-testid="upgrade-progress" aria-label="Upgrade progress">
            {caption}
          </progress>
        ) : (
          // The running step counts half: the bar moves as soon as a step starts, and is full only when the last has ended.
          <progress data-testid="upgrade-progress" max={upgrading.total || 1} value={Math.min(upgrading.index + 0.5, upgrading.total)} aria-label="Upgrade progress">
            {caption}
          </progress>
        )}
        <p className="progress-caption" aria-live="polite">
          {caption}
        </p>
      </section>
    </main>
  );
}
