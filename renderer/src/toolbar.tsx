import type { WindowDocument } from '../../main/ipc/contract';
import { Icon } from './icon';
import { formatCount } from './format-values';
import { SHORTCUTS } from './shortcuts';
import type { UndoControls } from './use-undo';

export type ToolbarAction = 'info' | 'issues' | 'export' | 'export-version';

/** The window's top bar: the notebook's name and state, and the document-wide commands. */
export function Toolbar({
  document: doc,
  openIssues,
  exportBlocked,
  onAction,
  undo,
}: {
  document: WindowDocument;
  undo: UndoControls;
  /** True for a notebook from a newer Fieldbook, which this one cannot export. */
  exportBlocked: boolean;
  /** Unresolved data issues, when known. */
  openIssues: number | undefined;
  onAction: (action: ToolbarAction) => void;
}) {
  const exportTitle = exportBlocked ? 'This Fieldbook cannot export a notebook made by a newer Fieldbook' : undefined;
  return (
    <header className="toolbar">
      <div className="toolbar-title">
        <Icon name="book" className="app-mark" />
        <h1 className="document-name" title={doc.name}>
          {doc.name}
        </h1>
        {doc.readOnly && (
          <span className="pill pill-warning">
            <Icon name="lock" /> Read-only
          </span>
        )}
      </div>
      <div className="toolbar-actions">
        {!doc.readOnly && (
          <>
            <button
              type="button"
              className="button button-quiet button-icon"
              data-testid="undo"
              onClick={undo.undo}
              disabled={!undo.state.undo}
              aria-label={undo.state.undo ? `Undo ${undo.state.undo}` : 'Nothing to undo'}
              title={`${undo.state.undo ? `Undo ${undo.state.undo}` : 'Nothing to undo'} (${SHORTCUTS.undo})`}
            >
              <Icon name="undo" />
            </button>
            <button
              type="button"
              className="button button-quiet button-icon"
              data-testid="redo"
              onClick={undo.redo}
              disabled={!undo.state.redo}
              aria-label={undo.state.redo ? `Redo ${undo.state.redo}` : 'Nothing to redo'}
              title={`${undo.state.redo ? `Redo ${undo.state.redo}` : 'Nothing to redo'} (${SHORTCUTS.redo})`}
            >
              <Icon name="redo" />
            </button>
            <span className="toolbar-separator" aria-hidden="true" />
          </>
        )}
        <button type="button" className="button button-quiet" onClick={() => onAction('info')}>
          <Icon name="info" /> Document info
        </button>
        <button type="button" className="button button-quiet" onClick={() => onAction('issues')} aria-describedby={openIssues ? 'open-issue-count' : undefined}>
          <Icon name="flag" /> Data issues
          {openIssues ? (
            <span className="badge" aria-hidden="true">
              {formatCount(openIssues)}
            </span>
          ) : null}
          {openIssues ? (
            <span id="open-issue-count" hidden>
              {formatCount(openIssues)} unresolved
            </span>
          ) : null}
        </button>
        <span className="toolbar-separator" aria-hidden="true" />
        <button type="button" className="button button-quiet" onClick={() => onAction('export')} disabled={exportBlocked} title={exportTitle}>
          <Icon name="export" /> Export subset…
        </button>
        <button type="button" className="button button-quiet" onClick={() => onAction('export-version')} disabled={exportBlocked} title={exportTitle}>
          <Icon name="history" /> Export for older version…
        </button>
      </div>
    </header>
  );
}
