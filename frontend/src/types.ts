// Server types, written once, as SPEC.md defines them. Every amount is an integer number of
// paise; ids are integers.

export type Role = 'seller' | 'investor';

export interface User {
  id: number;
  email: string;
  name: string;
  role: Role;
  created_at: string;
}

export interface AuthResponse {
  user: User;
  access_token: string;
  refresh_token: string;
}

export interface Wallet {
  balance: number;
  currency: 'INR';
  updated_at: string;
}

export type InvoiceStatus = 'listed' | 'funded' | 'settled' | 'cancelled';

export interface Invoice {
  id: number;
  seller_id: number;
  seller_name: string;
  invoice_number: string;
  buyer_name: string;
  description: string | null;
  amount: number;
  currency: 'INR';
  due_date: string; // YYYY-MM-DD, an IST business date
  tenor_days: number;
  discount_rate_bps: number;
  annual_yield_bps: number;
  funding_target: number;
  funded_amount: number;
  remaining: number;
  status: InvoiceStatus;
  overdue: boolean;
  version: number;
  created_at: string;
  funded_at: string | null;
  settled_at: string | null;
}

export interface NewInvoice {
  invoice_number: string;
  buyer_name: string;
  description?: string;
  amount: number;
  due_date: string;
  discount_rate_bps: number;
}

export type InvestmentStatus = 'active' | 'settled' | 'refunded';

/** The part of an invoice that the portfolio embeds in each investment (optional). */
export interface InvestmentInvoice {
  id: number;
  invoice_number: string;
  buyer_name: string;
  due_date: string;
  status: InvoiceStatus;
  amount: number;
  funding_target: number;
}

export interface Investment {
  id: number;
  invoice_id: number;
  investor_id: number;
  amount: number;
  expected_return: number;
  payout: number | null;
  status: InvestmentStatus;
  created_at: string;
  invoice?: InvestmentInvoice | null;
}

export interface PortfolioSummary {
  invested: number;
  expected_return: number;
  realized_gain: number;
  active_count: number;
  settled_count: number;
}

export interface Portfolio {
  summary: PortfolioSummary;
  investments: Investment[];
}

export type TransactionKind =
  | 'demo_credit'
  | 'investment'
  | 'funding_received'
  | 'repayment_paid'
  | 'repayment_received'
  | 'refund';

export interface Transaction {
  id: number;
  transfer_id: string | number;
  direction: 'credit' | 'debit';
  amount: number;
  balance_after: number;
  kind: TransactionKind | string;
  invoice_id: number | null;
  description: string | null;
  created_at: string;
}

export interface Page<T> {
  items: T[];
  next_cursor: string | null;
}

export interface SellerStats {
  listed_count: number;
  funded_count: number;
  settled_count: number;
  total_raised: number;
  face_value_outstanding: number;
}

export interface InvestorStats {
  invested: number;
  expected_return: number;
  realized_gain: number;
  active_count: number;
  marketplace_count: number;
}

export type DashboardStats = SellerStats | InvestorStats;

export interface FundResult {
  investment: Investment;
  invoice: Invoice;
  wallet: Wallet;
}

export interface ApiErrorBody {
  error: {
    code: string;
    message: string;
    details?: Record<string, unknown> | null;
  };
}

// ---- Socket.IO events (SPEC.md) ----

export interface EventMeta {
  event_id: string;
  occurred_at: string;
}

export interface ServerEvents {
  newInvoiceListed: EventMeta & { invoice: Invoice };
  invoiceFunded: EventMeta & { invoice: Invoice; investment: Investment; fully_funded: boolean };
  investmentSuccess: EventMeta & { investment: Investment; invoice: Invoice; wallet: Wallet };
  invoiceUpdated: EventMeta & { invoice: Invoice };
  portfolioUpdate: EventMeta & { summary: PortfolioSummary };
  walletUpdated: EventMeta & { wallet: Wallet; transactions: Transaction[] };
  resync: Partial<EventMeta>;
}

export type ServerEventName = keyof ServerEvents;
