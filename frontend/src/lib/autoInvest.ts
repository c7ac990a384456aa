// Auto-invest rules as a person reads and writes them: limits in words on each rule's card,
// and the form's fields (rupees, a percentage, days) checked against the API's bounds and
// turned into the request body.

import { z } from 'zod';
import type { AutoInvestRule, NewAutoInvestRule } from '../api/types';
import { ruleBounds } from './bounds';
import { parsed } from './fields';
import { formatBps, formatBpsShort, formatPaise, formatPaiseWhole, paiseToJson, paiseToRupeesInput, parsePercentToBps, parseRupeesToPaise } from './money';

/** "Up to ₹25,000 per invoice, yield ≥ 11 %, ≤ 90 days, buyer-confirmed only". */
export function limitsInWords(rule: Pick<AutoInvestRule, 'max_per_invoice' | 'min_yield_bps' | 'max_tenor_days' | 'buyer_confirmed_only'>): string {
  const parts = [`Up to ${formatPaiseWhole(rule.max_per_invoice)} per invoice`];
  parts.push(rule.min_yield_bps > 0 ? `yield ≥ ${formatBpsShort(rule.min_yield_bps)}` : 'any yield');
  parts.push(`≤ ${rule.max_tenor_days} days`);
  if (rule.buyer_confirmed_only) parts.push('buyer-confirmed only');
  return parts.join(', ');
}

/** The money limits: "Budget ₹2,00,000 (₹50,000 invested) · keeps ₹10,000 in the wallet · ...". */
export function budgetInWords(rule: AutoInvestRule): string {
  const parts = [`Budget ${formatPaiseWhole(rule.budget)} (${formatPaiseWhole(rule.invested)} invested)`];
  if (rule.keep_balance > 0) parts.push(`keeps ${formatPaiseWhole(rule.keep_balance)} in the wallet`);
  if (rule.max_per_seller !== null) parts.push(`at most ${formatPaiseWhole(rule.max_per_seller)} with one seller`);
  if (rule.max_per_buyer !== null) parts.push(`at most ${formatPaiseWhole(rule.max_per_buyer)} on one buyer`);
  return parts.join(' · ');
}

/** The form's fields, named as the API names them (its 422 messages land on them). */
export interface RuleFormValues {
  max_per_invoice: string;
  budget: string;
  min_yield_bps: string; // percent a year as typed
  max_tenor_days: string;
  keep_balance: string;
  max_per_seller: string;
  max_per_buyer: string;
  buyer_confirmed_only: boolean;
}

export const RULE_DEFAULTS: RuleFormValues = {
  max_per_invoice: '25000',
  budget: '200000',
  min_yield_bps: '11',
  max_tenor_days: '90',
  keep_balance: '0',
  max_per_seller: '',
  max_per_buyer: '',
  buyer_confirmed_only: false,
};

export function ruleToForm(rule: AutoInvestRule): RuleFormValues {
  const rupees = (paise: number | null) => (paise === null ? '' : paiseToRupeesInput(paise));
  return {
    max_per_invoice: rupees(rule.max_per_invoice),
    budget: rupees(rule.budget),
    min_yield_bps: formatBps(rule.min_yield_bps).replace(/\.?0+%$/, '').replace('%', ''),
    max_tenor_days: String(rule.max_tenor_days),
    keep_balance: rupees(rule.keep_balance),
    max_per_seller: rupees(rule.max_per_seller),
    max_per_buyer: rupees(rule.max_per_buyer),
    buyer_confirmed_only: rule.buyer_confirmed_only,
  };
}

const rupees = (what: string, bounds: { minimum: bigint; maximum: bigint }) =>
  parsed(
    parseRupeesToPaise,
    (paise) =>
      paise < bounds.minimum || paise > bounds.maximum ? `${what} must be ${formatPaise(bounds.minimum)} to ${formatPaise(bounds.maximum)}.` : null,
    `Enter ${what.toLowerCase()} in rupees, like 25000 or 25,000.`,
  );

/** A cap that may be left empty: no cap (null). */
const optionalRupees = (what: string, bounds: { minimum: bigint; maximum: bigint }) =>
  z.union([z.string().trim().length(0).transform(() => null), rupees(what, bounds)]);

const { minYieldBps, maxTenorDays } = ruleBounds;

const days = z.string().transform((input, ctx) => {
  const value = /^\d+$/.test(input.trim()) ? Number(input) : NaN;
  if (!(value >= maxTenorDays.minimum && value <= maxTenorDays.maximum)) {
    ctx.addIssue({ code: 'custom', message: `Enter whole days, ${maxTenorDays.minimum} to ${maxTenorDays.maximum}.` });
    return z.NEVER;
  }
  return value;
});

/** Every setting but `active` (the card's switch), as the form sends it. */
export type RuleBody = Required<Omit<NewAutoInvestRule, 'active'>>;

export const ruleFormSchema = z
  .object({
    max_per_invoice: rupees('The amount per invoice', ruleBounds.maxPerInvoice),
    budget: rupees('The budget', ruleBounds.budget),
    min_yield_bps: parsed(
      parsePercentToBps,
      (bps) => (bps < minYieldBps.minimum || bps > minYieldBps.maximum ? `The yield must be ${formatBps(minYieldBps.minimum)} to ${formatBps(minYieldBps.maximum)}.` : null),
      'Enter a yearly yield in percent, like 11 or 11.5.',
    ),
    max_tenor_days: days,
    keep_balance: rupees('The balance to keep', ruleBounds.keepBalance),
    max_per_seller: optionalRupees('The cap per seller', ruleBounds.maxPerSeller),
    max_per_buyer: optionalRupees('The cap per buyer', ruleBounds.maxPerBuyer),
    buyer_confirmed_only: z.boolean(),
  })
  .transform(
    (rule): RuleBody => ({
      max_per_invoice: paiseToJson(rule.max_per_invoice),
      budget: paiseToJson(rule.budget),
      min_yield_bps: Number(rule.min_yield_bps),
      max_tenor_days: rule.max_tenor_days,
      keep_balance: paiseToJson(rule.keep_balance),
      max_per_seller: rule.max_per_seller === null ? null : paiseToJson(rule.max_per_seller),
      max_per_buyer: rule.max_per_buyer === null ? null : paiseToJson(rule.max_per_buyer),
      buyer_confirmed_only: rule.buyer_confirmed_only,
    }),
  );
