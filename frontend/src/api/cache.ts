// Writing into the query cache what the server told us outside a fetch (socket events,
// mutation answers). Each writer only moves forward: an invoice by `version`, a wallet by
// `updated_at`, transactions and notifications by id.

import type { InfiniteData, QueryClient } from '@tanstack/react-query';
import { auctionOf, isLaterAuction } from '../lib/auctions';
import { hasFilteredFields, mergeInvoice, type InvoiceFilter } from '../lib/invoices';
import { queryKeys } from './queries';
import type { AppNotification, Auction, Bid, Buyer, Investment, Invoice, NotificationPage, Page, Portfolio, Transaction, User, Wallet } from './types';

function belongsIn(filter: InvoiceFilter, invoice: Invoice, viewerId: number): boolean {
  const mine = invoice.seller_id === viewerId || invoice.buyer_id === viewerId;
  return hasFilteredFields(invoice, filter) && (!filter.mine || mine);
}

/**
 * Apply an invoice snapshot everywhere it is shown: its own entry and every loaded list
 * (['invoices', filter]), where it is added, replaced or removed as the filter says. Returns
 * false (and changes nothing) when the cache already has this version or a newer one: a stale
 * or repeated update.
 */
export function applyInvoice(client: QueryClient, invoice: Invoice, viewerId: number): boolean {
  const known = client.getQueryData<Invoice>(queryKeys.invoice(invoice.id));
  if (known && known.version >= invoice.version) return false;
  client.setQueryData(queryKeys.invoice(invoice.id), invoice);
  for (const query of client.getQueryCache().findAll({ queryKey: queryKeys.invoiceLists })) {
    const filter = query.queryKey[1] as InvoiceFilter;
    client.setQueryData<Invoice[]>(query.queryKey, (shown) =>
      shown ? mergeInvoice(shown, invoice, (i) => belongsIn(filter, i, viewerId)) : shown,
    );
  }
  return true;
}

/** The invoice as the cache knows it: its own entry, or its row in any loaded list. */
export function knownInvoice(client: QueryClient, invoiceId: number): Invoice | undefined {
  const own = client.getQueryData<Invoice>(queryKeys.invoice(invoiceId));
  if (own) return own;
  for (const [, list] of client.getQueriesData<Invoice[]>({ queryKey: queryKeys.invoiceLists })) {
    const found = list?.find((invoice) => invoice.id === invoiceId);
    if (found) return found;
  }
  return undefined;
}

/**
 * An auction's new state (a bid, an extension) wherever its invoice is shown. The invoice's
 * version does not move with bids, so the auction itself says which state is later.
 */
export function applyAuction(client: QueryClient, invoiceId: number, auction: Auction): void {
  const update = (invoice: Invoice): Invoice => {
    const shown = auctionOf(invoice);
    return invoice.id === invoiceId && shown && isLaterAuction(auction, shown) ? { ...invoice, auction } : invoice;
  };
  client.setQueryData<Invoice>(queryKeys.invoice(invoiceId), (invoice) => invoice && update(invoice));
  client.setQueriesData<Invoice[]>({ queryKey: queryKeys.invoiceLists }, (list) => {
    if (!list?.some((invoice) => invoice.id === invoiceId)) return list;
    return list.map(update);
  });
}

/** A bid's new state (winning, outbid, won, lost) in the bidder's list of its bids. */
export function applyBid(client: QueryClient, bid: Bid): void {
  client.setQueryData<Bid[]>(queryKeys.myBids(bid.invoice_id), (bids) => {
    if (!bids) return bids;
    return bids.some((b) => b.id === bid.id) ? bids.map((b) => (b.id === bid.id ? bid : b)) : [...bids, bid];
  });
}

/** A fill of an auto-invest rule, newest first in the rule's list (if it is loaded). */
export function addFill(client: QueryClient, ruleId: number, investment: Investment): void {
  client.setQueryData<Investment[]>(queryKeys.fills(ruleId), (fills) =>
    fills && !fills.some((i) => i.id === investment.id) ? [investment, ...fills] : fills,
  );
}

/** A person's account as it now stands (suspended or not), in every loaded search. */
export function applyPerson(client: QueryClient, user: User): void {
  client.setQueriesData<User[]>({ queryKey: queryKeys.peopleLists }, (list) => list?.map((u) => (u.id === user.id ? user : u)));
}

