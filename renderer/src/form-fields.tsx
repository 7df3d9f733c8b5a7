import { useState, type FormEvent, type ReactNode } from 'react';
import { toAppError, type AppError } from './api';
import { asSentence } from './format-values';

/** What went wrong, in words (the error's code is for support, not for the user: kept in data-code). */
export function FieldError({ id, error }: { id: string; error: AppError }) {
  return (
    <p id={id} className="form-error" data-testid="form-error" data-code={error.code} role="alert">
      {asSentence(error.message)}
      {ERROR_ADVICE[error.code] ? ` ${ERROR_ADVICE[error.code]}` : ''}
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
export function Field({
  id,
  label,
  error,
  errorId,
  children,
  narrow,
}: {
  id: string;
  label: string;
  error: AppError | null;
  errorId: string;
  children: ReactNode;
  narrow?: boolean;
}) {
  return (
    <div className={narrow ? 'field field-narrow' : 'field'}>
      <label htmlFor={id}>{label}</label>
      {children}
      {error && <FieldError id={errorId} error={error} />}
    </div>
  );
}

/** A number as typed ("7.2", "-8,25" with a decimal comma, and with `exponent` "1e-7"); '' is none; NaN when it is no number. */
export function decimalOf(text: string, { exponent = false } = {}): number | null {
  const trimmed = text.trim().replace(',', '.');
  if (trimmed === '') return null;
  const pattern = exponent ? /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i : /^[+-]?(\d+\.?\d*|\.\d+)$/;
  return pattern.test(trimmed) ? Number(trimmed) : Number.NaN;
}

/**
 * A form that saves with one request: `saving` while it runs (the form is locked), the error it
 * failed with (the form stays open), and the submit handler. `save` may set its own error first
 * (a value the form can refuse itself) and return without a request.
 */
export function useFormSave(save: () => Promise<void>) {
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<AppError | null>(null);
  const run = async () => {
    setSaving(true);
    setError(null);
    try {
      await save();
    } catch (e) {
      setError(toAppError(e));
    }
    // Refused by the form itself, or by main: the form stays open and can be saved again (after a save it has closed).
    setSaving(false);
  };
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (!saving) void run();
  };
  return { saving, error, setError, onSubmit };
}

/** Cancel and Save at the foot of a form (anything before them on the left, such as "Delete…"). */
export function FormActions({ saving, onClose, children }: { saving: boolean; onClose: () => void; children?: ReactNode }) {
  return (
    <div className="form-actions">
      {children}
      <button type="button" className="button" onClick={onClose} disabled={saving}>
        Cancel
      </button>
      <button type="submit" className="button button-primary" disabled={saving}>
        {saving ? 'Saving…' : 'Save'}
      </button>
    </div>
  );
}
