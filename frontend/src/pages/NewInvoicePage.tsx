import { zodResolver } from '@hookform/resolvers/zod';
import { useQueryClient } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { Controller, useForm, useWatch } from 'react-hook-form';
import { Link, useNavigate } from 'react-router';
import { applyInvoice } from '../api/cache';
import { ApiError } from '../api/errors';
import { invoiceApi } from '../api/mutations';
import { queryKeys } from '../api/queries';
import type { Buyer, Invoice, NewInvoice } from '../api/types';
import { BuyerPicker } from '../components/BuyerPicker';
import { ErrorSummary, FormField, RupeeInput, summarize } from '../components/Form';
import { useToast } from '../components/Toasts';
import { useUser } from '../hooks/useAuth';
import { usePageTitle } from '../hooks/usePageTitle';
import { invoiceBounds } from '../lib/bounds';
import { creditRoom, creditText } from '../lib/buyers';
import { explain, type Words } from '../lib/explain';
import { addDays, daysBetween, formatDate, formatDateNumeric, todayIST } from '../lib/dates';
import { AUCTION_DURATIONS, amountField, dueDateProblem, invoiceFormSchema, rateField, type InvoiceFormValues } from '../lib/invoiceForm';
import { annualYieldBps, formatBps, formatPaise, fundingTarget } from '../lib/money';

const FIELDS = [
  { name: 'invoiceNumber', id: 'inv-number', label: 'Invoice number', api: 'invoice_number' },
  { name: 'buyerName', id: 'inv-buyer', label: 'Buyer', api: 'buyer_name' },
  { name: 'amount', id: 'inv-amount', label: 'Amount (₹)', api: 'amount' },
  { name: 'dueDate', id: 'inv-due', label: 'Due date', api: 'due_date' },
  { name: 'rate', id: 'inv-rate', label: 'Discount rate (% p.a.)', api: 'discount_rate_bps' },
  { name: 'auctionSeconds', id: 'inv-auction', label: 'Bidding open for', api: 'auction' },
  { name: 'description', id: 'inv-desc', label: 'Description (optional)', api: 'description' },
] as const satisfies { name: keyof InvoiceFormValues; id: string; label: string; api: keyof NewInvoice }[];

const { minimum: minDays, maximum: maxDays } = invoiceBounds.daysAfterToday;

const LIST_WORDS: Words = {
  rate_limited: 'You have listed many invoices in a short time. Wait a minute, then list this one.',
  forbidden: 'Only seller accounts can list invoices.',
};

/** What the seller is told once the invoice is listed. */
function listedToast(invoice: Invoice) {
  if (invoice.status === 'pending_acceptance') {
    return {
      title: 'Sent to the buyer',
      body: `${invoice.invoice_number} goes on the marketplace as soon as ${invoice.buyer_name} accepts it.`,
    };
  }
  if (invoice.pricing === 'auction') {
    return { title: 'Auction open', body: `${invoice.invoice_number} is on the marketplace, taking bids: follow them on your dashboard.` };
  }
  return {
    title: 'Invoice listed',
    body: `${invoice.invoice_number} is on the marketplace: investors can fund ${formatPaise(invoice.funding_target ?? invoice.amount)} now.`,
  };
}

/** A warning (not a refusal: an operator may raise the limit) when the buyer could not accept. */
function creditWarning(buyer: Buyer, amount: bigint | null): string | null {
  const room = creditRoom(buyer);
  return room !== null && amount !== null && amount > room
    ? `This invoice would take ${buyer.name} past its credit limit (${formatPaise(room)} available): it could not accept it.`
    : null;
}

