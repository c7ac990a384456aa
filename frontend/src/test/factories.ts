import type { AppNotification, Auction, Bid, Investment, Invoice, PortfolioSummary, Transaction, User, Wallet } from '../api/types';
import type { PricedInvoice } from '../lib/invoices';

let nextId = 100;

export function makeUser(overrides: Partial<User> = {}): User {
  return {
    id: 1,
    email: 'seller@example.in',
    name: 'Asha Textiles',
    role: 'seller',
    created_at: '2026-01-01T00:00:00+05:30',
    email_notifications: true,
    suspended: false,
    ...overrides,
  };
}

/** A fixed-price invoice (listed unless told otherwise). */
export function makeInvoice(overrides: Partial<PricedInvoice> = {}): PricedInvoice {
  const id = overrides.id ?? nextId++;
  const amount = overrides.amount ?? 10_000_000; // ₹1,00,000
  const funding_target = overrides.funding_target ?? 9_800_000;
  const funded_amount = overrides.funded_amount ?? 0;
  return {
    id,
    seller_id: 1,
    seller_name: 'Asha Textiles',
    invoice_number: `INV-${id}`,
    buyer_id: null,
    buyer_name: 'Reliance Retail',
    buyer_confirmed: false,
    description: null,
    pricing: 'fixed',
    amount,
    currency: 'INR',
    due_date: '2099-12-31',
    tenor_days: 60,
    discount_rate_bps: 1200,
    annual_yield_bps: 1244,
    funding_target,
    funded_amount,
    remaining: funding_target - funded_amount,
    repaid_amount: 0,
    late_interest: 0,
    owed: amount,
    days_past_due: 0,
    status: 'listed',
    overdue: false,
    reason: null,
    auction: null,
    version: 1,
    created_at: '2026-01-01T10:00:00+05:30',
    accepted_at: null,
    funded_at: null,
    settled_at: null,
    defaulted_at: null,
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
    received: 0,
    payout: null,
    loss: null,
    status: 'active',
    source: 'manual',
    rule_id: null,
    created_at: '2026-01-02T10:00:00+05:30',
    ...overrides,
  };
}

export function makeSummary(overrides: Partial<PortfolioSummary> = {}): PortfolioSummary {
  return {
    invested: 0,
    expected_return: 0,
    realized_gain: 0,
    active_count: 0,
    settled_count: 0,
    received: 0,
    overdue_amount: 0,
    defaulted_amount: 0,
    loss: 0,
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

export function makeNotification(id: number, read = false): AppNotification {
  return {
    id,
    kind: 'invoice_funded',
    title: `Funding ${id}`,
    body: `₹1,000.00 invested in INV-${id}`,
    invoice_id: id,
    created_at: '2026-01-02T10:00:00+05:30',
    read_at: read ? '2026-01-02T11:00:00+05:30' : null,
  };
}

/** An invoice in an open rate auction: no price yet. */
export function makeAuctionInvoice(auction: Partial<Auction> = {}, overrides: Partial<Invoice> = {}): Invoice {
  return {
    ...makeInvoice(),
    pricing: 'auction',
    discount_rate_bps: null,
    annual_yield_bps: null,
    funding_target: null,
    remaining: null,
    amount: 10_000_000, // ₹1,00,000
    due_date: '2099-02-10',
    auction: {
      max_rate_bps: 1500,
      auto_accept_rate_bps: null,
      closes_at: '2099-01-01T10:00:00+00:00', // 1 Jan 2099 in India too: 40 days before the due date
      extensions: 0,
      clearing_rate_bps: null,
      covered_face: 0,
      bid_count: 0,
      state: 'open',
      ...auction,
    },
    ...overrides,
  };
}

export function makeBid(overrides: Partial<Bid> = {}): Bid {
  return {
    id: nextId++,
    invoice_id: 1,
    face_amount: 4_000_000,
    rate_bps: 1200,
    state: 'winning',
    filled_face: 4_000_000,
    investment_id: null,
    created_at: '2026-01-02T10:00:00+05:30',
    ...overrides,
  };
}
