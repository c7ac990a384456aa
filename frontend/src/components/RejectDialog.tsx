import { zodResolver } from '@hookform/resolvers/zod';
import { useWatch } from 'react-hook-form';
import { invoiceApi } from '../api/mutations';
import type { Invoice } from '../api/types';
import { REJECT_WORDS, rejectSchema, type RejectValues } from '../lib/acceptance';
import { rejectBounds } from '../lib/bounds';
import { formatPaise } from '../lib/money';
import { useServerForm } from '../hooks/useServerForm';
import { DialogForm } from './DialogForm';
import { FormField } from './Form';

interface Props {
  invoice: Invoice;
  onClose(): void;
  onRejected(invoice: Invoice): void;
  /** Injected in tests; defaults to the API. */
  reject?: typeof invoiceApi.reject;
}

/** A buyer refuses an invoice listed against it; the seller reads the reason. */
export function RejectDialog({ invoice, onClose, onRejected, reject = invoiceApi.reject }: Props) {
  const {
    register,
    onSubmit,
    formError,
    control,
    formState: { errors, isSubmitting },
  } = useServerForm<RejectValues, RejectValues>(
    { resolver: zodResolver(rejectSchema), defaultValues: { reason: '' } },
    async (values) => onRejected((await reject(invoice.id, values.reason)).invoice),
    REJECT_WORDS,
  );
  const reason = useWatch({ control, name: 'reason' });

  return (
    <DialogForm
      title={`Reject ${invoice.invoice_number}?`}
      description={`${invoice.seller_name} listed it against you for ${formatPaise(invoice.amount)}. Rejected, it does not go on the marketplace.`}
      onClose={onClose}
      onSubmit={onSubmit}
      submitting={isSubmitting}
      submitLabel="Reject invoice"
      formError={formError}
      tone="danger"
    >
      <FormField
        id="reject-reason"
        label="Reason"
        error={errors.reason?.message}
        hint={`${reason.length.toLocaleString('en-IN')} of ${rejectBounds.reason.maxLength} characters. The seller sees this.`}
      >
        {(field) => <textarea {...field} {...register('reason')} rows={3} maxLength={rejectBounds.reason.maxLength} />}
      </FormField>
    </DialogForm>
  );
}
