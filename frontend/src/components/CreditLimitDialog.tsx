import { zodResolver } from '@hookform/resolvers/zod';
import { useWatch } from 'react-hook-form';
import { operatorApi } from '../api/mutations';
import type { Buyer } from '../api/types';
import { creditLimitSchema, type CreditLimitValues } from '../lib/creditLimit';
import { formatPaise, paiseToRupeesInput, parseRupeesToPaise } from '../lib/money';
import { useServerForm } from '../hooks/useServerForm';
import { DialogForm } from './DialogForm';
import { FormField, RupeeInput } from './Form';

interface Props {
  buyer: Buyer;
  onClose(): void;
  onSaved(buyer: Buyer): void;
  /** Injected in tests; defaults to the API. */
  setCreditLimit?: typeof operatorApi.setCreditLimit;
}

/** How much a buyer may owe on accepted invoices at once, or no limit. */
export function CreditLimitDialog({ buyer, onClose, onSaved, setCreditLimit = operatorApi.setCreditLimit }: Props) {
  const {
    register,
    onSubmit,
    formError,
    control,
    formState: { errors, isSubmitting },
  } = useServerForm<CreditLimitValues, number | null>(
    {
      resolver: zodResolver(creditLimitSchema),
      defaultValues: {
        unlimited: buyer.credit_limit === null,
        limit: buyer.credit_limit === null ? '' : paiseToRupeesInput(buyer.credit_limit),
      },
    },
    async (creditLimit) => onSaved((await setCreditLimit(buyer.id, creditLimit)).buyer),
    { not_found: 'This buyer no longer exists.' },
  );
  const [unlimited, limit] = useWatch({ control, name: ['unlimited', 'limit'] });
  const typed = unlimited ? null : parseRupeesToPaise(limit);
  const belowExposure = typed !== null && typed < BigInt(buyer.exposure);

  return (
    <DialogForm
      title={`Credit limit of ${buyer.name}`}
      description={`It owes ${formatPaise(buyer.exposure)} on accepted invoices now. It cannot accept an invoice that would take it past its limit.`}
      onClose={onClose}
      onSubmit={onSubmit}
      submitting={isSubmitting}
      submitLabel="Save limit"
      formError={formError}
    >
      <label className="check">
        <input type="checkbox" {...register('unlimited', { deps: ['limit'] })} />
        No limit
      </label>
      <FormField
        id="credit-limit"
        label="Credit limit (₹)"
        error={errors.limit?.message}
        hint={belowExposure ? 'Below what it owes already: it can accept nothing more until it repays.' : undefined}
      >
        {(field) => (
          <RupeeInput {...field} {...register('limit', { deps: ['unlimited'] })} disabled={unlimited} />
        )}
      </FormField>
    </DialogForm>
  );
}
