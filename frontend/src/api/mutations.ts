// The calls that change things. Their answers go into the cache through cache.ts. The ones
// that move money take an Idempotency-Key (lib/idempotency.ts).

import { api, unwrap } from './client';
import type { AutoInvestRuleChange, NewAutoInvestRule, NewInvoice } from './types';

const onInvoice = (invoiceId: number) => ({ params: { path: { invoice_id: invoiceId } } });
const withKey = (idempotencyKey: string) => ({ headers: { 'Idempotency-Key': idempotencyKey } });

export const invoiceApi = {
  create: (invoice: NewInvoice) => unwrap(api.POST('/api/invoices', { body: invoice })),
  fund: (invoiceId: number, amount: number, idempotencyKey: string) =>
    unwrap(api.POST('/api/invoices/{invoice_id}/fund', { ...onInvoice(invoiceId), ...withKey(idempotencyKey), body: { amount } })),
  cancel: (invoiceId: number) => unwrap(api.POST('/api/invoices/{invoice_id}/cancel', onInvoice(invoiceId))),
  settle: (invoiceId: number, idempotencyKey: string) =>
    unwrap(api.POST('/api/invoices/{invoice_id}/settle', { ...onInvoice(invoiceId), ...withKey(idempotencyKey) })),
  accept: (invoiceId: number) => unwrap(api.POST('/api/invoices/{invoice_id}/accept', onInvoice(invoiceId))),
  reject: (invoiceId: number, reason: string) =>
    unwrap(api.POST('/api/invoices/{invoice_id}/reject', { ...onInvoice(invoiceId), body: { reason } })),
  /** `amount` null: everything owed at the moment the server does it. */
  repay: (invoiceId: number, amount: number | null, idempotencyKey: string) =>
    unwrap(api.POST('/api/invoices/{invoice_id}/repay', { ...onInvoice(invoiceId), ...withKey(idempotencyKey), body: { amount } })),
  recover: (invoiceId: number, recovery: { amount: number; note: string }, idempotencyKey: string) =>
    unwrap(api.POST('/api/invoices/{invoice_id}/recoveries', { ...onInvoice(invoiceId), ...withKey(idempotencyKey), body: recovery })),
  writeOff: (invoiceId: number, idempotencyKey: string) =>
    unwrap(api.POST('/api/invoices/{invoice_id}/write-off', { ...onInvoice(invoiceId), ...withKey(idempotencyKey) })),
};

export const auctionApi = {
  bid: (invoiceId: number, bid: { face_amount: number; rate_bps: number }, idempotencyKey: string) =>
    unwrap(api.POST('/api/invoices/{invoice_id}/bids', { ...onInvoice(invoiceId), ...withKey(idempotencyKey), body: bid })),
  acceptNow: (invoiceId: number, idempotencyKey: string) =>
    unwrap(api.POST('/api/invoices/{invoice_id}/auction/accept', { ...onInvoice(invoiceId), ...withKey(idempotencyKey) })),
};

const onRule = (ruleId: number) => ({ params: { path: { rule_id: ruleId } } });

export const autoInvestApi = {
  create: (rule: NewAutoInvestRule) => unwrap(api.POST('/api/auto-invest/rules', { body: rule })),
  update: (ruleId: number, change: AutoInvestRuleChange) => unwrap(api.PATCH('/api/auto-invest/rules/{rule_id}', { ...onRule(ruleId), body: change })),
  remove: (ruleId: number) => unwrap(api.DELETE('/api/auto-invest/rules/{rule_id}', onRule(ruleId))),
};

export const operatorApi = {
  /** `creditLimit` null: unlimited. */
  setCreditLimit: (buyerId: number, creditLimit: number | null) =>
    unwrap(api.PATCH('/api/buyers/{buyer_id}', { params: { path: { buyer_id: buyerId } }, body: { credit_limit: creditLimit } })),
  suspend: (userId: number) => unwrap(api.POST('/api/users/{user_id}/suspend', { params: { path: { user_id: userId } } })),
  unsuspend: (userId: number) => unwrap(api.POST('/api/users/{user_id}/unsuspend', { params: { path: { user_id: userId } } })),
};
