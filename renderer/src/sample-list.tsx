import { useRef, type KeyboardEvent } from 'react';
import type { SampleSummary } from '../../main/ipc/contract';

const STEPS: Record<string, (index: number, count: number) => number> = {
  ArrowDown: (i) => i + 1,
  ArrowUp: (i) => i - 1,
  PageDown: (i) => i + 10,
  PageUp: (i) => i - 10,
  Home: () => 0,
  End: (_, count) => count - 1,
};

/**
 * The samples, one button per row. One Tab stop for the whole list (the selected row, or the
 * first); the arrow keys, Page Up/Down, Home and End move the selection.
 */
export function SampleList({
  samples,
  selectedId,
  onSelect,
  busy,
  showSite,
}: {
  samples: SampleSummary[];
  selectedId: number | null;
  onSelect: (id: number) => void;
  busy: boolean;
  /** Name each sample's site (the list holds several sites' samples). */
  showSite: boolean;
}) {
  const listRef = useRef<HTMLUListElement>(null);
  const selectedIndex = samples.findIndex((s) => s.id === selectedId);
  const tabStop = selectedIndex >= 0 ? selectedIndex : 0;

  const onKeyDown = (event: KeyboardEvent<HTMLButtonElement>, index: number) => {
    const step = STEPS[event.key];
    if (!step || event.altKey || event.ctrlKey || event.metaKey) return;
    event.preventDefault();
    const next = Math.max(0, Math.min(samples.length - 1, step(index, samples.length)));
    const sample = samples[next];
    if (!sample) return;
    onSelect(sample.id);
    listRef.current?.querySelectorAll<HTMLButtonElement>('button.sample-row')[next]?.focus();
  };

  return (
    <ul ref={listRef} className={`sample-rows${busy ? ' is-busy' : ''}`} role="list" aria-busy={busy || undefined}>
      {samples.map((sample, index) => (
        <li key={sample.id}>
          <button
            type="button"
            className="sample-row"
            data-sample-id={sample.id}
            aria-current={sample.id === selectedId ? 'true' : undefined}
            tabIndex={index === tabStop ? 0 : -1}
            onClick={() => onSelect(sample.id)}
            onKeyDown={(event) => onKeyDown(event, index)}
          >
            <span className="sample-row-top">
              <span className="sample-code">{sample.code}</span>{' '}
              {sample.collectedOn && (
                <time className="sample-date" dateTime={sample.collectedOn}>
                  {sample.collectedOn}
                </time>
              )}
            </span>{' '}
            {showSite && <span className="sample-site">{sample.siteName ?? 'No site'}</span>}
            <span className="sample-description">{sample.description || <em className="muted">No description</em>}</span>{' '}
            {sample.tags.length > 0 && (
              <span className="sample-tags">
                {sample.tags.map((tag) => (
                  <span key={tag} className="chip chip-small">
                    {tag}{' '}
                  </span>
                ))}
              </span>
            )}
          </button>
        </li>
      ))}
    </ul>
  );
}
