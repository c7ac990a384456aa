// The auction, auto-invest and market events: each one entry of EVENT_HANDLERS, applied to the
// cache.

import { QueryClient } from '@tanstack/react-query';
import { describe, expect, it, vi } from 'vitest';
import { queryKeys } from '../api/queries';
import type { Auction, Bid, Investment, Invoice, MarketStats, Role } from '../api/types';
import { makeAuctionInvoice, makeBid, makeInvestment, makeInvoice } from '../test/factories';
import type { EventContext } from './events';
import { createEventRouter } from './router';

function setup(role: Role, id = 2) {
  const client = new QueryClient();
  const context: EventContext = { client, viewer: { id, role }, toast: vi.fn(), announceListing: vi.fn(), refetchSoon: vi.fn(), navigate: vi.fn() };
  return { client, context, route: createEventRouter(context) };
}

let n = 0;
const meta = () => ({ event_id: `e3-${++n}`, occurred_at: '2026-01-02T10:00:00+05:30', offset: `o3-${n}` });

const stats = (volume: number): MarketStats => ({
  listed_today: 1,
  funded_today: 1,
  volume_funded_7d: volume,
  volume_funded_30d: volume,
  avg_yield_bps_7d: 1200,
  time_to_fund_p50_s: 60,
  time_to_fund_p90_s: 600,
  fully_funded_pct_30d: 50,
  overdue_pct: 0,
  default_pct: 0,
  top_buyers: [{ name: 'Infosys Ltd', share_pct: 100 }],
  daily: [{ date: '2026-01-02', listed: 1, funded: 1, volume, avg_yield_bps: 1100 }],
});

describe('marketStats', () => {
  it('replaces the market figures in the cache, for any role', () => {
    const { client, route } = setup('buyer');
    client.setQueryData(queryKeys.marketStats, stats(1_000_000));
    route('marketStats', { ...meta(), stats: stats(3_000_000) });
    expect(client.getQueryData<MarketStats>(queryKeys.marketStats)?.volume_funded_7d).toBe(3_000_000);
  });

  it('fills the cache even before the page has asked', () => {
    const { client, route } = setup('seller');
    route('marketStats', { ...meta(), stats: stats(5) });
    expect(client.getQueryData(queryKeys.marketStats)).toEqual(stats(5));
  });
});

describe('auction events', () => {
  const auctionOf = (invoice: Invoice) => invoice.auction as Auction;

  it('auctionUpdated moves the clearing rate, the cover and the close in every list; an older state is dropped', () => {
    const { client, context, route } = setup('seller', 1);
    const invoice = makeAuctionInvoice({}, { seller_id: 1 });
    client.setQueryData(queryKeys.marketplace, [invoice]);
    const later = { ...auctionOf(invoice), bid_count: 2, clearing_rate_bps: 1150, covered_face: 8_000_000, extensions: 1, closes_at: '2099-01-01T10:02:00+00:00' };
    route('auctionUpdated', { ...meta(), invoice_id: invoice.id, auction: later });
    route('auctionUpdated', { ...meta(), invoice_id: invoice.id, auction: { ...later, bid_count: 1, clearing_rate_bps: 1200 } });
    expect(client.getQueryData<Invoice[]>(queryKeys.marketplace)?.[0].auction).toEqual(later);
    expect(context.refetchSoon).toHaveBeenCalledWith(queryKeys.book(invoice.id));
  });

  it('bidOutbid flips the bid in "Your bids" and offers to bid again', () => {
    const { client, context, route } = setup('investor');
    const invoice = makeAuctionInvoice();
    client.setQueryData(queryKeys.marketplace, [invoice]);
    const bid = makeBid({ invoice_id: invoice.id, face_amount: 4_000_000 });
    client.setQueryData(queryKeys.myBids(invoice.id), [bid]);
    const outbid: Bid = { ...bid, state: 'outbid', filled_face: 0 };
    route('bidOutbid', { ...meta(), bid: outbid });
    expect(client.getQueryData(queryKeys.myBids(invoice.id))).toEqual([outbid]);
    const toast = vi.mocked(context.toast).mock.calls[0][0];
    expect(toast).toMatchObject({ title: 'You were outbid', action: { label: 'Bid again' } });
    expect(toast.body).toContain(invoice.invoice_number);
    toast.action!.onClick();
    expect(context.navigate).toHaveBeenCalledWith(`/marketplace?bid=${invoice.id}&face=4000000`);
  });

  it('bidWon and bidLost settle the bid; auctionClosed takes the invoice off the marketplace', () => {
    const { client, context, route } = setup('investor');
    const invoice = makeAuctionInvoice({ bid_count: 2 });
    client.setQueryData(queryKeys.marketplace, [invoice]);
    const [won, lost] = [makeBid({ invoice_id: invoice.id }), makeBid({ invoice_id: invoice.id, rate_bps: 1400 })];
    client.setQueryData(queryKeys.myBids(invoice.id), [won, lost]);
    route('bidWon', { ...meta(), bid: { ...won, state: 'won' }, investment: makeInvestment({ source: 'auction', amount: 3_947_397 }) });
    route('bidLost', { ...meta(), bid: { ...lost, state: 'lost', filled_face: 0 } });
    expect(client.getQueryData<Bid[]>(queryKeys.myBids(invoice.id))?.map((b) => b.state)).toEqual(['won', 'lost']);
    expect(context.refetchSoon).toHaveBeenCalledWith(queryKeys.portfolio);
    const closed = makeInvoice({ id: invoice.id, status: 'funded', version: invoice.version + 1 });
    route('auctionClosed', { ...meta(), invoice: closed });
    expect(client.getQueryData(queryKeys.marketplace)).toEqual([]);
  });
});

describe('autoInvestFilled', () => {
  it("adds the fill to its rule's list and refreshes the rules and the portfolio", () => {
    const { client, context, route } = setup('investor');
    const older = makeInvestment({ source: 'auto', rule_id: 4 });
    client.setQueryData(queryKeys.fills(4), [older]);
    const invoice = makeInvoice({ funded_amount: 2_500_000 });
    const fill: Investment = makeInvestment({ source: 'auto', rule_id: 4, invoice_id: invoice.id, amount: 2_500_000 });
    route('autoInvestFilled', { ...meta(), rule_id: 4, investment: fill, invoice });
    route('autoInvestFilled', { ...meta(), rule_id: 4, investment: fill, invoice });
    expect(client.getQueryData(queryKeys.fills(4))).toEqual([fill, older]);
    expect(context.refetchSoon).toHaveBeenCalledWith(queryKeys.rules);
    expect(context.refetchSoon).toHaveBeenCalledWith(queryKeys.portfolio);
    expect(context.toast).toHaveBeenCalledWith(expect.objectContaining({ title: 'Auto-invest filled' }));
  });
});
