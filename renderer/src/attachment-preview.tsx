import { lazy, Suspense, useEffect, useMemo, useState } from 'react';
import type { AttachmentContent, AttachmentView, DocumentId } from '../../main/ipc/contract';
import { api, toAppError, type AppError } from './api';
import { formatBytes } from './format-values';
import { Icon } from './icon';
import { Modal } from './modal';
import { StatusMessage } from './status-message';
import { useLoader } from './use-loader';

// pdf.js is loaded the first time a PDF is shown, not with the window.
const PdfPages = lazy(() => import('./pdf-pages').then((m) => ({ default: m.PdfPages })));

/** The bytes of base64 text (Chromium's own decoder where it has one). */
function bytesOf(base64: string): Uint8Array {
  const fromBase64 = (Uint8Array as unknown as { fromBase64?: (text: string) => Uint8Array }).fromBase64;
  if (fromBase64) return fromBase64(base64);
  const text = atob(base64);
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}

/**
 * An attachment shown in the window: an image, a PDF page by page, or text; any other file (or
 * one too large to show) can be saved as a copy and opened with another app.
 */
export function AttachmentPreviewDialog({ documentId, attachment, onClose }: { documentId: DocumentId; attachment: AttachmentView; onClose: () => void }) {
  const loaded = useLoader(() => api.attachmentContent(documentId, attachment.id), [documentId, attachment.id]);
  const [saved, setSaved] = useState<string | null>(null);
  const [saveError, setSaveError] = useState<AppError | null>(null);
  const save = () => {
    setSaveError(null);
    api.saveAttachment(documentId, attachment.id).then(
      (name) => name && setSaved(name),
      (e: unknown) => setSaveError(toAppError(e)),
    );
  };
  const content = loaded.value;
  return (
    <Modal
      title={attachment.filename}
      testId="attachment-preview"
      size="large"
      onClose={onClose}
      description={[attachment.mime, formatBytes(attachment.bytes)].filter(Boolean).join(' · ')}
      footer={
        <>
          {saved && (
            <span className="muted small" role="status">
              Saved a copy as {saved}.
            </span>
          )}
          <button type="button" className="button" onClick={save}>
            <Icon name="export" /> Save a copy…
          </button>
          <button type="button" className="button button-primary" onClick={onClose} data-autofocus>
            Close
          </button>
        </>
      }
    >
      {saveError && (
        <StatusMessage kind="error" error={saveError}>
          The copy was not saved.
        </StatusMessage>
      )}
      {loaded.error ? (
        <StatusMessage kind="error" error={loaded.error} retry={loaded.reload}>
          This attachment could not be read.
        </StatusMessage>
      ) : !content ? (
        <StatusMessage kind="loading">Loading {attachment.filename}…</StatusMessage>
      ) : (
        <PreviewBody content={content} />
      )}
    </Modal>
  );
}

function PreviewBody({ content }: { content: AttachmentContent }) {
  const bytes = useMemo(() => (content.base64 === null ? null : bytesOf(content.base64)), [content.base64]);
  if (!bytes || content.preview === null) {
    return (
      <StatusMessage kind="empty">
        {content.preview === null ? 'Fieldbook cannot show this kind of file.' : 'This file is too large to show here.'} Save a copy to open it with another app.
      </StatusMessage>
    );
  }
  if (content.preview === 'image') return <ImagePreview bytes={bytes} mime={content.mime} name={content.filename} />;
  if (content.preview === 'pdf') {
    return (
      <Suspense fallback={<StatusMessage kind="loading">Opening {content.filename}…</StatusMessage>}>
        <PdfPages data={bytes} name={content.filename} />
      </Suspense>
    );
  }
  return (
    <pre className="attachment-text" data-testid="attachment-text">
      {new TextDecoder('utf-8').decode(bytes)}
    </pre>
  );
}

function ImagePreview({ bytes, mime, name }: { bytes: Uint8Array; mime: string | null; name: string }) {
  const [url, setUrl] = useState<string | null>(null);
  const [broken, setBroken] = useState(false);
  useEffect(() => {
    const made = URL.createObjectURL(new Blob([bytes as BlobPart], mime === 'image/svg+xml' ? { type: mime } : {}));
    // The object URL is a resource outside React, made and revoked with this effect.
    // eslint-disable-next-line react-hooks/set-state-in-effect
    setUrl(made);
    return () => URL.revokeObjectURL(made);
  }, [bytes, mime]);
  if (broken)
    return (
      <StatusMessage kind="empty">This image cannot be shown (its data is damaged or in a format Fieldbook cannot draw). Save a copy to open it with another app.</StatusMessage>
    );
  return url ? <img className="attachment-image" src={url} alt={name} data-testid="attachment-image" onError={() => setBroken(true)} /> : null;
}
