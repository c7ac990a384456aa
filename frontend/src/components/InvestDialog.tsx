import { useQueryClient } from '@tanstack/react-query';
import { useId, useRef, useState, type FormEvent } from 'react';
import { invoiceApi } from '../api/mutations';
import { ApiError } from '../api/errors';
import { queryKeys } from '../api/queries';
import type { FundResult } from '../api/types';
import { formatDate, formatRelativeDays, daysUntil } from '../lib/dates';
import { canFund, type PricedInvoice } from '../lib/invoices';
import { idempotencyKeys } from '../lib/idempotency';
import { fundErrorMessage, minimumInvestment, prefillAmount, validateInvestAmount } from '../lib/invest';
import { expectedReturn, formatBps, formatPaise, paiseToJson, paiseToRupeesInput } from '../lib/money';
import { Dialog } from './Dialog';
import { Facts } from './Facts';
import { RupeeInput } from './Form';

interface Props {
  /** The invoice as currently known (kept live by the page). */
  invoice: PricedInvoice;
  walletBalance: number | null;
  onClose(): void;
  onInvested(result: FundResult): void;
  /** Injected in tests; defaults to the API. */
  fund?: (invoiceId: number, amount: number, idempotencyKey: string) => Promise<FundResult>;
}

/** Answers after which the invoice has changed under us: fetch it again. */
const STALE_CODES = new Set(['exceeds_remaining', 'invoice_not_fundable', 'below_minimum']);

/**
 * Invest in one invoice. The amount opens as everything that is left or all the wallet holds,
 * whichever is less, and follows both until edited; it is checked as it is typed, and Confirm
 * stays disabled with the reason beside it. One Idempotency-Key per amount, so a double click
 * or a retry after a lost response cannot fund twice.
 */
export function InvestDialog({ invoice, walletBalance, onClose, onInvested, fund = invoiceApi.fund }: Props) {
  const client = useQueryClient();
  const inputId = useId();
  const hintId = useId();
  const problemId = useId();
  const inputRef = useRef<HTMLInputElement>(null);

  const prefill = paiseToRupeesInput(prefillAmount(invoice.remaining, walletBalance));
  const [typed, setTyped] = useState<string | null>(null); // null: still the prefill
  const amountText = typed ?? prefill;
  const [submitting, setSubmitting] = useState(false);
  const [serverError, setServerError] = useState<string | null>(null);
  /** The version the server called not fundable; a newer one may be open again. */
  const [closedAtVersion, setClosedAtVersion] = useState<number | null>(null);
  const inFlight = useRef(false);
  const [idempotency] = useState(idempotencyKeys);

  const days = daysUntil(invoice.due_date);
  const open = canFund(invoice) && closedAtVersion !== invoice.version;
  const validation = validateInvestAmount(amountText, invoice.remaining, walletBalance);
  const expected = validation.ok ? expectedReturn(validation.amount, invoice.amount, invoice.funding_target) : null;
  const closedReason = open
    ? null
    : invoice.status === 'listed' && invoice.remaining > 0 && days < 1
      ? 'This invoice is due too soon to be funded.'
      : 'Sorry, another investor funded this first: the invoice is no longer open for investment.';
  const problem = serverError ?? closedReason ?? (validation.ok ? null : validation.error);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (inFlight.current || !open || !validation.ok) return;
    const amount = paiseToJson(validation.amount);
    inFlight.current = true;
    setSubmitting(true);
    setServerError(null);
    try {
      onInvested(await idempotency.send({ amount }, (key) => fund(invoice.id, amount, key)));
    } catch (err) {
      setServerError(fundErrorMessage(err));
      if (err instanceof ApiError) {
        if (err.code === 'invoice_not_fundable') setClosedAtVersion(invoice.version);
        if (err.code === 'exceeds_remaining') setTyped(null);
        if (STALE_CODES.has(err.code)) void client.invalidateQueries({ queryKey: queryKeys.invoice(invoice.id) });
      }
    } finally {
      inFlight.current = false;
      setSubmitting(false);
    }
  };

  return (
    <Dialog title={`Invest in ${invoice.invoice_number}`} onClose={onClose} locked={submitting} initialFocus={inputRef}>
      <form className="invest" onSubmit={submit} noValidate>
        <Facts
          facts={[
            ['Buyer', invoice.buyer_name],
            ['Face value', formatPaise(invoice.amount)],
            ['Annual yield', <span className={invoice.annual_yield_bps > 0 ? 'text-positive' : undefined}>{formatBps(invoice.annual_yield_bps)}</span>],
            ['Left to fund', formatPaise(invoice.remaining)],
          ]}
        />

        <div className={`field ${problem && !validation.ok ? 'field--invalid' : ''}`}>
          <label htmlFor={inputId} className="field__label">
            Amount (₹)
          </label>
          <RupeeInput
            ref={inputRef}
            id={inputId}
            name="amount"
            value={amountText}
            aria-invalid={!validation.ok || undefined}
            aria-describedby={problem ? `${hintId} ${problemId}` : hintId}
            onChange={(e) => {
              setTyped(e.target.value);
              setServerError(null);
            }}
            disabled={!open}
          />
          <div id={hintId} className="field__hint">
            From {formatPaise(minimumInvestment(invoice.remaining))} to {formatPaise(invoice.remaining)}
            {walletBalance !== null && <> · wallet {formatPaise(walletBalance)}</>}
            {typed !== null && typed !== prefill && open && (
              <>
                {' · '}
                <button type="button" className="link-btn" onClick={() => setTyped(null)}>
                  use {formatPaise(prefillAmount(invoice.remaining, walletBalance))}
                </button>
              </>
            )}
          </div>
        </div>

        <div className="invest__return">
          <div>
            <div className="invest__return-label">Expected return</div>
            <div className="invest__return-value">{expected !== null ? formatPaise(expected) : '—'}</div>
            {expected !== null && validation.ok && (
              <div className="invest__return-gain">+{formatPaise(expected - validation.amount)} over what you pay</div>
            )}
          </div>
          <div>
            <div className="invest__return-label">Due on</div>
            <div className="invest__return-value">{formatDate(invoice.due_date)}</div>
            <div className="invest__return-gain">{formatRelativeDays(days)}</div>
          </div>
        </div>

        <p id={problemId} className="form-error" role="alert" hidden={!problem}>
          {problem}
        </p>

        <div className="modal__actions">
          <button type="button" className="btn btn--ghost" onClick={onClose} disabled={submitting}>
            {open ? 'Cancel' : 'Close'}
          </button>
          <button
            type="submit"
            className="btn btn--primary"
            disabled={submitting || !open || !validation.ok}
            aria-describedby={problem ? problemId : undefined}
            aria-busy={submitting || undefined}
          >
            {submitting && <span className="spinner" aria-hidden="true" />}
            Confirm investment
          </button>
        </div>
      </form>
    </Dialog>
  );
}
