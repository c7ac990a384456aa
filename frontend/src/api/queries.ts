// Server state, as TanStack Query sees it: one key and one fetch per thing the pages show.
// Socket events and mutation answers write into the same entries (cache.ts).

import { infiniteQueryOptions, queryOptions, type QueryClient } from '@tanstack/react-query';
import { hasFilteredFields, newer, type InvoiceFilter } from '../lib/invoices';
import { api, unwrap } from './client';
import { STAT_FIELDS, type Bid, type BookLevel, type Invoice, type Page, type Role, type Stats } from './types';

/** Every invoice list is ['invoices', filter]: the cache finds them all by the prefix. */
export const invoiceListKey = (filter: InvoiceFilter) => ['invoices', filter] as const;

export interface AuditFilter {
  actor_id?: number;
  target_type?: string;
  target_id?: number;
}

export const queryKeys = {
  wallet: ['wallet'],
  transactions: ['wallet', 'transactions'],
  invoiceLists: ['invoices'],
  marketplace: invoiceListKey({ status: 'listed' }),
  myInvoices: invoiceListKey({ mine: true }),
  awaitingAcceptance: invoiceListKey({ mine: true, status: 'pending_acceptance' }),
  invoice: (id: number) => ['invoice', id] as const,
  portfolio: ['portfolio'],
  stats: ['dashboard', 'stats'],
  notifications: ['notifications'],
  buyers: ['buyers'],
  overview: ['operator', 'overview'],
  audit: (filter: AuditFilter) => ['operator', 'audit', filter] as const,
  /** An investor's own bids on an auction. */
  myBids: (invoiceId: number) => ['bids', invoiceId, 'mine'] as const,
  /** The seller's (or an operator's) view of an auction's book. */
  book: (invoiceId: number) => ['bids', invoiceId, 'book'] as const,
  rules: ['autoInvest', 'rules'],
  fills: (ruleId: number) => ['autoInvest', 'fills', ruleId] as const,
  marketStats: ['market', 'stats'],
  peopleLists: ['users'],
  people: (filter: PeopleFilter) => ['users', filter] as const,
} as const;

export interface PeopleFilter {
  q: string;
  role: Role | null;
}

const LIST_LIMIT = 100;
const MAX_PAGES = 20;
export const TRANSACTIONS_PAGE_SIZE = 25;
export const NOTIFICATIONS_PAGE_SIZE = 20;
export const AUDIT_PAGE_SIZE = 50;

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

function fetchInvoicePage({ mine, status, buyerConfirmed }: InvoiceFilter, cursor: string | null) {
  const query = { limit: LIST_LIMIT, cursor, status };
  return mine
    ? unwrap(api.GET('/api/invoices/mine', { params: { query } }))
    : unwrap(api.GET('/api/invoices', { params: { query: { ...query, buyer_confirmed: buyerConfirmed } } }));
}

/**
 * Invoices as the server filters them: by status (the marketplace is `listed`; operators may
 * ask for any), buyer-confirmed ones, or the viewer's own (`mine`). An invoice the cache
 * already knows in a newer version is shown in that version, or left out if it moved on.
 */
export const invoiceListQuery = (filter: InvoiceFilter) =>
  queryOptions({
    queryKey: invoiceListKey(filter),
    queryFn: async ({ client }) => {
      const fetched = await allPages((cursor) => fetchInvoicePage(filter, cursor));
      return fetched.map((invoice) => latestInvoice(client, invoice)).filter((invoice) => hasFilteredFields(invoice, filter));
    },
  });

export const marketplaceQuery = invoiceListQuery({ status: 'listed' });
export const myInvoicesQuery = invoiceListQuery({ mine: true });
export const awaitingAcceptanceQuery = invoiceListQuery({ mine: true, status: 'pending_acceptance' });

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

