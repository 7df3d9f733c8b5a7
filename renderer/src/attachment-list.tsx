import { useState } from 'react';
import type { AttachmentView, DocumentId, SampleDetail } from '../../main/ipc/contract';
import { api, toAppError, type AppError } from './api';
import { AttachmentPreviewDialog } from './attachment-preview';
import { formatBytes } from './format-values';
import { Icon } from './icon';

/**
 * A sample's attached files: name, type and size (the bytes stay in the notebook). A name opens
 * its preview; in a writable notebook files can be attached (main's open dialog: the renderer
 * never sees a path) and removed, each one edit that can be undone.
 */
export function AttachmentList({
  documentId,
  sample,
  readOnly,
  onChanged,
  onError,
}: {
  documentId: DocumentId;
  sample: SampleDetail;
  readOnly: boolean;
  /** An edit was made (the sample reloads); `message` says which. */
  onChanged: (message: string) => void;
  onError: (error: AppError) => void;
}) {
  const [previewing, setPreviewing] = useState<AttachmentView | null>(null);
  const [busy, setBusy] = useState(false);
  const attach = () => {
    setBusy(true);
    api
      .attachFiles(documentId, sample.id)
      .then(
        (updated) => {
          if (!updated) return;
          const added = updated.attachments.length - sample.attachments.length;
          onChanged(`Attached ${added === 1 ? 'a file' : `${added} files`} to sample ${sample.code}.`);
        },
        (e: unknown) => onError(toAppError(e)),
      )
      .finally(() => setBusy(false));
  };
  const remove = (attachment: AttachmentView) => {
    api.deleteAttachment(documentId, attachment.id).then(
      () => onChanged(`Removed ${attachment.filename}; it can be undone.`),
      (e: unknown) => onError(toAppError(e)),
    );
  };
  return (
    <>
      <div className="section-heading">
        <h3 id="detail-attachments">Attachments</h3>
        {!readOnly && (
          <button type="button" className="button button-small" onClick={attach} disabled={busy}>
            <Icon name="paperclip" /> Attach files…
          </button>
        )}
      </div>
      <ul data-testid="attachment-list" className="attachment-list" role="list" aria-label="Attachments">
        {sample.attachments.map((a) => (
          <li key={a.id} className="attachment" data-attachment-id={a.id}>
            <Icon name="paperclip" />
            <button type="button" className="attachment-name link-button" onClick={() => setPreviewing(a)} title={`Preview ${a.filename}`}>
              {a.filename}
            </button>
            <span className="muted small">{[a.mime, formatBytes(a.bytes)].filter(Boolean).join(' · ')}</span>
            {!readOnly && (
              <button type="button" className="button button-quiet button-small button-icon" aria-label={`Remove ${a.filename}`} title="Remove" onClick={() => remove(a)}>
                <Icon name="trash" />
              </button>
            )}
          </li>
        ))}
      </ul>
      {sample.attachments.length === 0 && <p className="muted small">No attachments.</p>}
      {previewing && <AttachmentPreviewDialog documentId={documentId} attachment={previewing} onClose={() => setPreviewing(null)} />}
    </>
  );
}
