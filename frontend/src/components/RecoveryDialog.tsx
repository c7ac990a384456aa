import { zodResolver } from '@hookform/resolvers/zod';
import { useMemo, useState } from 'react';
import { invoiceApi } from '../api/mutations';
import type { Invoice } from '../api/types';
import { recoveryBounds } from '../lib/bounds';
import { idempotencyKeys } from '../lib/idempotency';
import { formatPaise, paiseToJson } from '../lib/money';
import { RECOVERY_WORDS, recoverySchema, type RecoveryValues } from '../lib/payments';
import { useServerForm } from '../hooks/useServerForm';
import { DialogForm } from './DialogForm';
import { Facts } from './Facts';
import { FormField, RupeeInput } from './Form';

interface Props {
  invoice: Invoice;
  onClose(): void;
  onRecorded(invoice: Invoice): void;
  /** Injected in tests; defaults to the API. */
  recover?: typeof invoiceApi.recover;
}

/** An operator records money recovered off the platform; the investors share it. */
export function RecoveryDialog({ invoice, onClose, onRecorded, recover = invoiceApi.recover }: Props) {
  const owed = BigInt(invoice.owed);
  const schema = useMemo(() => recoverySchema(owed), [owed]);
  const [idempotency] = useState(idempotencyKeys);
  const {
    register,
    onSubmit,
    formError,
    formState: { errors, isSubmitting },
  } = useServerForm<RecoveryValues, { amount: bigint; note: string }>(
    { resolver: zodResolver(schema), defaultValues: { amount: '', note: '' } },
    async ({ amount, note }) => {
      const body = { amount: paiseToJson(amount), note };
      onRecorded((await idempotency.send(body, (key) => recover(invoice.id, body, key))).invoice);
    },
    RECOVERY_WORDS,
  );

  return (
    <DialogForm
      title={`Record a recovery on ${invoice.invoice_number}`}
      description={`Money recovered off the platform from ${invoice.buyer_name}: the investors share it like a repayment.`}
      onClose={onClose}
      onSubmit={onSubmit}
      submitting={isSubmitting}
      submitLabel="Record recovery"
      formError={formError}
    >
      <Facts
        facts={[
          ['Owed now', formatPaise(invoice.owed)],
          ['Repaid and recovered', formatPaise(invoice.repaid_amount)],
        ]}
      />
      <FormField id="recovery-amount" label="Amount (₹)" error={errors.amount?.message} hint={`Up to ${formatPaise(owed)}.`}>
        {(field) => (
          <RupeeInput {...field} {...register('amount')} />
        )}
      </FormField>
      <FormField id="recovery-note" label="Note" error={errors.note?.message} hint="Where the money came from; kept in the audit trail.">
        {(field) => <textarea {...field} {...register('note')} rows={2} maxLength={recoveryBounds.note.maxLength} />}
      </FormField>
    </DialogForm>
  );
}
