import type { Invoice, Investment, Transaction, Wallet } from '../api/types';

let nextId = 100;

export function makeInvoice(overrides: Partial<Invoice> = {}): Invoice {
  const id = overrides.id ?? nextId++;
  const amount = overrides.amount ?? 10_000_000; // ₹1,00,000
  const funding_target = overrides.funding_target ?? 9_800_000;
  const funded_amount = overrides.funded_amount ?? 0;
  return {
    id,
    seller_id: 1,
    seller_name: 'Asha Textiles',
    invoice_number: `INV-${id}`,
    buyer_name: 'Reliance Retail',
    description: null,
    amount,
    currency: 'INR',
    due_date: '2099-12-31',
    tenor_days: 60,
    discount_rate_bps: 1200,
    annual_yield_bps: 1244,
    funding_target,
    funded_amount,
    remaining: funding_target - funded_amount,
    status: 'listed',
    overdue: false,
    version: 1,
    created_at: '2026-01-01T10:00:00+05:30',
    funded_at: null,
    settled_at: null,
    ...overrides,
  };
}

export function makeInvestment(overrides: Partial<Investment> = {}): Investment {
  return {
    id: nextId++,
    invoice_id: 1,
    investor_id: 2,
    amount: 500_000,
    expected_return: 510_204,
    payout: null,
    status: 'active',
    created_at: '2026-01-02T10:00:00+05:30',
    ...overrides,
  };
}

export function makeWallet(balance: number, updated_at = '2026-01-02T10:00:00+05:30'): Wallet {
  return { balance, currency: 'INR', updated_at };
}

export function makeTransaction(overrides: Partial<Transaction> = {}): Transaction {
  return {
    id: nextId++,
    transfer_id: 'tr-1',
    direction: 'credit',
    amount: 100_000,
    balance_after: 100_000,
    kind: 'demo_credit',
    invoice_id: null,
    description: 'Demo credit',
    created_at: '2026-01-02T10:00:00+05:30',
    ...overrides,
  };
}
