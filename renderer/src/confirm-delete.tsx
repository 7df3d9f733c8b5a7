import { useState } from 'react';
import type { DocumentId } from '../../main/ipc/contract';
import { api, toAppError, type AppError } from './api';
import { countOf } from './format-values';
import { Modal } from './modal';
import { StatusMessage } from './status-message';
import { useLoader } from './use-loader';

/** What is deleted: a site (with its samples) or a sample, by name. */
export type Deletion = { kind: 'site'; id: number; name: string } | { kind: 'sample'; id: number; name: string };

/**
 * "Delete …?" with what goes with it, counted from the notebook ("its 12 samples, 120
 * measurements, 3 tags and 2 attachments"); deleting can be undone (Edit ▸ Undo).
 */
export function ConfirmDelete({ documentId, deletion, onDeleted, onClose }: { documentId: DocumentId; deletion: Deletion; onDeleted: () => void; onClose: () => void }) {
  const counts = useLoader(
    () => api.deletionCounts(documentId, deletion.kind === 'site' ? { siteId: deletion.id } : { sampleId: deletion.id }),
    [documentId, deletion.kind, deletion.id],
  );
  const [deleting, setDeleting] = useState(false);
  const [error, setError] = useState<AppError | null>(null);
  const c = counts.value;
  const parts = c
    ? [
        ...(deletion.kind === 'site' ? [countOf(c.samples, 'sample')] : []),
        countOf(c.measurements, 'measurement'),
        countOf(c.tags, 'tag', 'tags'),
        countOf(c.attachments, 'attachment'),
      ]
    : [];
  const what = deletion.kind === 'site' ? `site “${deletion.name}”` : `sample “${deletion.name}”`;
  const remove = async () => {
    setDeleting(true);
    setError(null);
    try {
      await (deletion.kind === 'site' ? api.deleteSite(documentId, deletion.id) : api.deleteSample(documentId, deletion.id));
      onDeleted();
    } catch (e) {
      setError(toAppError(e));
      setDeleting(false);
    }
  };
  const footer = (
    <>
      <button type="button" className="button" onClick={onClose} disabled={deleting} data-autofocus>
        Cancel
      </button>
      <button type="button" className="button button-danger" onClick={() => void remove()} disabled={deleting || !c}>
        {deleting ? 'Deleting…' : 'Delete'}
      </button>
    </>
  );
  return (
    <Modal title={`Delete ${what}?`} onClose={onClose} locked={deleting} testId="confirm-delete" size="small" footer={footer}>
      {counts.error && (
        <StatusMessage kind="error" error={counts.error} retry={counts.reload}>
          What would be deleted could not be counted.
        </StatusMessage>
      )}
      {c && (
        <p data-testid="deletion-counts">
          {deletion.kind === 'site' ? 'The site is deleted with its samples and everything recorded for them: ' : 'The sample is deleted with '}
          {parts.slice(0, -1).join(', ')} and {parts.at(-1)}. You can undo this.
        </p>
      )}
      {error && (
        <StatusMessage kind="error" error={error}>
          Nothing was deleted.
        </StatusMessage>
      )}
    </Modal>
  );
}
