import { useEffect, useRef } from 'react';
import type { JobProgress } from '../../main/ipc/contract';
import { formatCount } from './format-values';

function describe(progress: JobProgress | null): string {
  if (!progress) return 'Preparing the export…';
  if (progress.phase === 'selecting') return 'Selecting the samples…';
  if (progress.phase === 'copying') return progress.table ? `Copying ${progress.table}…` : 'Copying rows…';
  if (progress.phase === 'finishing') return 'Checking and saving the file…';
  return `${progress.phase.charAt(0).toUpperCase()}${progress.phase.slice(1)}…`;
}

/** A running export: what it is doing, rows copied of how many, and "Cancel". */
export function ExportProgress({ progress, cancelling, onCancel }: { progress: JobProgress | null; cancelling: boolean; onCancel: () => void }) {
  const known = progress !== null && progress.total > 0;
  const cancelRef = useRef<HTMLButtonElement>(null);
  // The control that started the export is gone; keyboard focus goes to the one thing left to do.
  useEffect(() => cancelRef.current?.focus(), []);
  return (
    <div className="export-progress" data-testid="export-progress">
      <p className="progress-label" role="status">
        {cancelling ? 'Cancelling…' : describe(progress)}
      </p>
      {known ? <progress max={progress.total} value={Math.min(progress.copied, progress.total)} aria-label="Export progress" /> : <progress aria-label="Export progress" />}
      <div className="progress-footer">
        <span className="muted small">{known ? `${formatCount(progress.copied)} of ${formatCount(progress.total)} rows` : '\u00a0'}</span>
        <button type="button" className="button" onClick={onCancel} disabled={cancelling} ref={cancelRef}>
          Cancel
        </button>
      </div>
    </div>
  );
}
