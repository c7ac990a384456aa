// Writing into the query cache what the server told us outside a fetch (socket events,
// mutation answers). Each writer only moves forward: an invoice by `version`, a wallet by
// `updated_at`, transactions and notifications by id.

import type { InfiniteData, QueryClient } from '@tanstack/react-query';
import { isOnMarketplace, mergeInvoice } from '../lib/invoices';
import { queryKeys } from './queries';
import type { AppNotification, Invoice, NotificationPage, Page, Transaction, Wallet } from './types';

/** The lists an invoice may appear in, and whether it belongs there for this viewer. */
const INVOICE_LISTS = [
  { key: queryKeys.marketplace, belongs: (invoice: Invoice) => isOnMarketplace(invoice) },
  { key: queryKeys.myInvoices, belongs: (invoice: Invoice, viewerId: number) => invoice.seller_id === viewerId },
];

/**
 * Apply an invoice snapshot everywhere it is shown. Returns false (and changes nothing) when
 * the cache already has this version or a newer one: a stale or repeated update.
 */
export function applyInvoice(client: QueryClient, invoice: Invoice, viewerId: number): boolean {
  const known = client.getQueryData<Invoice>(queryKeys.invoice(invoice.id));
  if (known && known.version >= invoice.version) return false;
  client.setQueryData(queryKeys.invoice(invoice.id), invoice);
  for (const list of INVOICE_LISTS) {
    client.setQueryData<Invoice[]>(list.key, (shown) =>
      shown ? mergeInvoice(shown, invoice, (i) => list.belongs(i, viewerId)) : shown,
    );
  }
  return true;
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

/** New transactions go on top of the first page of the history (if it is loaded). */
export function addTransactions(client: QueryClient, transactions: Transaction[]): void {
  client.setQueryData<InfiniteData<Page<Transaction>>>(queryKeys.transactions, (data) => {
    if (!data || data.pages.length === 0) return data;
    const [first, ...rest] = data.pages;
    const items = mergeTransactions(first.items, transactions);
    return items === first.items ? data : { ...data, pages: [{ ...first, items }, ...rest] };
  });
}

/** A notification pushed by the server, with the unread count that came with it. */
export function addNotification(client: QueryClient, notification: AppNotification, unreadCount: number): void {
  client.setQueryData<NotificationPage>(queryKeys.notifications, (page) => {
    if (!page) return page;
    const items = page.items.some((n) => n.id === notification.id) ? page.items : [notification, ...page.items];
    return { ...page, items, unread_count: unreadCount };
  });
}

/** After "mark read": these are read now (at `at`), and the server's new unread count. */
export function markNotificationsRead(
  client: QueryClient,
  isRead: (notification: AppNotification) => boolean,
  unreadCount: number,
  at: string,
): void {
  client.setQueryData<NotificationPage>(queryKeys.notifications, (page) =>
    page && {
      ...page,
      unread_count: unreadCount,
      items: page.items.map((n) => (n.read_at === null && isRead(n) ? { ...n, read_at: at } : n)),
    },
  );
}
