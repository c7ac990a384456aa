// Invoices as lists: which belong where, merging a newer snapshot in by version; sort and
// filter for the marketplace.

import type { Invoice } from '../api/types';
import { daysUntil } from './dates';

/** The newer of two snapshots of one invoice (by version). */
export function newer(a: Invoice, b: Invoice | undefined): Invoice {
  return b && b.version > a.version ? b : a;
}

/**
 * Apply an invoice snapshot to a list: ignored if the list already shows this version or a
 * newer one; removed if it no longer belongs; else replaced or added at the top.
 */
export function mergeInvoice(list: Invoice[], incoming: Invoice, belongs: (invoice: Invoice) => boolean): Invoice[] {
  const index = list.findIndex((i) => i.id === incoming.id);
  if (index >= 0 && incoming.version <= list[index].version) return list;
  if (!belongs(incoming)) return index >= 0 ? list.filter((i) => i.id !== incoming.id) : list;
  if (index >= 0) return list.map((i) => (i.id === incoming.id ? incoming : i));
  return [incoming, ...list];
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
