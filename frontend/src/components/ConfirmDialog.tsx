import { useRef, useState, type ReactNode } from 'react';
import { describeError } from '../api/errors';
import { Dialog } from './Dialog';

interface Props {
  title: string;
  message: string;
  confirmLabel: string;
  tone?: 'danger' | 'primary';
  onConfirm(): Promise<void>;
  onClose(): void;
  /** Plain words for a refusal (default: the server's message). */
  explainError?: (err: unknown) => string;
  /** More to read before confirming (figures, consequences). */
  children?: ReactNode;
}

/** "Are you sure?" for actions that move money or cannot be undone. */
export function ConfirmDialog({ title, message, confirmLabel, tone = 'primary', onConfirm, onClose, explainError = describeError, children }: Props) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const confirmRef = useRef<HTMLButtonElement>(null);

  const confirm = async () => {
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      await onConfirm();
      onClose();
    } catch (err) {
      setError(explainError(err));
      setBusy(false);
    }
  };

  return (
    <Dialog title={title} description={message} onClose={onClose} locked={busy} size="sm" initialFocus={confirmRef}>
      {children}
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      <div className="modal__actions">
        <button type="button" className="btn btn--ghost" onClick={onClose} disabled={busy}>
          Keep it
        </button>
        <button ref={confirmRef} type="button" className={`btn btn--${tone}`} onClick={confirm} disabled={busy}>
          {busy ? 'Working…' : confirmLabel}
        </button>
      </div>
    </Dialog>
  );
}