/** The figures of one role, checked to be there (the endpoint answers each role its own). */
function withFields<K extends keyof Stats>(stats: Stats, fields: readonly K[]): Required<Pick<Stats, K>> {
  const missing = fields.filter((field) => stats[field] === undefined);
  if (missing.length > 0) throw new Error(`The server's figures lack ${missing.join(', ')}.`);
  return stats as Required<Pick<Stats, K>>;
}

const statsQuery = <R extends keyof typeof STAT_FIELDS>(role: R) =>
  queryOptions({
    queryKey: queryKeys.stats,
    queryFn: async () => withFields(await unwrap(api.GET('/api/dashboard/stats')), STAT_FIELDS[role]),
  });

export const sellerStatsQuery = statsQuery('seller');
export const investorStatsQuery = statsQuery('investor');
export const buyerStatsQuery = statsQuery('buyer');

export const notificationsQuery = infiniteQueryOptions({
  queryKey: queryKeys.notifications,
  queryFn: ({ pageParam }) =>
    unwrap(api.GET('/api/notifications', { params: { query: { limit: NOTIFICATIONS_PAGE_SIZE, cursor: pageParam } } })),
  initialPageParam: null as string | null,
  getNextPageParam: (last) => last.next_cursor,
});

/** Registered buyers whose name starts with `prefix` (the listing form's picker, the operator's list). */
export const buyersQuery = (prefix: string, limit: number) =>
  queryOptions({
    queryKey: [...queryKeys.buyers, { prefix, limit }],
    queryFn: async () => (await unwrap(api.GET('/api/buyers', { params: { query: { q: prefix, limit } } }))).items,
  });

export const overviewQuery = queryOptions({
  queryKey: queryKeys.overview,
  queryFn: () => unwrap(api.GET('/api/operator/overview')),
});

export const auditQuery = (filter: AuditFilter) =>
  infiniteQueryOptions({
    queryKey: queryKeys.audit(filter),
    queryFn: ({ pageParam }) =>
      unwrap(api.GET('/api/operator/audit', { params: { query: { ...filter, limit: AUDIT_PAGE_SIZE, cursor: pageParam } } })),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.next_cursor,
  });

const fetchBids = (invoiceId: number) =>
  unwrap(api.GET('/api/invoices/{invoice_id}/bids', { params: { path: { invoice_id: invoiceId } } })).then((list) => list.items);

/** The investor's own bids on one auction (the endpoint answers each role its own view). */
export const myBidsQuery = (invoiceId: number) =>
  queryOptions({
    queryKey: queryKeys.myBids(invoiceId),
    queryFn: async () => (await fetchBids(invoiceId)).filter((item): item is Bid => 'id' in item),
  });

/** An auction's book by rate level, as its seller sees it. */
export const bookQuery = (invoiceId: number) =>
  queryOptions({
    queryKey: queryKeys.book(invoiceId),
    queryFn: async () => (await fetchBids(invoiceId)).filter((item): item is BookLevel => !('id' in item)),
  });

export const rulesQuery = queryOptions({
  queryKey: queryKeys.rules,
  queryFn: async () => (await unwrap(api.GET('/api/auto-invest/rules'))).items,
});

export const fillsQuery = (ruleId: number) =>
  queryOptions({
    queryKey: queryKeys.fills(ruleId),
    queryFn: async () => (await unwrap(api.GET('/api/auto-invest/rules/{rule_id}/fills', { params: { path: { rule_id: ruleId } } }))).items,
  });

/** The market's figures; `marketStats` events replace them as they change. */
export const marketStatsQuery = queryOptions({
  queryKey: queryKeys.marketStats,
  queryFn: () => unwrap(api.GET('/api/market/stats')),
});

export const PEOPLE_SHOWN = 50;

/** People whose name or email starts with `q` (operators). */
export const peopleQuery = (filter: PeopleFilter) =>
  queryOptions({
    queryKey: queryKeys.people(filter),
    queryFn: async () => (await unwrap(api.GET('/api/users', { params: { query: { ...filter, limit: PEOPLE_SHOWN } } }))).items,
  });
