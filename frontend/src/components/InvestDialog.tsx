import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { ApiError, invoiceApi } from '../lib/api';
import { daysUntil, formatDate, formatRelativeDays } from '../lib/dates';
import { fundErrorMessage, minimumInvestment, newIdempotencyKey, validateInvestAmount } from '../lib/invest';
import { expectedReturn, formatBps, formatPaise, paiseToJson, paiseToRupeesInput, parseRupeesToPaise } from '../lib/money';
import type { FundResult, Invoice } from '../types';
import { Modal } from './Modal';

interface Props {
  /** The invoice as currently shown (kept live by the page). */
  invoice: Invoice;
  walletBalance: number | null;
  onClose(): void;
  onInvested(result: FundResult): void;
  /** Injected in tests; defaults to the API. */
  fund?: (invoiceId: number, amount: number, idempotencyKey: string) => Promise<FundResult>;
}

/**
 * Invest in one invoice: the amount (prefilled with everything that is left: one click funds
 * it whole), the expected return and its due date. One Idempotency-Key per opening of the
 * dialog (and per amount), so a double click or a retry after a lost response cannot fund twice.
 */
export function InvestDialog({ invoice: shown, walletBalance, onClose, onInvested, fund = invoiceApi.fund }: Props) {
  const inputId = useId();
  const errorId = useId();
  const [fetched, setFetched] = useState<Invoice | null>(null);
  const invoice = fetched && fetched.version > shown.version ? fetched : shown;

  const [amountText, setAmountText] = useState(() => paiseToRupeesInput(shown.remaining));
  const [edited, setEdited] = useState(false);
  const [touched, setTouched] = useState(false);
  const [submitting, setSubmitting] = useState(false);
  const [serverError, setServerError] = useState<string | null>(null);
  const [closedForFunding, setClosedForFunding] = useState(false);

  const inFlight = useRef(false);
  const idempotency = useRef<{ key: string; amount: bigint | null }>({ key: newIdempotencyKey(), amount: null });

  // While the amount is the untouched prefill, follow the remaining amount as others invest.
  useEffect(() => {
    if (!edited) setAmountText(paiseToRupeesInput(invoice.remaining));
  }, [invoice.remaining, edited]);

  const days = daysUntil(invoice.due_date);
  const open = invoice.status === 'listed' && invoice.remaining > 0 && days >= 1 && !closedForFunding;
  const validation = validateInvestAmount(amountText, invoice.remaining, walletBalance);
  const parsed = parseRupeesToPaise(amountText);
  const previewAmount = validation.ok ? validation.amount : null;
  const expected = previewAmount !== null ? expectedReturn(previewAmount, invoice.amount, invoice.funding_target) : null;
  const clientError = touched && !validation.ok ? validation.error : null;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setTouched(true);
    if (inFlight.current || !open) return;
    const check = validateInvestAmount(amountText, invoice.remaining, walletBalance);
    if (!check.ok) return;

    // The same key for the same amount (double submit, retry after a lost response); a new
    // amount is a new request.
    if (idempotency.current.amount !== null && idempotency.current.amount !== check.amount) {
      idempotency.current = { key: newIdempotencyKey(), amount: null };
    }
    idempotency.current.amount = check.amount;

    inFlight.current = true;
    setSubmitting(true);
    setServerError(null);
    try {
      const result = await fund(invoice.id, paiseToJson(check.amount), idempotency.current.key);
      onInvested(result);
    } catch (err) {
      setServerError(fundErrorMessage(err));
      if (err instanceof ApiError && err.code !== 'idempotency_in_progress') {
        // The server answered for good: trying again is a new request with a new key.
        idempotency.current = { key: newIdempotencyKey(), amount: null };
        if (err.code === 'invoice_not_fundable') setClosedForFunding(true);
        if (err.code === 'exceeds_remaining' || err.code === 'invoice_not_fundable' || err.code === 'below_minimum') {
          invoiceApi
            .get(invoice.id)
            .then(({ invoice: latest }) => {
              setFetched(latest);
              if (latest.status === 'listed' && latest.remaining > 0) {
                setClosedForFunding(false);
                setEdited(false);
              }
            })
            .catch(() => undefined);
        }
      }
    } finally {
      inFlight.current = false;
      setSubmitting(false);
    }
  };

  const minimum = minimumInvestment(invoice.remaining);
  const shownError = serverError ?? clientError;

  return (
    <Modal title={`Invest in ${invoice.invoice_number}`} onClose={onClose} locked={submitting}>
      <form className="invest" onSubmit={submit} noValidate>
        <dl className="invest__facts">
          <div>
            <dt>Buyer</dt>
            <dd>{invoice.buyer_name}</dd>
          </div>
          <div>
            <dt>Face value</dt>
            <dd>{formatPaise(invoice.amount)}</dd>
          </div>
          <div>
            <dt>Annual yield</dt>
            <dd className="text-positive">{formatBps(invoice.annual_yield_bps)}</dd>
          </div>
          <div>
            <dt>Left to fund</dt>
            <dd>{formatPaise(invoice.remaining)}</dd>
          </div>
        </dl>

        <div className="field">
          <label htmlFor={inputId} className="field__label">
            Amount (₹)
          </label>
          <div className="input-prefix">
            <span aria-hidden="true">₹</span>
            <input
              id={inputId}
              name="amount"
              inputMode="decimal"
              autoComplete="off"
              autoFocus
              value={amountText}
              aria-invalid={clientError ? true : undefined}
              aria-describedby={`${errorId}-hint ${shownError ? errorId : ''}`.trim()}
              onChange={(e) => {
                setAmountText(e.target.value);
                setEdited(true);
                setServerError(null);
              }}
              onBlur={() => setTouched(true)}
              disabled={!open}
            />
          </div>
          <div id={`${errorId}-hint`} className="field__hint">
            From {formatPaise(minimum)} to {formatPaise(invoice.remaining)}
            {walletBalance !== null && <> · wallet {formatPaise(walletBalance)}</>}
            {edited && parsed !== BigInt(invoice.remaining) && open && (
              <>
                {' · '}
                <button
                  type="button"
                  className="link-btn"
                  onClick={() => {
                    setEdited(false);
                    setAmountText(paiseToRupeesInput(invoice.remaining));
                  }}
                >
                  fund all that is left
                </button>
              </>
            )}
          </div>
        </div>

        <div className="invest__return">
          <div>
            <div className="invest__return-label">Expected return</div>
            <div className="invest__return-value">{expected !== null ? formatPaise(expected) : '—'}</div>
            {expected !== null && previewAmount !== null && (
              <div className="invest__return-gain">+{formatPaise(expected - previewAmount)} over what you pay</div>
            )}
          </div>
          <div>
            <div className="invest__return-label">Due on</div>
            <div className="invest__return-value">{formatDate(invoice.due_date)}</div>
            <div className="invest__return-gain">{formatRelativeDays(days)}</div>
          </div>
        </div>

        {!open && !serverError && (
          <p className="form-error" role="alert">
            {invoice.status === 'listed' && days < 1
              ? 'This invoice is due too soon to be funded.'
              : 'Sorry, another investor funded this first: the invoice is no longer open for investment.'}
          </p>
        )}
        {shownError && (
          <p id={errorId} className="form-error" role="alert">
            {shownError}
          </p>
        )}

        <div className="modal__actions">
          <button type="button" className="btn btn--ghost" onClick={onClose} disabled={submitting}>
            {open ? 'Cancel' : 'Close'}
          </button>
          <button type="submit" className="btn btn--primary" disabled={submitting || !open} aria-busy={submitting || undefined}>
            {submitting && <span className="spinner" aria-hidden="true" />}
            Confirm investment
          </button>
        </div>
      </form>
    </Modal>
  );
}
