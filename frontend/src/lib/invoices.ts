// Invoices as lists: which belong where, merging a newer snapshot in by version; sort and
// filter for the marketplace.

import type { Invoice, InvoiceStatus } from '../api/types';
import { daysUntil } from './dates';

/** What an invoice list holds, as the server filters it. */
export interface InvoiceFilter {
  status?: InvoiceStatus;
  /** The viewer's own: a seller's invoices, or the invoices a buyer owes. */
  mine?: boolean;
  buyerConfirmed?: boolean;
}

/** Whether an invoice passes a list's status and buyer-confirmed filters (`mine` depends on who looks). */
export function hasFilteredFields(invoice: Invoice, { status, buyerConfirmed }: InvoiceFilter): boolean {
  return (status === undefined || invoice.status === status) && (!buyerConfirmed || invoice.buyer_confirmed);
}

/** An invoice with a fixed price: every one except an auction that has not closed yet. */
export type PricedInvoice = Invoice & {
  funding_target: number;
  remaining: number;
  discount_rate_bps: number;
  annual_yield_bps: number;
};

export function isPriced(invoice: Invoice): invoice is PricedInvoice {
  return (
    invoice.funding_target !== null &&
    invoice.remaining !== null &&
    invoice.discount_rate_bps !== null &&
    invoice.annual_yield_bps !== null
  );
}

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

export const isOnMarketplace = (invoice: Invoice) => invoice.status === 'listed';

/** Open to a fixed-price investment now (an open auction takes bids instead). */
export function canFund(invoice: Invoice): invoice is PricedInvoice {
  return isOnMarketplace(invoice) && isPriced(invoice) && invoice.remaining > 0 && daysUntil(invoice.due_date) >= 1;
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

/** Ascending by a figure that an unpriced invoice lacks: those go last. */
function byFigure(figure: (invoice: Invoice) => number | null, direction: 1 | -1) {
  return (a: Invoice, b: Invoice): number => {
    const x = figure(a);
    const y = figure(b);
    if (x === null || y === null) return (x === null ? 1 : 0) - (y === null ? 1 : 0);
    return direction * (x - y);
  };
}

const SORTS: Record<MarketplaceSort, (a: Invoice, b: Invoice) => number> = {
  newest: () => 0,
  yield: byFigure((i) => i.annual_yield_bps, -1),
  maturity: (a, b) => a.due_date.localeCompare(b.due_date),
  amount: byFigure((i) => i.amount, -1),
  remaining: byFigure((i) => i.remaining, 1),
};

export function sortInvoices(list: Invoice[], sort: MarketplaceSort): Invoice[] {
  return [...list].sort((a, b) => SORTS[sort](a, b) || byCreatedDesc(a, b));
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
    // An auction's yield is not known until it closes: it cannot promise a minimum.
    if (filter.minYieldBps !== null && (invoice.annual_yield_bps ?? -1) < filter.minYieldBps) return false;
    if (filter.maxDays !== null && daysUntil(invoice.due_date) > filter.maxDays) return false;
    return true;
  });
}
