import { QueryClient, type InfiniteData } from '@tanstack/react-query';
import { describe, expect, it, vi } from 'vitest';
import { marketplaceQuery, queryKeys } from '../api/queries';
import type { Invoice, NotificationPage, Portfolio, Wallet } from '../api/types';
import { makeInvoice, makeNotification, makeSummary, makeTransaction, makeWallet } from '../test/factories';
import type { EventContext } from './events';
import { createEventRouter } from './router';

const SELLER_ID = 1;

function setup(role: 'seller' | 'investor' = 'investor') {
  const client = new QueryClient();
  const context: EventContext = {
    client,
    viewer: { id: role === 'seller' ? SELLER_ID : 2, role },
    toast: vi.fn(),
    announceListing: vi.fn(),
    refetchSoon: vi.fn(),
    navigate: vi.fn(),
  };
  return { client, context, route: createEventRouter(context) };
}

let n = 0;
const meta = () => ({ event_id: `e-${++n}`, occurred_at: '2026-01-02T10:00:00+05:30' });

describe('event router: invoices by version', () => {
  it('drops an invoiceUpdated at or below a version already applied, and applies newer ones', () => {
    const { client, route } = setup();
    const v1 = makeInvoice({ version: 1 });
    client.setQueryData(queryKeys.marketplace, [v1]);
    const v2 = { ...v1, version: 2, funded_amount: 1_000_000, remaining: v1.funding_target - 1_000_000 };
    const v3 = { ...v1, version: 3, funded_amount: 2_000_000, remaining: v1.funding_target - 2_000_000 };

    route('invoiceUpdated', { ...meta(), invoice: v3 });
    route('invoiceUpdated', { ...meta(), invoice: v2 }); // late, stale
    route('invoiceUpdated', { ...meta(), invoice: v3 }); // the same version again
    expect(client.getQueryData<Invoice[]>(queryKeys.marketplace)).toEqual([v3]);
    expect(client.getQueryData(queryKeys.invoice(v1.id))).toEqual(v3);
  });

  it('takes a funded invoice off the marketplace and updates it in the seller\'s own list', () => {
    const { client, route } = setup('seller');
    const listed = makeInvoice({ seller_id: SELLER_ID, version: 1 });
    client.setQueryData(queryKeys.marketplace, [listed]);
    client.setQueryData(queryKeys.myInvoices, [listed]);
    const funded = { ...listed, version: 2, status: 'funded' as const, funded_amount: listed.funding_target, remaining: 0 };
    route('invoiceUpdated', { ...meta(), invoice: funded });
    expect(client.getQueryData(queryKeys.marketplace)).toEqual([]);
    expect(client.getQueryData(queryKeys.myInvoices)).toEqual([funded]);
  });

  it('adds a new listing to a loaded marketplace, announces it to an investor, and ignores it if not loaded', () => {
    const { client, route, context } = setup();
    const invoice = makeInvoice();
    route('newInvoiceListed', { ...meta(), invoice });
    expect(client.getQueryData(queryKeys.marketplace)).toBeUndefined();
    expect(context.announceListing).toHaveBeenCalledWith(invoice);

    client.setQueryData(queryKeys.marketplace, []);
    const second = makeInvoice();
    route('newInvoiceListed', { ...meta(), invoice: second });
    expect(client.getQueryData(queryKeys.marketplace)).toEqual([second]);
  });

  it('a marketplace fetch that answers after a newer event keeps the newer version', async () => {
    const { client, route } = setup();
    const v1 = makeInvoice({ version: 1 });
    const v2 = { ...v1, version: 2, funded_amount: 1_000_000, remaining: v1.funding_target - 1_000_000 };
    route('invoiceUpdated', { ...meta(), invoice: v2 });
    // The fetch started before the event and answers with version 1.
    vi.stubGlobal('fetch', async () => Response.json({ items: [v1], next_cursor: null }));
    try {
      await expect(client.fetchQuery(marketplaceQuery)).resolves.toEqual([v2]);
    } finally {
      vi.unstubAllGlobals();
    }
  });
});

describe('event router: deduplication and bad input', () => {
  it('applies an event once however often it arrives (a replay overlapping live events)', () => {
    const { client, route, context } = setup();
    client.setQueryData(queryKeys.transactions, { pages: [{ items: [], next_cursor: null }], pageParams: [null] });
    const payload = { ...meta(), wallet: makeWallet(5), transactions: [makeTransaction({ kind: 'refund' })] };
    route('walletUpdated', payload);
    route('walletUpdated', payload);
    expect(context.toast).toHaveBeenCalledTimes(1);
    expect(client.getQueryData<{ pages: { items: unknown[] }[] }>(queryKeys.transactions)!.pages[0].items).toHaveLength(1);
  });

  it('ignores unknown events and malformed payloads instead of crashing', () => {
    const { client, route } = setup();
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    route('somethingNew', { ...meta() });
    route('invoiceUpdated', null);
    route('newInvoiceListed', 'nonsense');
    route('invoiceUpdated', { ...meta(), invoice: { id: 1 } });
    route('walletUpdated', { ...meta() });
    expect(client.getQueryCache().getAll()).toHaveLength(0);
    expect(warn).toHaveBeenCalledTimes(1); // the walletUpdated without a wallet
  });
});

describe('event router: other caches', () => {
  it('walletUpdated keeps the newest wallet only', () => {
    const { client, route } = setup();
    route('walletUpdated', { ...meta(), wallet: makeWallet(7, '2026-01-02T10:00:05+05:30'), transactions: [] });
    route('walletUpdated', { ...meta(), wallet: makeWallet(6, '2026-01-02T10:00:01+05:30'), transactions: [] });
    expect(client.getQueryData<Wallet>(queryKeys.wallet)?.balance).toBe(7);
  });

  it('portfolioUpdate sets the summary at once and refetches the investments', () => {
    const { client, route, context } = setup();
    client.setQueryData<Portfolio>(queryKeys.portfolio, { summary: makeSummary(), investments: [] });
    const summary = makeSummary({ invested: 5, expected_return: 6, active_count: 1 });
    route('portfolioUpdate', { ...meta(), summary });
    expect(client.getQueryData<Portfolio>(queryKeys.portfolio)?.summary).toEqual(summary);
    expect(context.refetchSoon).toHaveBeenCalledWith(queryKeys.portfolio);
  });

  it('a pushed notification goes on top of the bell with the new unread count, once', () => {
    const { client, route } = setup();
    const older = makeNotification(3, true);
    client.setQueryData<InfiniteData<NotificationPage>>(queryKeys.notifications, {
      pages: [{ items: [older], next_cursor: 'c-1', unread_count: 0 }],
      pageParams: [null],
    });
    const notification = makeNotification(9);
    route('notification', { ...meta(), notification, unread_count: 1 });
    route('notification', { ...meta(), notification, unread_count: 1 });
    expect(client.getQueryData(queryKeys.notifications)).toEqual({
      pages: [{ items: [notification, older], next_cursor: 'c-1', unread_count: 1 }],
      pageParams: [null],
    });
  });
});
