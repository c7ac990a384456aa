// Server state, as TanStack Query sees it: one key and one fetch per thing the pages show.
// Socket events and mutation answers write into the same entries (cache.ts).

import { infiniteQueryOptions, queryOptions, type QueryClient } from '@tanstack/react-query';
import { isOnMarketplace, newer } from '../lib/invoices';
import { api, callJson, unwrap } from './client';
import type { Invoice, InvestorStats, NotificationPage, Page, SellerStats } from './types';

export const queryKeys = {
  wallet: ['wallet'],
  transactions: ['wallet', 'transactions'],
  marketplace: ['invoices', 'listed'],
  myInvoices: ['invoices', 'mine'],
  invoice: (id: number) => ['invoice', id] as const,
  portfolio: ['portfolio'],
  stats: ['dashboard', 'stats'],
  notifications: ['notifications'],
} as const;

const LIST_LIMIT = 100;
const MAX_PAGES = 20;
export const TRANSACTIONS_PAGE_SIZE = 25;
export const NOTIFICATIONS_PAGE_SIZE = 20;

/** Every page of a cursor-paginated list (bounded: for lists the UI shows whole). */
async function allPages<T>(fetchPage: (cursor: string | null) => Promise<Page<T>>): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | null = null;
  for (let i = 0; i < MAX_PAGES; i += 1) {
    const page: Page<T> = await fetchPage(cursor);
    items.push(...page.items);
    cursor = page.next_cursor;
    if (!cursor) break;
  }
  return items;
}

/** The newest version of this invoice that the cache has seen (an event may beat a fetch). */
export function latestInvoice(client: QueryClient, invoice: Invoice): Invoice {
  return newer(invoice, client.getQueryData<Invoice>(queryKeys.invoice(invoice.id)));
}

export const walletQuery = queryOptions({
  queryKey: queryKeys.wallet,
  queryFn: async () => (await unwrap(api.GET('/api/wallet'))).wallet,
});

export const transactionsQuery = infiniteQueryOptions({
  queryKey: queryKeys.transactions,
  queryFn: ({ pageParam }) =>
    unwrap(api.GET('/api/wallet/transactions', { params: { query: { limit: TRANSACTIONS_PAGE_SIZE, cursor: pageParam } } })),
  initialPageParam: null as string | null,
  getNextPageParam: (last) => last.next_cursor,
});

export const marketplaceQuery = queryOptions({
  queryKey: queryKeys.marketplace,
  queryFn: async ({ client }) => {
    const fetched = await allPages((cursor) =>
      unwrap(api.GET('/api/invoices', { params: { query: { status: 'listed', limit: LIST_LIMIT, cursor } } })),
    );
    return fetched.map((invoice) => latestInvoice(client, invoice)).filter(isOnMarketplace);
  },
});

export const myInvoicesQuery = queryOptions({
  queryKey: queryKeys.myInvoices,
  queryFn: async ({ client }) => {
    const fetched = await allPages((cursor) =>
      unwrap(api.GET('/api/invoices/mine', { params: { query: { limit: LIST_LIMIT, cursor } } })),
    );
    return fetched.map((invoice) => latestInvoice(client, invoice));
  },
});

export const invoiceQuery = (id: number) =>
  queryOptions({
    queryKey: queryKeys.invoice(id),
    queryFn: async ({ client }) => {
      const { invoice } = await unwrap(api.GET('/api/invoices/{invoice_id}', { params: { path: { invoice_id: id } } }));
      return latestInvoice(client, invoice);
    },
  });

export const portfolioQuery = queryOptions({
  queryKey: queryKeys.portfolio,
  queryFn: () => unwrap(api.GET('/api/portfolio')),
});

// The endpoint answers each role with its own figures.
export const sellerStatsQuery = queryOptions({
  queryKey: queryKeys.stats,
  queryFn: async () => (await unwrap(api.GET('/api/dashboard/stats'))) as SellerStats,
});

export const investorStatsQuery = queryOptions({
  queryKey: queryKeys.stats,
  queryFn: async () => (await unwrap(api.GET('/api/dashboard/stats'))) as InvestorStats,
});

export const notificationsQuery = queryOptions({
  queryKey: queryKeys.notifications,
  queryFn: () => callJson<NotificationPage>('GET', `/api/notifications?limit=${NOTIFICATIONS_PAGE_SIZE}`),
});
