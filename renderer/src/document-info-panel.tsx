import { useState } from 'react';
import type { DocumentId, DocumentStatus } from '../../main/ipc/contract';
import { api, toAppError, type AppError } from './api';
import { asSentence, formatDateTime, formatDuration } from './format-values';
import { Icon } from './icon';
import { Modal } from './modal';
import { StatusMessage } from './status-message';
import { useLoader } from './use-loader';

const STATUS_TEXT: Record<DocumentStatus, string> = {
  current: 'Current',
  outdated: 'Made by an earlier Fieldbook',
  newer: 'Made by a newer Fieldbook',
  legacy: 'Fieldbook 0.9 file',
  foreign: 'Not a Fieldbook notebook',
  damaged: 'Damaged',
};

/**
 * Document Info: the file's application id, format version against the newest this app knows,
 * every migration applied to it (when, by which app version, how long it took), and where its
 * backups are kept.
 */
export function DocumentInfoPanel({ documentId, onClose }: { documentId: DocumentId; onClose: () => void }) {
  const info = useLoader(() => api.documentInfo(documentId), [documentId]);
  const [backupError, setBackupError] = useState<AppError | null>(null);
  const showBackup = () => {
    setBackupError(null);
    api.showBackup(documentId).catch((e: unknown) => setBackupError(toAppError(e)));
  };
  const footer = (
    <button type="button" className="button button-primary" onClick={onClose} data-autofocus>
      Close
    </button>
  );
  const value = info.value;

  return (
    <Modal title="Document info" onClose={onClose} testId="info-panel" size="large" footer={footer}>
      {info.error && (
        <StatusMessage kind="error" error={info.error} retry={info.reload}>
          The document’s details could not be read.
        </StatusMessage>
      )}
      {!value && !info.error && <StatusMessage kind="loading">Reading the document…</StatusMessage>}
      {value && (
        <>
          <dl className="facts">
            <div>
              <dt>File</dt>
              <dd>{value.name}</dd>
            </div>
            <div>
              <dt>Application ID</dt>
              <dd>
                <code>{value.applicationId}</code>
              </dd>
            </div>
            <div>
              <dt>Format version</dt>
              <dd>{value.version ?? 'none'}</dd>
            </div>
            <div>
              <dt>Head version</dt>
              <dd>
                {value.head} <span className="muted">(the newest this Fieldbook knows)</span>
              </dd>
            </div>
            <div>
              <dt>Status</dt>
              <dd>
                {STATUS_TEXT[value.status]}
                {value.readOnly ? ' · read-only' : ''}
              </dd>
            </div>
            <div>
              <dt>Backups</dt>
              <dd>
                <code className="path">{value.backupFolder}</code>
                {value.lastBackupName && <span className="muted block">Latest: {value.lastBackupName}</span>}
              </dd>
            </div>
          </dl>
          <div className="inline-actions">
            <button type="button" className="button" onClick={showBackup}>
              <Icon name="folder" /> Show backup
            </button>
            {backupError && (
              <span className="inline-error" role="alert">
                {asSentence(backupError.message)}
              </span>
            )}
          </div>
          <h3 className="section-title">Applied migrations</h3>
          {value.applied.length === 0 ? (
            <StatusMessage kind="empty">No migrations are recorded in this document.</StatusMessage>
          ) : (
            <div className="table-scroll">
              <table className="data-table" data-testid="applied-migrations">
                <thead>
                  <tr>
                    <th scope="col" className="numeric">
                      Version
                    </th>
                    <th scope="col">Migration</th>
                    <th scope="col">Applied</th>
                    <th scope="col">App version</th>
                    <th scope="col" className="numeric">
                      Duration
                    </th>
                    <th scope="col">How</th>
                  </tr>
                </thead>
                <tbody>
                  {value.applied.map((m) => (
                    <tr key={m.version}>
                      <td className="numeric">{m.version}</td>
                      <td>
                        <code>{m.name}</code>
                      </td>
                      <td>
                        <time dateTime={m.appliedAt} title={m.appliedAt}>
                          {formatDateTime(m.appliedAt)}
                        </time>
                      </td>
                      <td>{m.appVersion}</td>
                      <td className="numeric">{formatDuration(m.durationMs)}</td>
                      <td>{m.method}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </>
      )}
    </Modal>
  );
}
