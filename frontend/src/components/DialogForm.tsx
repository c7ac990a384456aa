import type { FormEventHandler, ReactNode } from 'react';
import { Dialog } from './Dialog';

interface Props {
  title: string;
  description?: string;
  onClose(): void;
  onSubmit: FormEventHandler<HTMLFormElement>;
  submitting: boolean;
  submitLabel: string;
  /** What the server refused, in plain words. */
  formError: string | null;
  tone?: 'primary' | 'danger';
  children: ReactNode;
}

/** A small form in a dialog: its fields, the server's refusal, Cancel and the action. */
export function DialogForm({ title, description, onClose, onSubmit, submitting, submitLabel, formError, tone = 'primary', children }: Props) {
  return (
    <Dialog title={title} description={description} onClose={onClose} locked={submitting}>
      <form className="form" onSubmit={onSubmit} noValidate aria-label={title}>
        {children}
        <p className="form-error" role="alert" hidden={!formError}>
          {formError}
        </p>
        <div className="modal__actions">
          <button type="button" className="btn btn--ghost" onClick={onClose} disabled={submitting}>
            Cancel
          </button>
          <button type="submit" className={`btn btn--${tone}`} disabled={submitting} aria-busy={submitting || undefined}>
            {submitting && <span className="spinner" aria-hidden="true" />}
            {submitLabel}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
