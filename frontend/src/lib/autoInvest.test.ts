import { describe, expect, it } from 'vitest';
import type { AutoInvestRule } from '../api/types';
import { budgetInWords, limitsInWords, RULE_DEFAULTS, ruleFormSchema, ruleToForm } from './autoInvest';

const rule = (overrides: Partial<AutoInvestRule> = {}): AutoInvestRule => ({
  id: 3,
  min_yield_bps: 1100,
  max_tenor_days: 90,
  max_per_invoice: 2_500_000,
  max_per_seller: null,
  max_per_buyer: null,
  budget: 20_000_000,
  keep_balance: 0,
  buyer_confirmed_only: true,
  active: true,
  invested: 5_000_000,
  status: 'active',
  created_at: '2026-01-02T10:00:00+05:30',
  updated_at: '2026-01-02T10:00:00+05:30',
  last_filled_at: null,
  ...overrides,
});

describe('limits in words', () => {
  it('reads like a sentence', () => {
    expect(limitsInWords(rule())).toBe('Up to ₹25,000 per invoice, yield ≥ 11 %, ≤ 90 days, buyer-confirmed only');
    expect(limitsInWords(rule({ min_yield_bps: 1150, max_per_invoice: 2_500_050, buyer_confirmed_only: false, max_tenor_days: 30 }))).toBe(
      'Up to ₹25,000.50 per invoice, yield ≥ 11.5 %, ≤ 30 days',
    );
    expect(limitsInWords(rule({ min_yield_bps: 0 }))).toMatch(/, any yield,/);
  });

  it('says the money limits too', () => {
    expect(budgetInWords(rule({ keep_balance: 1_000_000, max_per_buyer: 5_000_000 }))).toBe(
      'Budget ₹2,00,000 (₹50,000 invested) · keeps ₹10,000 in the wallet · at most ₹50,000 on one buyer',
    );
  });
});

describe('the rule form', () => {
  it('turns what is typed into the request: paise, basis points, days, no cap for an empty one', () => {
    const parsed = ruleFormSchema.parse({ ...RULE_DEFAULTS, min_yield_bps: '11.5', max_per_seller: '1,00,000' });
    expect(parsed).toEqual({
      max_per_invoice: 2_500_000,
      budget: 20_000_000,
      min_yield_bps: 1150,
      max_tenor_days: 90,
      keep_balance: 0,
      max_per_seller: 10_000_000,
      max_per_buyer: null,
      buyer_confirmed_only: false,
    });
  });

  it("checks each field against the API's bounds", () => {
    const result = ruleFormSchema.safeParse({ ...RULE_DEFAULTS, max_per_invoice: '500', max_tenor_days: '400', min_yield_bps: '101', budget: 'lots' });
    expect(result.success).toBe(false);
    const messages = Object.fromEntries(result.error!.issues.map((issue) => [issue.path[0], issue.message]));
    expect(messages.max_per_invoice).toMatch(/The amount per invoice must be ₹\s?1,000\.00 to/);
    expect(messages.max_tenor_days).toBe('Enter whole days, 7 to 365.');
    expect(messages.min_yield_bps).toBe('The yield must be 0.00% to 100.00%.');
    expect(messages.budget).toBe('Enter the budget in rupees, like 25000 or 25,000.');
  });

  it('opens an existing rule as it stands', () => {
    expect(ruleFormSchema.parse(ruleToForm(rule({ min_yield_bps: 1150, max_per_buyer: 5_000_000 })))).toMatchObject({
      min_yield_bps: 1150,
      max_per_buyer: 5_000_000,
      buyer_confirmed_only: true,
    });
  });
});
