import type { WindowDocument } from '../../main/ipc/contract';
import { Icon } from './icon';

type WindowError = NonNullable<WindowDocument['error']>;

/** Why a file could not be opened (foreign, damaged, ...), its error code, and what to do. */
export function ErrorView({ name, error }: { name: string | null; error: WindowError }) {
  return (
    <main className="centered-view">
      <section className="card error-card" data-testid="error-view" aria-labelledby="error-title">
        <Icon name="alert" className="card-icon card-icon-error" />
        <h1 id="error-title">{name ? `Fieldbook can’t open “${name}”` : 'Fieldbook can’t show this notebook'}</h1>
        <p className="error-message">{error.message}</p>
        <div className="advice">
          <h2>What to do</h2>
          <p data-testid="error-advice">{error.advice}</p>
        </div>
        <p className="muted error-code-line">
          Error code <code data-testid="error-code">{error.code}</code>
        </p>
      </section>
    </main>
  );
}
