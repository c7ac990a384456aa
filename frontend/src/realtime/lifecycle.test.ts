// The Release 2 events: an invoice's life after listing (acceptance, repayment, lateness),
// each applied to the cache by version, stale ones dropped without a word.

import { QueryClient } from '@tanstack/react-query';
import { describe, expect, it, vi } from 'vitest';
import { invoiceListKey, queryKeys } from '../api/queries';
import type { Invoice, Portfolio, PortfolioInvestment, Role } from '../api/types';
import type { PricedInvoice } from '../lib/invoices';
import { makeInvestment, makeInvoice, makeSummary } from '../test/factories';
import type { EventContext } from './events';
import { createEventRouter } from './router';

const SELLER = 1;
const INVESTOR = 2;
const BUYER = 3;
const VIEWERS: Record<Exclude<Role, 'operator'>, number> = { seller: SELLER, investor: INVESTOR, buyer: BUYER };

function setup(role: keyof typeof VIEWERS) {
  const client = new QueryClient();
  const context: EventContext = {
    client,
    viewer: { id: VIEWERS[role], role },
    toast: vi.fn(),
    announceListing: vi.fn(),
    refetchSoon: vi.fn(),
    navigate: vi.fn(),
  };
  return { client, context, route: createEventRouter(context) };
}

let n = 0;
const meta = () => ({ event_id: `e-${++n}`, occurred_at: '2026-01-02T10:00:00+05:30', offset: `o-${n}` });
const pendingInvoice = (overrides: Partial<PricedInvoice> = {}) =>
  makeInvoice({ seller_id: SELLER, buyer_id: BUYER, buyer_name: 'Tata Motors', status: 'pending_acceptance', version: 1, ...overrides });

describe('acceptance events', () => {
  it('invoiceAwaitingAcceptance puts the invoice in the buyer\'s list of invoices to answer, and says so', () => {
    const { client, context, route } = setup('buyer');
    client.setQueryData(queryKeys.awaitingAcceptance, []);
    client.setQueryData(queryKeys.myInvoices, []);
    const invoice = pendingInvoice();
    route('invoiceAwaitingAcceptance', { ...meta(), invoice });
    expect(client.getQueryData(queryKeys.awaitingAcceptance)).toEqual([invoice]);
    expect(client.getQueryData(queryKeys.myInvoices)).toEqual([invoice]);
    expect(context.toast).toHaveBeenCalledWith(expect.objectContaining({ title: 'An invoice awaits your acceptance' }));
    expect(context.refetchSoon).toHaveBeenCalledWith(queryKeys.stats);
  });

  it('invoiceAccepted moves the seller\'s invoice on (listed, buyer confirmed); a late repeat of the pending version changes nothing', () => {
    const { client, context, route } = setup('seller');
    const pending = pendingInvoice();
    client.setQueryData(queryKeys.myInvoices, [pending]);
    const accepted = { ...pending, status: 'listed' as const, buyer_confirmed: true, version: 2 };
    route('invoiceAccepted', { ...meta(), invoice: accepted });
    route('invoiceAwaitingAcceptance', { ...meta(), invoice: pending });
    expect(client.getQueryData(queryKeys.myInvoices)).toEqual([accepted]);
    expect(context.toast).toHaveBeenCalledTimes(1);
    expect(context.toast).toHaveBeenCalledWith(expect.objectContaining({ tone: 'success', title: 'Buyer accepted your invoice' }));
  });

  it('invoiceRejected tells the seller the buyer\'s reason', () => {
    const { client, context, route } = setup('seller');
    client.setQueryData(queryKeys.myInvoices, [pendingInvoice({ id: 7 })]);
    const rejected = pendingInvoice({ id: 7, status: 'rejected', reason: 'Goods not received', version: 2 });
    route('invoiceRejected', { ...meta(), invoice: rejected });
    expect(client.getQueryData<Invoice[]>(queryKeys.myInvoices)?.[0]).toMatchObject({ status: 'rejected', reason: 'Goods not received' });
    expect(context.toast).toHaveBeenCalledWith(expect.objectContaining({ tone: 'error', body: expect.stringContaining('Goods not received') }));
  });

  it('an accepted listing reaches the buyer-confirmed marketplace too, and an unconfirmed one does not', () => {
    const { client, route } = setup('investor');
    const confirmedKey = invoiceListKey({ status: 'listed', buyerConfirmed: true });
    client.setQueryData(confirmedKey, []);
    client.setQueryData(queryKeys.marketplace, []);
    const confirmed = makeInvoice({ buyer_confirmed: true, version: 2 });
    const named = makeInvoice({ buyer_confirmed: false });
    route('newInvoiceListed', { ...meta(), invoice: confirmed });
    route('newInvoiceListed', { ...meta(), invoice: named });
    expect(client.getQueryData(confirmedKey)).toEqual([confirmed]);
    expect(client.getQueryData(queryKeys.marketplace)).toEqual([named, confirmed]);
  });
});

