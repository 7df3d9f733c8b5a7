import { useState } from 'react';
import type { DocumentId, WindowDocument } from '../../main/ipc/contract';
import { api, toAppError, type AppError } from './api';
import { asSentence } from './format-values';
import { Icon } from './icon';

/** After an upgrade on open: from which version to which, and the way to the backup. */
export function UpgradedBanner({ documentId, upgraded, onDismiss }: { documentId: DocumentId; upgraded: NonNullable<WindowDocument['upgraded']>; onDismiss: () => void }) {
  const [error, setError] = useState<AppError | null>(null);
  const showBackup = () => {
    setError(null);
    api.showBackup(documentId).catch((e: unknown) => setError(toAppError(e)));
  };
  return (
    <div className="banner banner-success" data-testid="banner-upgraded" role="status">
      <Icon name="check" className="banner-icon" />
      <div className="banner-text">
        <p className="banner-title">
          Upgraded from version {upgraded.from} to {upgraded.to}
          {upgraded.backupName ? ' — backup saved' : ''}
        </p>
        {upgraded.backupName && <p className="banner-detail">The original is kept as “{upgraded.backupName}”.</p>}
        {error && (
          <p className="banner-detail banner-error" role="alert">
            The backup could not be shown. {asSentence(error.message)}
          </p>
        )}
      </div>
      <div className="banner-actions">
        {upgraded.backupName && (
          <button type="button" className="button" onClick={showBackup}>
            <Icon name="folder" /> Show backup
          </button>
        )}
        <button type="button" className="button button-quiet" onClick={onDismiss}>
          Dismiss
        </button>
      </div>
    </div>
  );
}