export function NewInvoicePage() {
  usePageTitle('List an invoice');
  const navigate = useNavigate();
  const toast = useToast();
  const user = useUser();
  const client = useQueryClient();
  const [today] = useState(todayIST);
  const schema = useMemo(() => invoiceFormSchema(today), [today]);
  const [formError, setFormError] = useState<string | null>(null);
  const [buyer, setBuyer] = useState<Buyer | null>(null);
  const {
    register,
    handleSubmit,
    setError,
    setValue,
    control,
    formState: { errors, isSubmitting, submitCount },
  } = useForm<InvoiceFormValues, unknown, NewInvoice>({
    resolver: zodResolver(schema),
    defaultValues: {
      invoiceNumber: '',
      buyerName: '',
      buyerId: null,
      description: '',
      amount: '',
      dueDate: addDays(today, 60),
      rate: '12',
      pricing: 'fixed',
      auctionSeconds: '3600',
    },
  });
  const values = useWatch({ control });

  const submit = handleSubmit(async (invoice) => {
    setFormError(null);
    try {
      const { invoice: created } = await invoiceApi.create(invoice);
      applyInvoice(client, created, user.id);
      void client.invalidateQueries({ queryKey: queryKeys.stats });
      toast({ tone: 'success', ...listedToast(created) });
      navigate(`/dashboard?invoice=${created.id}`);
    } catch (err) {
      const fieldErrors: Partial<Record<keyof NewInvoice, string>> =
        err instanceof ApiError && err.code === 'duplicate_invoice_number'
          ? { invoice_number: 'You have already listed an invoice with this number.' }
          : err instanceof ApiError && err.code === 'validation_error'
            ? err.fieldErrors()
            : {};
      // The Buyer field shows what is wrong with the registered buyer picked, too.
      fieldErrors.buyer_name ??= fieldErrors.buyer_id;
      const failed = FIELDS.filter((f) => fieldErrors[f.api]);
      failed.forEach((f, i) => setError(f.name, { message: fieldErrors[f.api] }, { shouldFocus: i === 0 }));
      if (failed.length === 0) setFormError(explain(err, LIST_WORDS));
    }
  });

  // Live preview of what the server will fix at listing, with the same integer formulas.
  const amount = amountField.safeParse(values.amount ?? '');
  const rate = rateField.safeParse(values.rate ?? '');
  const dueDate = values.dueDate ?? '';
  const days = dueDateProblem(dueDate, today) === null ? BigInt(daysBetween(today, dueDate)) : null;
  const preview =
    amount.success && rate.success && days !== null
      ? (() => {
          const target = fundingTarget(amount.data, rate.data, days);
          return { amount: amount.data, target, yieldBps: annualYieldBps(amount.data, target, days), days };
        })()
      : null;
  const warning = buyer && creditWarning(buyer, amount.success ? amount.data : null);
  const byAuction = values.pricing === 'auction';

  return (
    <>
      <div className="page__header">
        <div>
          <h1 className="page__title">List an invoice</h1>
          <p className="page__subtitle">Get paid now for an invoice your buyer pays later. Investors fund it; you receive the price at once.</p>
        </div>
      </div>

      <div className="split">
        <form className="card form" onSubmit={submit} noValidate aria-label="New invoice">
          <ErrorSummary items={submitCount > 0 ? summarize(FIELDS, errors) : []} formError={formError} />
          <div className="form-grid">
            <FormField id="inv-number" label="Invoice number" error={errors.invoiceNumber?.message}>
              {(field) => (
                <input {...field} {...register('invoiceNumber')} maxLength={invoiceBounds.invoiceNumber.maxLength} autoComplete="off" placeholder="INV-2026-001" />
              )}
            </FormField>
            <FormField
              id="inv-buyer"
              label="Buyer"
              error={errors.buyerName?.message}
              hint={
                buyer ? (
                  <>
                    {buyer.name} confirms this invoice before investors see it ({creditText(buyer)}).
                    {warning && <strong className="text-negative"> {warning}</strong>}
                  </>
                ) : (
                  'The company that owes you this invoice. Pick a registered buyer to have it confirmed: investors look for that.'
                )
              }
            >
              {(field) => (
                <Controller
                  name="buyerName"
                  control={control}
                  render={({ field: name }) => (
                    <BuyerPicker
                      field={field}
                      value={name.value}
                      inputRef={name.ref}
                      onBlur={name.onBlur}
                      picked={buyer}
                      onType={(typed) => {
                        name.onChange(typed);
                        setBuyer(null);
                        setValue('buyerId', null);
                      }}
                      onPick={(picked) => {
                        name.onChange(picked.name);
                        setBuyer(picked);
                        setValue('buyerId', picked.id);
                      }}
                    />
                  )}
                />
              )}
            </FormField>
            <FormField
              id="inv-amount"
              label="Amount (₹)"
              error={errors.amount?.message}
              hint={`Face value: ${formatPaise(invoiceBounds.amount.minimum)} to ${formatPaise(invoiceBounds.amount.maximum)}.`}
            >
              {(field) => (
                <RupeeInput {...field} {...register('amount')} placeholder="5,00,000" />
              )}
            </FormField>
            <FormField
              id="inv-due"
              label="Due date"
              error={errors.dueDate?.message}
              hint={`${minDays} to ${maxDays} days from today (${formatDate(today)}, India time).`}
            >
              {(field) => (
                <div className="date-field">
                  <input {...field} {...register('dueDate')} type="date" min={addDays(today, minDays)} max={addDays(today, maxDays)} />
                  <span className="date-field__echo" aria-live="polite">
                    {days !== null ? `${formatDateNumeric(dueDate)} · ${days} days` : ''}
                  </span>
                </div>
              )}
            </FormField>
            <fieldset className="pricing field--wide">
              <legend className="field__label">How investors price it</legend>
              <label className="check">
                <input type="radio" value="fixed" {...register('pricing', { deps: ['rate'] })} />
                At a discount rate I set
              </label>
              <label className="check">
                <input type="radio" value="auction" {...register('pricing', { deps: ['rate'] })} />
                By a rate auction: investors bid rates up to my highest
              </label>
            </fieldset>
            <FormField
              id="inv-rate"
              label={byAuction ? 'Highest rate (% p.a.)' : 'Discount rate (% p.a.)'}
              error={errors.rate?.message}
              hint={
                byAuction
                  ? 'Investors bid this or less; everyone gets the rate of the last bid needed to cover the invoice.'
                  : `${formatBps(invoiceBounds.discountRateBps.minimum)} to ${formatBps(invoiceBounds.discountRateBps.maximum)}, up to two decimals.`
              }
            >
              {(field) => (
                <div className="input-suffix">
                  <input {...field} {...register('rate')} inputMode="decimal" autoComplete="off" placeholder="12.5" />
                  <span aria-hidden="true">%</span>
                </div>
              )}
            </FormField>
            {byAuction && (
              <FormField
                id="inv-auction"
                label="Bidding open for"
                error={errors.auctionSeconds?.message}
                hint="A bid in the last minutes extends it (at most 10 times). The due date must be a week after the latest close."
              >
                {(field) => (
                  <select {...field} {...register('auctionSeconds')}>
                    {AUCTION_DURATIONS.map(({ seconds, label }) => (
                      <option key={seconds} value={seconds}>
                        {label}
                      </option>
                    ))}
                  </select>
                )}
              </FormField>
            )}
            <FormField id="inv-desc" label="Description (optional)" error={errors.description?.message} wide>
              {(field) => (
                <textarea
                  {...field}
                  {...register('description')}
                  rows={3}
                  maxLength={invoiceBounds.description.maxLength}
                  placeholder="What was delivered, PO number, payment terms…"
                />
              )}
            </FormField>
          </div>
          <div className="form-actions">
            <Link to="/dashboard" className="btn btn--ghost">
              Back
            </Link>
            <button type="submit" className="btn btn--primary" disabled={isSubmitting} aria-busy={isSubmitting || undefined}>
              {isSubmitting && <span className="spinner" aria-hidden="true" />}
              List invoice
            </button>
          </div>
        </form>

        <aside className="card preview" aria-labelledby="preview-title">
          <h2 id="preview-title" className="card__title">
            What you get
          </h2>
          {preview && byAuction ? (
            <>
              <div className="preview__big">at least {formatPaise(preview.target)}</div>
              <p className="muted">
                the price at your highest rate. Investors bid lower rates; when the auction closes, everyone gets the clearing rate
                and the price it fixes is paid into your wallet{buyer ? ` (it opens once ${buyer.name} accepts)` : ''}. If the bids
                do not cover the invoice, it is withdrawn.
              </p>
            </>
          ) : preview ? (
            <>
              <div className="preview__big">{formatPaise(preview.target)}</div>
              <p className="muted">
                {buyer
                  ? `paid into your wallet once ${buyer.name} accepts it and investors fully fund it (the price is fixed on the day it accepts)`
                  : 'paid into your wallet as soon as investors fully fund it'}
              </p>
              <dl className="preview__rows">
                <div>
                  <dt>Face value</dt>
                  <dd>{formatPaise(preview.amount)}</dd>
                </div>
                <div>
                  <dt>Discount</dt>
                  <dd className={preview.target < preview.amount ? 'text-negative' : undefined}>−{formatPaise(preview.amount - preview.target)}</dd>
                </div>
                <div>
                  <dt>Tenor</dt>
                  <dd>{preview.days.toString()} days</dd>
                </div>
                <div>
                  <dt>Investor yield</dt>
                  <dd className={preview.yieldBps > 0n ? 'text-positive' : undefined}>{formatBps(preview.yieldBps)} p.a.</dd>
                </div>
              </dl>
              <p className="preview__note">
                {preview.yieldBps === 0n
                  ? 'With no discount investors earn nothing on this invoice, so it may not attract funding.'
                  : buyer
                    ? `On the due date ${buyer.name} repays the investors; if it does not, you may settle it yourself.`
                    : 'On the due date you settle the full face value, which repays the investors.'}
              </p>
            </>
          ) : (
            <p className="muted">Fill in the amount, due date and discount rate to see the price investors will pay.</p>
          )}
        </aside>
      </div>
    </>
  );
}
