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
