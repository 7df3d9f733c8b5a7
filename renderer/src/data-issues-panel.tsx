import { useEffect, useRef, useState } from 'react';
import type { DataIssueView, DocumentId } from '../../main/ipc/contract';
import { api, toAppError, type AppError } from './api';
import { Modal } from './modal';
import { StatusMessage } from './status-message';
import { useLoader } from './use-loader';
import { countOf, formatCount } from './format-values';

const ISSUE_PAGE = 200;

/** An original value as the user should see it: empty text and missing values said in words. */
function OriginalValue({ value }: { value: string | null }) {
  if (value === null) return <span className="muted">no value</span>;
  if (value === '') return <span className="muted">empty text</span>;
  return <code className="original-value">{value}</code>;
}

/**
 * Data issues: the values upgrades had to change, with what they were, why, and by which
 * version; each can be marked resolved (not in a read-only notebook). `onChanged` is called
 * after each change so the window can update its count.
 */
export function DataIssuesPanel({
  documentId,
  readOnly,
  onClose,
  onChanged,
  onShowSample,
}: {
  documentId: DocumentId;
  readOnly: boolean;
  onClose: () => void;
  onChanged: () => void;
  /** Closes the panel and selects the sample an issue is about. */
  onShowSample: (sampleId: number) => void;
}) {
  const [showResolved, setShowResolved] = useState(false);
  // An upgrade of a large notebook can leave thousands of issues: rows are added a page at a time.
  const [shown, setShown] = useState(ISSUE_PAGE);
  const issues = useLoader(() => api.listDataIssues(documentId, showResolved), [documentId, showResolved]);
  const [pending, setPending] = useState<number | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const [announcement, setAnnouncement] = useState('');
  // After a change the row may leave the list: focus then goes to the row that takes its place.
  const [refocusRow, setRefocusRow] = useState<number | null>(null);
  const listBeforeChange = useRef<DataIssueView[] | undefined>(undefined);
  const tableRef = useRef<HTMLTableSectionElement>(null);

  const setResolved = async (issue: DataIssueView, resolved: boolean, row: number) => {
    setPending(issue.id);
    setError(null);
    try {
      await api.setIssueResolved(documentId, issue.id, resolved);
      setAnnouncement(`Issue ${issue.id} marked ${resolved ? 'resolved' : 'unresolved'}.`);
      listBeforeChange.current = issues.value;
      setRefocusRow(row);
      issues.reload();
      onChanged();
    } catch (e) {
      setError(toAppError(e));
    } finally {
      setPending(null);
    }
  };

  const list = issues.value;
  useEffect(() => {
    if (refocusRow === null || list === listBeforeChange.current) return;
    const buttons = tableRef.current?.querySelectorAll<HTMLButtonElement>('button.resolve-button') ?? [];
    const target = buttons[Math.min(refocusRow, buttons.length - 1)];
    if (target && !target.disabled) target.focus();
    else document.querySelector<HTMLElement>('[data-testid="issues-panel"] input[type="checkbox"]')?.focus();
    setRefocusRow(null);
  }, [list, refocusRow]);
  const footer = (
    <button type="button" className="button button-primary" onClick={onClose}>
      Close
    </button>
  );

  return (
    <Modal
      title="Data issues"
      onClose={onClose}
      testId="issues-panel"
      size="large"
      footer={footer}
      description="Values an upgrade could not carry over as they were. The original values are kept here, so nothing is lost."
    >
      <div className="panel-toolbar">
        <label className="checkbox">
          <input type="checkbox" checked={showResolved} onChange={(e) => setShowResolved(e.target.checked)} data-autofocus />
          Show resolved
        </label>
        {list && <span className="muted small">{countOf(list.length, showResolved ? 'issue' : 'open issue')}</span>}
      </div>
      {readOnly && <p className="notice">This notebook is open read-only, so issues cannot be marked resolved.</p>}
      {error && (
        <StatusMessage kind="error" error={error}>
          The issue could not be changed.
        </StatusMessage>
      )}
      {issues.error && (
        <StatusMessage kind="error" error={issues.error} retry={issues.reload}>
          The data issues could not be loaded.
        </StatusMessage>
      )}
      {!list && !issues.error && <StatusMessage kind="loading">Loading data issues…</StatusMessage>}
      {list?.length === 0 && (
        <StatusMessage kind="empty">
          {showResolved ? 'No upgrade has changed any value in this notebook.' : 'No open issues. Every value changed by an upgrade has been checked.'}
        </StatusMessage>
      )}
      {list && list.length > 0 && (
        <div className="table-scroll">
          <table className="data-table issues-table">
            <thead>
              <tr>
                <th scope="col">Where</th>
                <th scope="col">Original value</th>
                <th scope="col">What happened</th>
                <th scope="col" className="numeric">
                  Version
                </th>
                <th scope="col">
                  <span className="visually-hidden">Action</span>
                </th>
              </tr>
            </thead>
            <tbody ref={tableRef}>
              {list.slice(0, shown).map((issue, row) => (
                <tr key={issue.id} data-testid="data-issue-row" data-issue-row={issue.id} className={issue.resolved ? 'is-resolved' : undefined}>
                  <td title={`${issue.tableName}.${issue.columnName}, row ${issue.rowId}`}>
                    <span className="issue-where">{issue.field}</span>
                    <span className="small block">{issue.subject}</span>
                    {issue.sampleId !== null && (
                      <button type="button" className="link-button small block" onClick={() => onShowSample(issue.sampleId!)}>
                        Show sample
                      </button>
                    )}
                  </td>
                  <td>
                    <OriginalValue value={issue.originalValue} />
                  </td>
                  <td>{issue.message}</td>
                  <td className="numeric">{issue.schemaVersion}</td>
                  <td className="action-cell">
                    {issue.resolved && <span className="pill pill-success">Resolved</span>}
                    {issue.resolved ? (
                      <button
                        type="button"
                        className="button button-small resolve-button"
                        disabled={readOnly || pending === issue.id}
                        onClick={() => void setResolved(issue, false, row)}
                      >
                        Mark unresolved
                      </button>
                    ) : (
                      <button
                        type="button"
                        className="button button-small resolve-button"
                        disabled={readOnly || pending === issue.id}
                        onClick={() => void setResolved(issue, true, row)}
                      >
                        Mark resolved
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {list && list.length > shown && (
        <div className="list-action">
          <button type="button" className="button" onClick={() => setShown((n) => n + ISSUE_PAGE)}>
            Show {formatCount(Math.min(ISSUE_PAGE, list.length - shown))} more of {formatCount(list.length - shown)}
          </button>
        </div>
      )}
      <div className="visually-hidden" aria-live="polite">
        {announcement}
      </div>
    </Modal>
  );
}
