import { useState, type FormEvent, type ReactNode } from 'react';
import { Link, useNavigate } from 'react-router';
import { useToast } from '../components/Toasts';
import { ApiError, describeError, invoiceApi } from '../lib/api';
import { addDays, daysBetween, formatDate, isValidYmd, todayIST } from '../lib/dates';
import {
  annualYieldBps,
  formatBps,
  formatPaise,
  fundingTarget,
  MAX_DISCOUNT_RATE_BPS,
  MAX_INVOICE_AMOUNT,
  MIN_INVOICE_AMOUNT,
  paiseToJson,
  parsePercentToBps,
  parseRupeesToPaise,
} from '../lib/money';
import type { NewInvoice } from '../types';

export const MIN_TENOR_DAYS = 7;
export const MAX_TENOR_DAYS = 365;

type Field = 'invoice_number' | 'buyer_name' | 'description' | 'amount' | 'due_date' | 'discount_rate_bps';

export interface InvoiceFormValues {
  invoiceNumber: string;
  buyerName: string;
  description: string;
  amount: string; // rupees as typed
  dueDate: string; // YYYY-MM-DD
  rate: string; // percent per year as typed
}

/** The API's rules (SPEC.md), checked before sending; today is the IST date. */
export function validateInvoiceForm(
  values: InvoiceFormValues,
  today: string = todayIST(),
): { errors: Partial<Record<Field, string>>; invoice: NewInvoice | null } {
  const errors: Partial<Record<Field, string>> = {};
  const invoiceNumber = values.invoiceNumber.trim();
  const buyerName = values.buyerName.trim();
  const description = values.description.trim();

  if (!invoiceNumber) errors.invoice_number = 'Enter your reference for this invoice.';
  else if (invoiceNumber.length > 64) errors.invoice_number = 'Use at most 64 characters.';

  if (!buyerName) errors.buyer_name = 'Enter who owes this invoice.';
  else if (buyerName.length > 200) errors.buyer_name = 'Use at most 200 characters.';

  if (description.length > 2000) errors.description = 'Use at most 2,000 characters.';

  const amount = parseRupeesToPaise(values.amount);
  if (amount === null) errors.amount = 'Enter the face value in rupees, like 250000 or 2,50,000.50.';
  else if (amount < MIN_INVOICE_AMOUNT) errors.amount = `The face value must be at least ${formatPaise(MIN_INVOICE_AMOUNT)}.`;
  else if (amount > MAX_INVOICE_AMOUNT) errors.amount = `The face value can be at most ${formatPaise(MAX_INVOICE_AMOUNT)}.`;

  let days: number | null = null;
  if (!isValidYmd(values.dueDate)) errors.due_date = 'Pick the date the buyer will pay.';
  else {
    days = daysBetween(today, values.dueDate);
    if (days < MIN_TENOR_DAYS) errors.due_date = `The due date must be at least ${MIN_TENOR_DAYS} days from today (${formatDate(addDays(today, MIN_TENOR_DAYS))} or later).`;
    else if (days > MAX_TENOR_DAYS) errors.due_date = `The due date can be at most ${MAX_TENOR_DAYS} days away (${formatDate(addDays(today, MAX_TENOR_DAYS))}).`;
  }

  const rateBps = parsePercentToBps(values.rate);
  if (rateBps === null) errors.discount_rate_bps = 'Enter a yearly rate in percent, with at most two decimals (e.g. 12.5).';
  else if (rateBps > MAX_DISCOUNT_RATE_BPS) errors.discount_rate_bps = 'The discount rate can be at most 50% a year.';

  if (Object.keys(errors).length > 0 || amount === null || rateBps === null) return { errors, invoice: null };
  const invoice: NewInvoice = {
    invoice_number: invoiceNumber,
    buyer_name: buyerName,
    amount: paiseToJson(amount),
    due_date: values.dueDate,
    discount_rate_bps: Number(rateBps),
  };
  if (description) invoice.description = description;
  return { errors, invoice };
}

