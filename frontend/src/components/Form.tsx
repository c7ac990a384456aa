// Form pieces shared by every form: a labelled field with its hint or error, and the summary
// of errors announced after a failed submit.

import type { ComponentProps, ReactNode } from 'react';

export interface FieldProps {
  id: string;
  'aria-invalid': true | undefined;
  'aria-describedby': string | undefined;
}

interface FormFieldProps {
  id: string;
  label: string;
  error?: string;
  hint?: ReactNode;
  wide?: boolean;
  /** The control, given the attributes that tie it to its label, hint and error. */
  children(field: FieldProps): ReactNode;
}

export function FormField({ id, label, error, hint, wide, children }: FormFieldProps) {
  const noteId = error || hint ? `${id}-note` : undefined;
  return (
    <div className={['field', wide && 'field--wide', error && 'field--invalid'].filter(Boolean).join(' ')}>
      <label htmlFor={id} className="field__label">
        {label}
      </label>
      {children({ id, 'aria-invalid': error ? true : undefined, 'aria-describedby': noteId })}
      {error ? (
        <FieldError id={noteId} message={error} />
      ) : (
        hint && (
          <p className="field__hint" id={noteId}>
            {hint}
          </p>
        )
      )}
    </div>
  );
}

/** A message of several lines (one reason each) is a list. */
function FieldError({ id, message }: { id?: string; message: string }) {
  const lines = message.split('\n');
  if (lines.length === 1) {
    return (
      <p className="field__error" id={id}>
        {message}
      </p>
    );
  }
  return (
    <ul className="field__error field__error--list" id={id}>
      {lines.map((line) => (
        <li key={line}>{line}</li>
      ))}
    </ul>
  );
}

/** An amount in rupees, typed as text (parsed digit by digit: lib/money.ts). */
export function RupeeInput(props: ComponentProps<'input'>) {
  return (
    <div className="input-prefix">
      <span aria-hidden="true">₹</span>
      <input inputMode="decimal" autoComplete="off" {...props} />
    </div>
  );
}

export interface SummaryItem {
  /** The id of the control, to jump to it. */
  id: string;
  label: string;
  message: string;
}

/** Always in the page (a live region), filled after a submit that found problems. */
export function ErrorSummary({ items, formError }: { items: SummaryItem[]; formError?: string | null }) {
  const count = items.length;
  return (
    <div role="alert" className={count > 0 || formError ? 'error-summary' : undefined}>
      {formError && <p className="error-summary__title">{formError}</p>}
      {count > 0 && (
        <>
          <p className="error-summary__title">{count === 1 ? 'Check this field:' : `Check these ${count} fields:`}</p>
          <ul>
            {items.map((item) => (
              <li key={item.id}>
                <a
                  href={`#${item.id}`}
                  onClick={(event) => {
                    event.preventDefault();
                    document.getElementById(item.id)?.focus();
                  }}
                >
                  {item.label}: {item.message.replaceAll('\n', ' ')}
                </a>
              </li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}

/** The summary's items, in the order of the form's fields. */
export function summarize<K extends string>(
  fields: readonly { name: K; id: string; label: string }[],
  errors: Partial<Record<K, { message?: string }>>,
): SummaryItem[] {
  return fields.flatMap(({ name, id, label }) => {
    const message = errors[name]?.message;
    return message ? [{ id, label, message }] : [];
  });
}