/**
 * A payment reached one of the viewer's investments: its portfolio row takes the new figures
 * and its invoice's state. Money received only grows, so a snapshot with less is older and
 * is dropped.
 */
export function applyInvestment(client: QueryClient, investment: Investment, invoice: Invoice): void {
  client.setQueryData<Portfolio>(queryKeys.portfolio, (portfolio) => {
    const shown = portfolio?.investments.find((i) => i.id === investment.id);
    if (!portfolio || !shown || investment.received < shown.received) return portfolio;
    const { status, days_past_due, owed, buyer_confirmed } = invoice;
    const updated = { ...shown, ...investment, invoice: { ...shown.invoice, status, days_past_due, owed, buyer_confirmed } };
    return { ...portfolio, investments: portfolio.investments.map((i) => (i.id === investment.id ? updated : i)) };
  });
}

/** A buyer's new terms (its credit limit), in every loaded list of buyers. */
export function applyBuyer(client: QueryClient, buyer: Buyer): void {
  client.setQueriesData<Buyer[]>({ queryKey: queryKeys.buyers }, (list) => list?.map((b) => (b.id === buyer.id ? buyer : b)));
}

function isOlder(candidate: Wallet, current: Wallet): boolean {
  return Date.parse(candidate.updated_at) < Date.parse(current.updated_at);
}

/** Apply a wallet snapshot unless a newer one is already shown. */
export function applyWallet(client: QueryClient, wallet: Wallet): void {
  client.setQueryData<Wallet>(queryKeys.wallet, (current) => (current && isOlder(wallet, current) ? current : wallet));
}

function newestFirst(a: Transaction, b: Transaction): number {
  return Date.parse(b.created_at) - Date.parse(a.created_at) || b.id - a.id;
}

/** Add transactions not yet shown (by id), keeping newest first. */
export function mergeTransactions(shown: Transaction[], incoming: Transaction[]): Transaction[] {
  const ids = new Set(shown.map((t) => t.id));
  const fresh = incoming.filter((t) => !ids.has(t.id));
  return fresh.length === 0 ? shown : [...fresh, ...shown].sort(newestFirst);
}

/** Change the first (newest) page of a loaded cursor-paginated list. */
function updateFirstPage<P extends Page<unknown>>(client: QueryClient, key: readonly unknown[], update: (first: P) => P): void {
  client.setQueryData<InfiniteData<P>>(key, (data) => {
    if (!data || data.pages.length === 0) return data;
    const [first, ...rest] = data.pages;
    const updated = update(first);
    return updated === first ? data : { ...data, pages: [updated, ...rest] };
  });
}

/** New transactions go on top of the first page of the history (if it is loaded). */
export function addTransactions(client: QueryClient, transactions: Transaction[]): void {
  updateFirstPage<Page<Transaction>>(client, queryKeys.transactions, (first) => {
    const items = mergeTransactions(first.items, transactions);
    return items === first.items ? first : { ...first, items };
  });
}

/** The unread count the bell shows: the newest the server told (kept on the first page). */
export function unreadCountOf(data: InfiniteData<NotificationPage> | undefined): number | null {
  return data?.pages[0]?.unread_count ?? null;
}

/** A notification pushed by the server, with the unread count that came with it. */
export function addNotification(client: QueryClient, notification: AppNotification, unreadCount: number): void {
  updateFirstPage<NotificationPage>(client, queryKeys.notifications, (first) => {
    const known = first.items.some((n) => n.id === notification.id);
    return { ...first, items: known ? first.items : [notification, ...first.items], unread_count: unreadCount };
  });
}

/** After "mark read": these are read now (at `at`), and the server's new unread count. */
export function markNotificationsRead(
  client: QueryClient,
  isRead: (notification: AppNotification) => boolean,
  unreadCount: number,
  at: string,
): void {
  client.setQueryData<InfiniteData<NotificationPage>>(queryKeys.notifications, (data) =>
    data && {
      ...data,
      pages: data.pages.map((page, index) => ({
        ...page,
        unread_count: index === 0 ? unreadCount : page.unread_count,
        items: page.items.map((n) => (n.read_at === null && isRead(n) ? { ...n, read_at: at } : n)),
      })),
    },
  );
}
