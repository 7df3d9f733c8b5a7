import { useState } from 'react';
import type { DocumentId, SalvageOutcome } from '../../main/ipc/contract';
import { api, toAppError, type AppError } from './api';
import { asSentence } from './format-values';
import { Icon } from './icon';

/**
 * The notebook failed its check for damage: it is open read-only, says what is wrong, and offers
 * the ways out: open the latest backup, salvage what can be read into a new notebook, show the file.
 */
export function DamagedBanner({ documentId, damage }: { documentId: DocumentId; damage: string | null }) {
  const [error, setError] = useState<AppError | null>(null);
  const [salvaging, setSalvaging] = useState(false);
  const [salvaged, setSalvaged] = useState<SalvageOutcome | null>(null);
  const act = (action: () => Promise<unknown>) => {
    setError(null);
    action().catch((e: unknown) => setError(toAppError(e)));
  };
  const salvage = () =>
    act(async () => {
      setSalvaging(true);
      try {
        const outcome = await api.salvage(documentId, `salvage-${Date.now()}`);
        if (outcome) setSalvaged(outcome);
      } finally {
        setSalvaging(false);
      }
    });
  return (
    <div className="banner banner-danger" data-testid="banner-damaged" role="status">
      <Icon name="alert" className="banner-icon" />
      <div className="banner-text">
        <p className="banner-title">This notebook is damaged — opened read-only</p>
        <p className="banner-detail">
          {asSentence(damage ?? 'It failed its check for damage.')} Nothing will be written to it. Open the latest backup, or salvage what can still be read into a new notebook.
        </p>
        {salvaging && (
          <p className="banner-detail" data-testid="salvage-progress">
            Salvaging: reading every table around the damaged pages…
          </p>
        )}
        {salvaged && (
          <div className="banner-detail" data-testid="salvage-report">
            <p>
              Salvaged {salvaged.recovered} rows into “{salvaged.name}”.
            </p>
            <ul className="salvage-tables">
              {salvaged.tables.map((t) => (
                <li key={t.name}>
                  {t.name}: {t.unreadable ? 'could not be read' : `${t.recovered} rows`}
                  {t.lostAtMost === null ? ', the rest lost' : t.lostAtMost > 0 ? `, up to ${t.lostAtMost} lost` : ''}
                </li>
              ))}
            </ul>
          </div>
        )}
        {error && (
          <p className="banner-detail banner-error" role="alert">
            {asSentence(error.message)}
          </p>
        )}
      </div>
      <div className="banner-actions">
        <button type="button" className="button" onClick={() => act(() => api.openLatestBackup(documentId))}>
          <Icon name="history" /> Open latest backup
        </button>
        <button type="button" className="button button-primary" disabled={salvaging} onClick={salvage}>
          <Icon name="export" /> Salvage into a new notebook…
        </button>
        <button type="button" className="button button-quiet" onClick={() => act(() => api.showDocumentFile(documentId))}>
          <Icon name="folder" /> Show file
        </button>
      </div>
    </div>
  );
}

/** While the notebook is checked for damage in the background (it stays usable). */
export function CheckingNotice() {
  return (
    <p className="checking-notice" data-testid="checking-notice" role="status">
      <Icon name="info" /> Checking this notebook for damage…
    </p>
  );
}