const EMPTY: InvoiceFormValues = { invoiceNumber: '', buyerName: '', description: '', amount: '', dueDate: '', rate: '' };

export function NewInvoicePage() {
  const navigate = useNavigate();
  const toast = useToast();
  const today = todayIST();
  const [values, setValues] = useState<InvoiceFormValues>(() => ({ ...EMPTY, dueDate: addDays(today, 60), rate: '12' }));
  const [errors, setErrors] = useState<Partial<Record<Field, string>>>({});
  const [submitted, setSubmitted] = useState(false);
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const set = (key: keyof InvoiceFormValues) => (value: string) => {
    const next = { ...values, [key]: value };
    setValues(next);
    if (submitted) setErrors(validateInvoiceForm(next, today).errors);
  };

  // Live preview of what the server will fix at listing, with the same integer formulas.
  const amount = parseRupeesToPaise(values.amount);
  const rate = parsePercentToBps(values.rate);
  const days = isValidYmd(values.dueDate) ? daysBetween(today, values.dueDate) : null;
  const previewOk =
    amount !== null &&
    amount >= MIN_INVOICE_AMOUNT &&
    amount <= MAX_INVOICE_AMOUNT &&
    rate !== null &&
    rate <= MAX_DISCOUNT_RATE_BPS &&
    days !== null &&
    days >= MIN_TENOR_DAYS &&
    days <= MAX_TENOR_DAYS;
  const target = previewOk ? fundingTarget(amount, rate, BigInt(days)) : null;
  const yieldBps = previewOk && target !== null ? annualYieldBps(amount, target, BigInt(days)) : null;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (busy) return;
    setSubmitted(true);
    setFormError(null);
    const { errors: found, invoice } = validateInvoiceForm(values, today);
    setErrors(found);
    if (!invoice) return;
    setBusy(true);
    try {
      const { invoice: created } = await invoiceApi.create(invoice);
      toast({
        tone: 'success',
        title: 'Invoice listed',
        body: `${created.invoice_number} is on the marketplace: investors can fund ${formatPaise(created.funding_target)} now.`,
      });
      navigate(`/dashboard?invoice=${created.id}`);
    } catch (err) {
      if (err instanceof ApiError && err.code === 'duplicate_invoice_number') {
        setErrors({ invoice_number: 'You have already listed an invoice with this number.' });
      } else if (err instanceof ApiError && err.code === 'validation_error') {
        const fields = err.fieldErrors();
        setErrors(fields as Partial<Record<Field, string>>);
        if (Object.keys(fields).length === 0) setFormError(err.message);
      } else {
        setFormError(describeError(err));
      }
      setBusy(false);
    }
  };

  return (
    <>
      <div className="page__header">
        <div>
          <h1 className="page__title">List an invoice</h1>
          <p className="page__subtitle">Get paid now for an invoice your buyer pays later. Investors fund it; you receive the price at once.</p>
        </div>
      </div>

      <div className="split">
        <form className="card form" onSubmit={submit} noValidate>
          <div className="form-grid">
            <FormField id="inv-number" label="Invoice number" error={errors.invoice_number}>
              <input
                id="inv-number"
                value={values.invoiceNumber}
                onChange={(e) => set('invoiceNumber')(e.target.value)}
                maxLength={64}
                autoComplete="off"
                placeholder="INV-2026-001"
                autoFocus
              />
            </FormField>
            <FormField id="inv-buyer" label="Buyer" error={errors.buyer_name} hint="The company that owes you this invoice.">
              <input
                id="inv-buyer"
                value={values.buyerName}
                onChange={(e) => set('buyerName')(e.target.value)}
                maxLength={200}
                autoComplete="organization"
                placeholder="Reliance Retail Ltd"
              />
            </FormField>
            <FormField id="inv-amount" label="Amount (₹)" error={errors.amount} hint="Face value: ₹1,000 to ₹10,00,00,000.">
              <div className="input-prefix">
                <span aria-hidden="true">₹</span>
                <input
                  id="inv-amount"
                  inputMode="decimal"
                  value={values.amount}
                  onChange={(e) => set('amount')(e.target.value)}
                  autoComplete="off"
                  placeholder="5,00,000"
                />
              </div>
            </FormField>
            <FormField
              id="inv-due"
              label="Due date"
              error={errors.due_date}
              hint={`${MIN_TENOR_DAYS} to ${MAX_TENOR_DAYS} days from today (${formatDate(today)}, India time).`}
            >
              <input
                id="inv-due"
                type="date"
                value={values.dueDate}
                min={addDays(today, MIN_TENOR_DAYS)}
                max={addDays(today, MAX_TENOR_DAYS)}
                onChange={(e) => set('dueDate')(e.target.value)}
              />
            </FormField>
            <FormField id="inv-rate" label="Discount rate (% p.a.)" error={errors.discount_rate_bps} hint="0 to 50, up to two decimals.">
              <div className="input-suffix">
                <input
                  id="inv-rate"
                  inputMode="decimal"
                  value={values.rate}
                  onChange={(e) => set('rate')(e.target.value)}
                  autoComplete="off"
                  placeholder="12.5"
                />
                <span aria-hidden="true">%</span>
              </div>
            </FormField>
            <FormField id="inv-desc" label="Description (optional)" error={errors.description} wide>
              <textarea
                id="inv-desc"
                rows={3}
                value={values.description}
                maxLength={2000}
                onChange={(e) => set('description')(e.target.value)}
                placeholder="What was delivered, PO number, payment terms…"
              />
            </FormField>
          </div>
          {formError && (
            <p className="form-error" role="alert">
              {formError}
            </p>
          )}
          <div className="form-actions">
            <Link to="/dashboard" className="btn btn--ghost">
              Back
            </Link>
            <button type="submit" className="btn btn--primary" disabled={busy} aria-busy={busy || undefined}>
              {busy && <span className="spinner" aria-hidden="true" />}
              List invoice
            </button>
          </div>
        </form>

        <aside className="card preview" aria-labelledby="preview-title">
          <h2 id="preview-title" className="card__title">
            What you get
          </h2>
          {previewOk && target !== null && amount !== null ? (
            <>
              <div className="preview__big">{formatPaise(target)}</div>
              <p className="muted">paid into your wallet as soon as investors fully fund it</p>
              <dl className="preview__rows">
                <div>
                  <dt>Face value</dt>
                  <dd>{formatPaise(amount)}</dd>
                </div>
                <div>
                  <dt>Discount</dt>
                  <dd className="text-negative">−{formatPaise(amount - target)}</dd>
                </div>
                <div>
                  <dt>Tenor</dt>
                  <dd>{days} days</dd>
                </div>
                <div>
                  <dt>Investor yield</dt>
                  <dd className="text-positive">{yieldBps !== null ? formatBps(yieldBps) : '—'} p.a.</dd>
                </div>
              </dl>
              <p className="preview__note">On the due date you settle the full face value, which repays the investors.</p>
            </>
          ) : (
            <p className="muted">Fill in the amount, due date and discount rate to see the price investors will pay.</p>
          )}
        </aside>
      </div>
    </>
  );
}

function FormField({
  id,
  label,
  error,
  hint,
  wide,
  children,
}: {
  id: string;
  label: string;
  error?: string;
  hint?: string;
  wide?: boolean;
  children: ReactNode;
}) {
  return (
    <div className={`field ${wide ? 'field--wide' : ''} ${error ? 'field--invalid' : ''}`}>
      <label htmlFor={id} className="field__label">
        {label}
      </label>
      {children}
      {error ? (
        <p className="field__error" id={`${id}-error`}>
          {error}
        </p>
      ) : (
        hint && (
          <p className="field__hint" id={`${id}-hint`}>
            {hint}
          </p>
        )
      )}
    </div>
  );
}