function portfolioWith(investment: PortfolioInvestment): Portfolio {
  return { summary: makeSummary({ invested: investment.amount, active_count: 1 }), investments: [investment] };
}

const held = (invoice: Invoice, overrides: Partial<PortfolioInvestment> = {}): PortfolioInvestment => {
  const { id, invoice_number, buyer_name, buyer_confirmed, amount, funding_target, due_date, status, days_past_due, owed } = invoice;
  return {
    ...makeInvestment({ invoice_id: id, investor_id: INVESTOR, amount: 5_000_000, expected_return: 5_100_000 }),
    invoice: { id, invoice_number, buyer_name, buyer_confirmed, amount, funding_target, due_date, status, days_past_due, owed },
    ...overrides,
  };
};

describe('repayment and lateness events', () => {
  it('repaymentReceived credits the investment at once and refetches the summary; an older payment snapshot is dropped', () => {
    const { client, context, route } = setup('investor');
    const funded = makeInvoice({ status: 'funded', version: 3, owed: 10_000_000 });
    const investment = held(funded);
    client.setQueryData(queryKeys.portfolio, portfolioWith(investment));
    const paidPart = { ...funded, version: 4, repaid_amount: 4_000_000, owed: 6_000_000 };
    route('repaymentReceived', {
      ...meta(),
      invoice: paidPart,
      investment: { ...investment, invoice: undefined, received: 2_000_000 },
      amount: 2_000_000,
    });
    const paidAll = { ...funded, version: 5, repaid_amount: 10_000_000, owed: 0, status: 'settled' as const };
    route('repaymentReceived', {
      ...meta(),
      invoice: paidAll,
      investment: { ...investment, invoice: undefined, received: 5_100_000, status: 'settled', payout: 5_100_000 },
      amount: 3_100_000,
    });
    // A snapshot taken between the two, arriving late (a replay overlapping a refetch).
    route('repaymentReceived', { ...meta(), invoice: paidPart, investment: { ...investment, invoice: undefined, received: 2_000_000 }, amount: 2_000_000 });

    const shown = client.getQueryData<Portfolio>(queryKeys.portfolio)!.investments[0];
    expect(shown).toMatchObject({ received: 5_100_000, status: 'settled', payout: 5_100_000, invoice: { status: 'settled', owed: 0 } });
    expect(client.getQueryData<Invoice>(queryKeys.invoice(funded.id))?.version).toBe(5);
    expect(context.refetchSoon).toHaveBeenCalledWith(queryKeys.portfolio);
    expect(context.toast).toHaveBeenCalledWith(expect.objectContaining({ title: 'Invoice repaid in full' }));
  });

  it('invoiceOverdue and invoiceDefaulted update every list showing the invoice; a stale one says nothing', () => {
    const { client, context, route } = setup('seller');
    const funded = makeInvoice({ seller_id: SELLER, status: 'funded', version: 3 });
    client.setQueryData(queryKeys.myInvoices, [funded]);
    const overdue = { ...funded, status: 'overdue' as const, days_past_due: 1, overdue: true, version: 4 };
    const defaulted = { ...funded, status: 'defaulted' as const, days_past_due: 60, overdue: true, version: 9 };
    route('invoiceDefaulted', { ...meta(), invoice: defaulted });
    route('invoiceOverdue', { ...meta(), invoice: overdue }); // older: dropped
    expect(client.getQueryData(queryKeys.myInvoices)).toEqual([defaulted]);
    expect(context.toast).toHaveBeenCalledTimes(1);
    expect(context.toast).toHaveBeenCalledWith(expect.objectContaining({ title: `${funded.invoice_number} has defaulted` }));
  });

  it('an operator\'s list by status gains and loses invoices as their status changes', () => {
    const client = new QueryClient();
    const route = createEventRouter({ client, viewer: { id: 9, role: 'operator' }, toast: vi.fn(), announceListing: vi.fn(), refetchSoon: vi.fn(), navigate: vi.fn() });
    const overdueKey = invoiceListKey({ status: 'overdue' });
    const defaultedKey = invoiceListKey({ status: 'defaulted' });
    const overdue = makeInvoice({ status: 'overdue', version: 4 });
    client.setQueryData(overdueKey, [overdue]);
    client.setQueryData(defaultedKey, []);
    const defaulted = { ...overdue, status: 'defaulted' as const, version: 5 };
    route('invoiceUpdated', { ...meta(), invoice: defaulted });
    expect(client.getQueryData(overdueKey)).toEqual([]);
    expect(client.getQueryData(defaultedKey)).toEqual([defaulted]);
  });
});
