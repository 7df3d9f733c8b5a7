import type { ReactNode } from 'react';
import type { AppError } from './api';
import { asSentence } from './format-values';

/**
 * What a region shows in place of its content: while it loads, when there is nothing to show,
 * or when loading failed (with the app's error code and, when given, a way to try again).
 */
export function StatusMessage(
  props:
    | { kind: 'loading'; children: ReactNode }
    | { kind: 'empty'; children: ReactNode; action?: ReactNode }
    | { kind: 'error'; error: AppError; retry?: () => void; children?: ReactNode },
) {
  if (props.kind === 'loading') {
    return (
      <div className="status-message status-loading" role="status">
        <span className="spinner" aria-hidden="true" />
        <span>{props.children}</span>
      </div>
    );
  }
  if (props.kind === 'empty') {
    return (
      <div className="status-message status-empty">
        <p>{props.children}</p>
        {props.action}
      </div>
    );
  }
  return (
    <div className="status-message status-error" role="alert">
      <p>
        {props.children ?? 'Something went wrong.'} {asSentence(props.error.message)} <code className="error-code-inline">{props.error.code}</code>
      </p>
      {props.retry && (
        <button type="button" className="button" onClick={props.retry}>
          Try again
        </button>
      )}
    </div>
  );
}
