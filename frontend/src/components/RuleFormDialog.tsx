import { zodResolver } from '@hookform/resolvers/zod';
import { useWatch } from 'react-hook-form';
import { autoInvestApi } from '../api/mutations';
import type { AutoInvestRule } from '../api/types';
import { useServerForm } from '../hooks/useServerForm';
import { limitsInWords, RULE_DEFAULTS, ruleFormSchema, ruleToForm, type RuleBody, type RuleFormValues } from '../lib/autoInvest';
import { DialogForm } from './DialogForm';
import { FormField, RupeeInput } from './Form';

interface Props {
  /** The rule to edit; none: a new rule. */
  rule?: AutoInvestRule;
  onClose(): void;
  onSaved(rule: AutoInvestRule): void;
  /** Injected in tests; default to the API. */
  create?: typeof autoInvestApi.create;
  update?: typeof autoInvestApi.update;
}

type RupeeField = 'max_per_invoice' | 'budget' | 'keep_balance' | 'max_per_seller' | 'max_per_buyer';

const RUPEE_FIELDS: { name: RupeeField; label: string; hint: string }[] = [
  { name: 'max_per_invoice', label: 'Per invoice, at most (₹)', hint: 'In whole ₹1,000 units.' },
  { name: 'budget', label: 'Budget (₹)', hint: 'The most this rule keeps invested at once.' },
  { name: 'keep_balance', label: 'Keep in the wallet (₹)', hint: 'The rule never takes your wallet below this.' },
  { name: 'max_per_seller', label: 'With one seller, at most (₹)', hint: 'Shared by your rules. Empty: no cap.' },
  { name: 'max_per_buyer', label: 'On one buyer, at most (₹)', hint: 'Shared by your rules. Empty: no cap.' },
];

/** Create or change an auto-invest rule; its limits read back in words as they are typed. */
export function RuleFormDialog({ rule, onClose, onSaved, create = autoInvestApi.create, update = autoInvestApi.update }: Props) {
  const {
    register,
    control,
    onSubmit,
    formError,
    formState: { errors, isSubmitting },
  } = useServerForm<RuleFormValues, RuleBody>(
    { resolver: zodResolver(ruleFormSchema), defaultValues: rule ? ruleToForm(rule) : RULE_DEFAULTS },
    async (values) => onSaved((rule ? await update(rule.id, values) : await create(values)).rule),
    { not_found: 'This rule no longer exists.' },
  );
  const typed = ruleFormSchema.safeParse(useWatch({ control }));

  return (
    <DialogForm
      title={rule ? `Change rule #${rule.id}` : 'New auto-invest rule'}
      description="Fills new fixed-price listings that match, within a second of listing, up to 70% of each."
      onClose={onClose}
      onSubmit={onSubmit}
      submitting={isSubmitting}
      submitLabel={rule ? 'Save rule' : 'Create rule'}
      formError={formError}
    >
      <p className="rule-words" aria-live="polite">
        {typed.success ? limitsInWords(typed.data) : 'Fill in the limits to see the rule in words.'}
      </p>
      <div className="form-grid">
        <FormField id="rule-yield" label="Minimum yield (% a year)" error={errors.min_yield_bps?.message}>
          {(field) => <input {...field} inputMode="decimal" autoComplete="off" {...register('min_yield_bps')} />}
        </FormField>
        <FormField id="rule-tenor" label="Longest tenor (days)" error={errors.max_tenor_days?.message}>
          {(field) => <input {...field} inputMode="numeric" autoComplete="off" {...register('max_tenor_days')} />}
        </FormField>
        {RUPEE_FIELDS.map(({ name, label, hint }) => (
          <FormField key={name} id={`rule-${name}`} label={label} error={errors[name]?.message} hint={hint}>
            {(field) => <RupeeInput {...field} {...register(name)} />}
          </FormField>
        ))}
      </div>
      <label className="check">
        <input type="checkbox" {...register('buyer_confirmed_only')} />
        Buyer-confirmed invoices only
      </label>
    </DialogForm>
  );
}
