import { zodResolver } from '@hookform/resolvers/zod';
import { useMemo, useState } from 'react';
import { useWatch } from 'react-hook-form';
import { invoiceApi } from '../api/mutations';
import type { Invoice } from '../api/types';
import { idempotencyKeys } from '../lib/idempotency';
import { formatDate, formatRelativeDays, daysUntil } from '../lib/dates';
import { formatPaise, paiseToJson, paiseToRupeesInput } from '../lib/money';
import { REPAY_WORDS, repaySchema, type RepayValues } from '../lib/payments';
import { useServerForm } from '../hooks/useServerForm';
import { DialogForm } from './DialogForm';
import { Facts } from './Facts';
import { FormField, RupeeInput } from './Form';

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
  const {
    register,
    onSubmit,
    formError,
    setValue,
    control,
    formState: { errors, isSubmitting },
  } = useServerForm<RepayValues, { amount: bigint }>(
    { resolver: zodResolver(schema), defaultValues: { amount: everything } },
    async ({ amount }) => {
      const body = all ? null : paiseToJson(amount);
      onRepaid((await idempotency.send({ amount: body }, (key) => repay(invoice.id, body, key))).invoice);
    },
    REPAY_WORDS,
  );
  const typed = useWatch({ control, name: 'amount' });
  const all = typed.trim() === everything;

  const days = daysUntil(invoice.due_date);
  return (
    <DialogForm
      title={`Repay ${invoice.invoice_number}`}
      description={`To the investors who funded it, through the platform. Due ${formatDate(invoice.due_date)} (${formatRelativeDays(days)}).`}
      onClose={onClose}
      onSubmit={onSubmit}
      submitting={isSubmitting}
      submitLabel={all ? 'Repay everything' : 'Repay this amount'}
      formError={formError}
    >
      <Facts
        facts={[
          ['Owed now', formatPaise(invoice.owed)],
          ['of which late interest', formatPaise(invoice.late_interest)],
          ['Repaid so far', formatPaise(invoice.repaid_amount)],
          ['Your wallet', walletBalance === null ? '…' : formatPaise(walletBalance)],
        ]}
      />
      <FormField
        id="repay-amount"
        label="Amount (₹)"
        error={errors.amount?.message}
        hint={all ? 'Everything owed: the invoice is settled.' : 'A part payment: late interest is paid first.'}
      >
        {(field) => (
          <RupeeInput {...field} {...register('amount')} />
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
