import { zodResolver } from '@hookform/resolvers/zod';
import { useMemo, useState } from 'react';
import { useForm, useWatch } from 'react-hook-form';
import { invoiceApi } from '../api/mutations';
import type { Invoice } from '../api/types';
import { explain } from '../lib/explain';
import { idempotencyKeys } from '../lib/idempotency';
import { formatDate, formatRelativeDays, daysUntil } from '../lib/dates';
import { formatPaise, paiseToJson, paiseToRupeesInput } from '../lib/money';
import { REPAY_WORDS, repaySchema, type RepayValues } from '../lib/payments';
import { DialogForm } from './DialogForm';
import { FormField } from './Form';

interface Props {
  /** Kept current by the page (a payment elsewhere, late interest). */
  invoice: Invoice;
  walletBalance: number | null;
  onClose(): void;
  onRepaid(invoice: Invoice): void;
  /** Injected in tests; defaults to the API. */
  repay?: typeof invoiceApi.repay;
}

/**
 * A buyer repays an invoice from its wallet, in part or in full. It opens with everything
 * owed (late interest included), and sends "everything" as such, so interest that accrued
 * meanwhile is paid too; an amount typed is checked as it is typed.
 */
export function RepayDialog({ invoice, walletBalance, onClose, onRepaid, repay = invoiceApi.repay }: Props) {
  const owed = BigInt(invoice.owed);
  const wallet = walletBalance === null ? null : BigInt(walletBalance);
  const everything = paiseToRupeesInput(owed);
  const schema = useMemo(() => repaySchema(owed, wallet), [owed, wallet]);
  const [idempotency] = useState(idempotencyKeys);
  const [formError, setFormError] = useState<string | null>(null);
  const {
    register,
    handleSubmit,
    setValue,
    control,
    formState: { errors, isSubmitting },
  } = useForm<RepayValues, unknown, { amount: bigint }>({
    resolver: zodResolver(schema),
    mode: 'onChange',
    defaultValues: { amount: everything },
  });
  const typed = useWatch({ control, name: 'amount' });
  const all = typed.trim() === everything;

  const submit = handleSubmit(async ({ amount }) => {
    setFormError(null);
    const body = all ? null : paiseToJson(amount);
    try {
      const { invoice: updated } = await idempotency.send({ amount: body }, (key) => repay(invoice.id, body, key));
      onRepaid(updated);
    } catch (err) {
      setFormError(explain(err, REPAY_WORDS));
    }
  });

  const days = daysUntil(invoice.due_date);
  return (
    <DialogForm
      title={`Repay ${invoice.invoice_number}`}
      description={`To the investors who funded it, through the platform. Due ${formatDate(invoice.due_date)} (${formatRelativeDays(days)}).`}
      onClose={onClose}
      onSubmit={submit}
      submitting={isSubmitting}
      submitLabel={all ? 'Repay everything' : 'Repay this amount'}
      formError={formError}
    >
      <dl className="invest__facts">
        <div>
          <dt>Owed now</dt>
          <dd>{formatPaise(invoice.owed)}</dd>
        </div>
        <div>
          <dt>of which late interest</dt>
          <dd>{formatPaise(invoice.late_interest)}</dd>
        </div>
        <div>
          <dt>Repaid so far</dt>
          <dd>{formatPaise(invoice.repaid_amount)}</dd>
        </div>
        <div>
          <dt>Your wallet</dt>
          <dd>{walletBalance === null ? '…' : formatPaise(walletBalance)}</dd>
        </div>
      </dl>
      <FormField
        id="repay-amount"
        label="Amount (₹)"
        error={errors.amount?.message}
        hint={all ? 'Everything owed: the invoice is settled.' : 'A part payment: late interest is paid first.'}
      >
        {(field) => (
          <div className="input-prefix">
            <span aria-hidden="true">₹</span>
            <input {...field} {...register('amount')} inputMode="decimal" autoComplete="off" />
          </div>
        )}
      </FormField>
      {!all && (
        <button type="button" className="link-btn" onClick={() => setValue('amount', everything, { shouldValidate: true })}>
          Pay everything ({formatPaise(owed)})
        </button>
      )}
    </DialogForm>
  );
}
