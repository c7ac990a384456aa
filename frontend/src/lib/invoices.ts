// Keeping a shown list of invoices current from events and refetches, by version.

import type { Invoice } from '../types';
import { daysUntil } from './dates';

/**
 * Apply an invoice snapshot to a list: ignored if the list already shows this version or a
 * newer one; removed if `keep` says it no longer belongs; else replaced or (optionally) added.
 */
export function mergeInvoice(
  list: Invoice[],
  incoming: Invoice,
  keep: (invoice: Invoice) => boolean,
  addIfMissing: boolean,
): Invoice[] {
  const index = list.findIndex((i) => i.id === incoming.id);
  if (index >= 0 && incoming.version <= list[index].version) return list;
  if (!keep(incoming)) return index >= 0 ? list.filter((i) => i.id !== incoming.id) : list;
  if (index >= 0) return list.map((i) => (i.id === incoming.id ? incoming : i));
  return addIfMissing ? [incoming, ...list] : list;
}

/** A fresh page of invoices, with any newer version an event has brought meanwhile. */
export function reconcile(fetched: Invoice[], latest: (i: Invoice) => Invoice, keep: (i: Invoice) => boolean): Invoice[] {
  return fetched.map(latest).filter(keep);
}

export const isOnMarketplace = (invoice: Invoice) => invoice.status === 'listed' && invoice.remaining > 0;

export function canFund(invoice: Invoice): boolean {
  return isOnMarketplace(invoice) && daysUntil(invoice.due_date) >= 1;
}

export type MarketplaceSort = 'newest' | 'yield' | 'maturity' | 'amount' | 'remaining';

export const SORT_LABELS: Record<MarketplaceSort, string> = {
  newest: 'Newest first',
  yield: 'Highest yield',
  maturity: 'Soonest maturity',
  amount: 'Largest face value',
  remaining: 'Least left to fund',
};

function byCreatedDesc(a: Invoice, b: Invoice): number {
  const diff = Date.parse(b.created_at) - Date.parse(a.created_at);
  return diff !== 0 && !Number.isNaN(diff) ? diff : b.id - a.id;
}

export function sortInvoices(list: Invoice[], sort: MarketplaceSort): Invoice[] {
  const sorted = [...list];
  switch (sort) {
    case 'yield':
      return sorted.sort((a, b) => b.annual_yield_bps - a.annual_yield_bps || byCreatedDesc(a, b));
    case 'maturity':
      return sorted.sort((a, b) => a.due_date.localeCompare(b.due_date) || byCreatedDesc(a, b));
    case 'amount':
      return sorted.sort((a, b) => b.amount - a.amount || byCreatedDesc(a, b));
    case 'remaining':
      return sorted.sort((a, b) => a.remaining - b.remaining || byCreatedDesc(a, b));
    default:
      return sorted.sort(byCreatedDesc);
  }
}

export interface MarketplaceFilter {
  text: string;
  minYieldBps: number | null;
  maxDays: number | null;
}

export function filterInvoices(list: Invoice[], filter: MarketplaceFilter): Invoice[] {
  const text = filter.text.trim().toLowerCase();
  return list.filter((invoice) => {
    if (text) {
      const haystack = `${invoice.invoice_number} ${invoice.buyer_name} ${invoice.seller_name} ${invoice.description ?? ''}`.toLowerCase();
      if (!haystack.includes(text)) return false;
    }
    if (filter.minYieldBps !== null && invoice.annual_yield_bps < filter.minYieldBps) return false;
    if (filter.maxDays !== null && daysUntil(invoice.due_date) > filter.maxDays) return false;
    return true;
  });
}
