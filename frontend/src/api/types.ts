// Names for the server's types. Everything the REST API describes comes from the generated
// schema.d.ts (`make api-types`); every amount is an integer number of paise.

import type { components } from './schema';

type Schemas = components['schemas'];

export type User = Schemas['User'];
export type Role = User['role'];
/** Roles a person may register with; operators are made with a CLI command. */
export type SelfRegisteredRole = Exclude<Role, 'operator'>;
export type AuthResponse = Schemas['AuthResponse'];
export type Wallet = Schemas['Wallet'];
export type Invoice = Schemas['Invoice'];
export type InvoiceStatus = Invoice['status'];
export type NewInvoice = Schemas['InvoiceCreate'];
export type Investment = Schemas['Investment'];
export type InvestmentStatus = Investment['status'];
export type PortfolioInvestment = Schemas['PortfolioInvestment'];
export type InvestmentInvoice = Schemas['InvestmentInvoice'];
export type PortfolioSummary = Schemas['Summary'];
export type Portfolio = Schemas['PortfolioResponse'];
export type Transaction = Schemas['Transaction'];
export type TransactionKind = Transaction['kind'];
export type FundResult = Schemas['FundingResponse'];
export type AppNotification = Schemas['Notification'];
export type NotificationPage = Schemas['NotificationPage'];
export type Buyer = Schemas['Buyer'];
export type Overview = Schemas['Overview'];
export type AuditEntry = Schemas['AuditEntry'];
export type AuditPage = Schemas['AuditPage'];
export type Auction = Schemas['Auction'];
export type Bid = Schemas['Bid'];
export type BidState = Bid['state'];
/** The seller's view of an auction's book: one row per rate, no bidder named. */
export type BookLevel = Schemas['BookLevel'];
export type BidResult = Schemas['BidResponse'];
export type AutoInvestRule = Schemas['Rule'];
export type NewAutoInvestRule = Schemas['RuleCreate'];
export type AutoInvestRuleChange = Schemas['RuleUpdate'];
export type MarketStats = Schemas['MarketStats'];
export type MarketDay = Schemas['Daily'];

export interface Page<T> {
  items: T[];
  next_cursor: string | null;
}

// One endpoint answers each role with its own figures (every field is optional in the
// document); queries.ts checks that the role's fields are there before typing them so.
export type Stats = Schemas['Stats'];
export const STAT_FIELDS = {
  seller: ['listed_count', 'pending_count', 'funded_count', 'settled_count', 'overdue_count', 'total_raised', 'face_value_outstanding'],
  investor: ['invested', 'expected_return', 'realized_gain', 'active_count', 'marketplace_count', 'received', 'overdue_amount', 'defaulted_amount', 'loss'],
  buyer: ['pending_count', 'owing_count', 'owed_total', 'overdue_total', 'next_due_date', 'exposure', 'credit_limit'],
} as const satisfies Record<string, readonly (keyof Stats)[]>;
type StatsOf<R extends keyof typeof STAT_FIELDS> = Required<Pick<Stats, (typeof STAT_FIELDS)[R][number]>>;
export type SellerStats = StatsOf<'seller'>;
export type InvestorStats = StatsOf<'investor'>;
export type BuyerStats = StatsOf<'buyer'>;
