// Names for the server's types. Everything the REST API describes comes from the generated
// schema.d.ts (`make api-types`); every amount is an integer number of paise.

import type { components } from './schema';

type Schemas = components['schemas'];

export type User = Schemas['User'];
export type Role = User['role'];
export type AuthResponse = Schemas['AuthResponse'];
export type Wallet = Schemas['Wallet'];
export type Invoice = Schemas['Invoice'];
export type InvoiceStatus = Invoice['status'];
export type NewInvoice = Schemas['InvoiceCreate'];
export type Investment = Schemas['Investment'];
export type InvestmentStatus = Investment['status'];
export type PortfolioInvestment = Schemas['PortfolioInvestment'];
export type PortfolioSummary = Schemas['Summary'];
export type Portfolio = Schemas['PortfolioResponse'];
export type Transaction = Schemas['Transaction'];
export type TransactionKind = Transaction['kind'];
export type FundResult = Schemas['FundingResponse'];

export interface Page<T> {
  items: T[];
  next_cursor: string | null;
}

// One endpoint answers both roles with different fields.
type Stats = Schemas['Stats'];
export type SellerStats = Required<
  Pick<Stats, 'listed_count' | 'funded_count' | 'settled_count' | 'total_raised' | 'face_value_outstanding'>
>;
export type InvestorStats = Required<
  Pick<Stats, 'invested' | 'expected_return' | 'realized_gain' | 'active_count' | 'marketplace_count'>
>;

// Stored notifications: the server side is being built; until openapi.json describes them,
// these follow the agreed contract (GET /api/notifications, POST /api/notifications/read).
export interface AppNotification {
  id: number;
  kind: string;
  title: string;
  body: string;
  invoice_id: number | null;
  created_at: string;
  read_at: string | null;
}

export interface NotificationPage extends Page<AppNotification> {
  unread_count: number;
}
