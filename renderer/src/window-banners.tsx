import { useEffect } from 'react';
import type { WindowDocument } from '../../main/ipc/contract';
import { CheckingNotice, DamagedBanner } from './damaged-banner';
import { NewerNotebookBanner } from './newer-notebook';
import { ReadOnlyBanner, StorageBanner } from './read-only-banner';
import { UpgradedBanner } from './upgraded-banner';

/**
 * What a window says above its notebook, when anything: upgraded on open (until dismissed),
 * damaged, from a newer Fieldbook or otherwise read-only, on a risky drive, being checked.
 */
export function WindowBanners({ doc, upgradeSeen, onDismissUpgrade }: { doc: WindowDocument; upgradeSeen: boolean; onDismissUpgrade: () => void }) {
  const upgraded = doc.upgraded && !upgradeSeen ? doc.upgraded : null;
  if (!upgraded && !doc.readOnly && doc.status !== 'newer' && doc.check !== 'checking' && !doc.storageWarning) return null;
  return (
    <div className="banners">
      {upgraded && <UpgradedBanner documentId={doc.id} upgraded={upgraded} onDismiss={onDismissUpgrade} />}
      {doc.check === 'damaged' && <DamagedBanner documentId={doc.id} damage={doc.damage} />}
      {doc.status === 'newer' ? <NewerNotebookBanner doc={doc} /> : doc.readOnly && doc.check !== 'damaged' && <ReadOnlyBanner reason={doc.readOnlyReason} />}
      {doc.storageWarning && <StorageBanner warning={doc.storageWarning} />}
      {doc.check === 'checking' && <CheckingNotice />}
    </div>
  );
}

/** A note ("Saved sample R-1") stays a few seconds, then `clear` is called; a new note starts its own time. */
export function useFading(note: string, clear: () => void, ms = 5000): void {
  useEffect(() => {
    if (!note) return undefined;
    const timer = setTimeout(clear, ms);
    return () => clearTimeout(timer);
    // `clear` is a new closure on every render: the note decides.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [note, ms]);
}
