import type { ReactNode } from 'react';
import type { AppError } from './api';
import { asSentence } from './format-values';

/** What went wrong, in words (the error's code is for support, not for the user: kept in data-code). */
export function FieldError({ id, error }: { id: string; error: AppError }) {
  return (
    <p id={id} className="form-error" data-testid="form-error" data-code={error.code} role="alert">
      {asSentence(error.message)}{ERROR_ADVICE[error.code] ? ` ${ERROR_ADVICE[error.code]}` : ''}
    </p>
  );
}

const ERROR_ADVICE: Record<string, string> = {
  LOCKED: 'Another program or window is writing to this notebook; try again in a moment.',
  READ_ONLY_DOCUMENT: 'Nothing was changed.',
  UNAVAILABLE: 'Nothing was changed; try again.',
};

/**
 * Which of a form's fields an error is about (an INVALID_VALUE naming one of `fields`), so it is
 * said there; otherwise it is said under the form.
 */
export function errorPlacement(error: AppError | null, fields: readonly string[]): { at: (field: string) => boolean; underForm: boolean } {
  const onAField = error?.code === 'INVALID_VALUE' && error.field !== undefined && fields.includes(error.field);
  return { at: (field) => onAField && error?.field === field, underForm: error !== null && !onAField };
}

/** A labelled input with its error, when the error is about it. */
export function Field({ id, label, error, errorId, children, narrow }: {
  id: string; label: string; error: AppError | null; errorId: string; children: ReactNode; narrow?: boolean;
}) {
  return (
    <div className={narrow ? 'field field-narrow' : 'field'}>
      <label htmlFor={id}>{label}</label>
      {children}
      {error && <FieldError id={errorId} error={error} />}
    </div>
  );
}
