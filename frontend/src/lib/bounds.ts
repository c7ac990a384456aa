// The API's limits, read from its OpenAPI document (frontend/openapi.json, written from the
// backend by `make api-types`), so forms check exactly what the server will.

import { components } from '../../openapi.json';

const { InvoiceCreate, Register, Fund } = components.schemas;

export const invoiceBounds = {
  invoiceNumber: InvoiceCreate.properties.invoice_number,
  buyerName: InvoiceCreate.properties.buyer_name,
  description: InvoiceCreate.properties.description,
  amount: { minimum: BigInt(InvoiceCreate.properties.amount.minimum), maximum: BigInt(InvoiceCreate.properties.amount.maximum) },
  daysAfterToday: InvoiceCreate.properties.due_date['x-days-after-today'],
  discountRateBps: {
    minimum: BigInt(InvoiceCreate.properties.discount_rate_bps.minimum),
    maximum: BigInt(InvoiceCreate.properties.discount_rate_bps.maximum),
  },
};

export const registerBounds = {
  name: Register.properties.name,
  email: Register.properties.email,
  password: Register.properties.password,
};

/** Below this an investment is refused, unless it is everything that is left. */
export const MIN_INVESTMENT = BigInt(Fund.properties.amount['x-minimum-investment']);

const { Reject, Recovery, CreditLimit } = components.schemas;

export const rejectBounds = { reason: Reject.properties.reason };

export const recoveryBounds = { note: Recovery.properties.note };

export const creditLimitBounds = { maximum: BigInt(CreditLimit.properties.credit_limit.maximum) };

const { AuctionTerms } = components.schemas;

/** An auction listing's terms (its shortest duration is the server's AUCTION_MIN_SECONDS). */
export const auctionBounds = {
  maxRateBps: { minimum: BigInt(AuctionTerms.properties.max_rate_bps.minimum), maximum: BigInt(AuctionTerms.properties.max_rate_bps.maximum) },
  durationSeconds: AuctionTerms.properties.duration_seconds,
};

const { RuleCreate } = components.schemas;
const money = (bounds: { minimum: number; maximum: number }) => ({ minimum: BigInt(bounds.minimum), maximum: BigInt(bounds.maximum) });

/** An auto-invest rule's limits. */
export const ruleBounds = {
  minYieldBps: money(RuleCreate.properties.min_yield_bps),
  maxTenorDays: RuleCreate.properties.max_tenor_days,
  maxPerInvoice: money(RuleCreate.properties.max_per_invoice),
  maxPerSeller: money(RuleCreate.properties.max_per_seller),
  maxPerBuyer: money(RuleCreate.properties.max_per_buyer),
  budget: money(RuleCreate.properties.budget),
  keepBalance: money(RuleCreate.properties.keep_balance),
};
