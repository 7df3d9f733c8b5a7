import type { AttachmentView } from '../../main/ipc/contract';
import { Icon } from './icon';
import { formatBytes } from './format-values';

/** A sample's attached files: name, type and size (the bytes stay in the notebook). */
export function AttachmentList({ attachments }: { attachments: AttachmentView[] }) {
  return (
    <>
      <ul data-testid="attachment-list" className="attachment-list" role="list" aria-label="Attachments">
        {attachments.map((a) => (
          <li key={a.id} className="attachment">
            <Icon name="paperclip" />
            <span className="attachment-name">{a.filename}</span>
            <span className="muted small">{[a.mime, formatBytes(a.bytes)].filter(Boolean).join(' · ')}</span>
          </li>
        ))}
      </ul>
      {attachments.length === 0 && <p className="muted small">No attachments.</p>}
    </>
  );
}
