import { useEffect, useId, useRef, type KeyboardEvent, type ReactNode, type SyntheticEvent } from 'react';

export interface ModalProps {
  title: ReactNode;
  /** Called on Escape and by the caller's own Close/Cancel buttons. */
  onClose: () => void;
  /** While true (say, during an export), Escape does not close the dialog. */
  locked?: boolean;
  testId: string;
  size?: 'small' | 'medium' | 'large';
  description?: ReactNode;
  footer?: ReactNode;
  children: ReactNode;
}

/**
 * A modal dialog on the native `<dialog>` element (`showModal`): the rest of the window is inert,
 * focus moves to the element marked `data-autofocus` (or the first control) and returns to the
 * control that opened it, and Escape closes it.
 */
export function Modal({ title, onClose, locked = false, testId, size = 'medium', description, footer, children }: ModalProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const descriptionId = useId();

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    const opener = document.activeElement;
    if (!dialog.open) dialog.showModal();
    dialog.querySelector<HTMLElement>('[data-autofocus]')?.focus();
    return () => {
      if (dialog.open) dialog.close();
      if (opener instanceof HTMLElement && opener.isConnected) opener.focus();
    };
  }, []);

  // When the control that had focus goes away (a form replaced by progress, progress by a
  // result), focus moves to the dialog's preferred control instead of falling out of it.
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog?.open || dialog.contains(document.activeElement)) return;
    const preferred =
      dialog.querySelector<HTMLElement>('[data-autofocus]:not(:disabled)') ??
      dialog.querySelector<HTMLElement>('button:not(:disabled), input:not(:disabled), select:not(:disabled), textarea:not(:disabled)');
    preferred?.focus();
  });

  const onKeyDown = (event: KeyboardEvent<HTMLDialogElement>) => {
    if (event.key !== 'Escape') return;
    // Handled here rather than by the dialog's own cancel, so React state decides when it closes.
    event.preventDefault();
    event.stopPropagation();
    if (!locked) onClose();
  };

  // Escape pressed while focus is outside the dialog's controls (say, on a button that was just disabled).
  const onCancel = (event: SyntheticEvent<HTMLDialogElement>) => {
    event.preventDefault();
    if (!locked) onClose();
  };
  // The browser may close a dialog itself (a repeated Escape cannot always be prevented).
  const onNativeClose = () => {
    const dialog = ref.current;
    if (!dialog || !dialog.isConnected || dialog.open) return;
    if (locked) dialog.showModal();
    else onClose();
  };

  return (
    <dialog
      ref={ref}
      className={`modal modal-${size}`}
      aria-modal="true"
      aria-labelledby={titleId}
      aria-describedby={description ? descriptionId : undefined}
      data-testid={testId}
      onKeyDown={onKeyDown}
      onCancel={onCancel}
      onClose={onNativeClose}
    >
      <header className="modal-header">
        <h2 id={titleId}>{title}</h2>
        {description && (
          <p id={descriptionId} className="modal-description">
            {description}
          </p>
        )}
      </header>
      <div className="modal-body">{children}</div>
      {footer && <footer className="modal-footer">{footer}</footer>}
    </dialog>
  );
}
