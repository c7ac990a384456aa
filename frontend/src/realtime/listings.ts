// Listings that arrived live in this session, newest first: the marketplace marks them "New"
// and the pop-up offers them to an investor who is elsewhere. A tiny external store.

import type { Invoice } from '../api/types';

const MAX_ANNOUNCED = 30;

export interface ListingAlerts {
  announce(invoice: Invoice): void;
  dismiss(invoiceId: number): void;
  subscribe(listener: () => void): () => void;
  /** Invoice ids, newest first. */
  getSnapshot(): readonly number[];
}

export function createListingAlerts(): ListingAlerts {
  let ids: readonly number[] = [];
  const listeners = new Set<() => void>();
  const set = (next: readonly number[]) => {
    ids = next;
    listeners.forEach((listener) => listener());
  };
  return {
    announce: (invoice) => set([invoice.id, ...ids.filter((id) => id !== invoice.id)].slice(0, MAX_ANNOUNCED)),
    dismiss: (invoiceId) => {
      if (ids.includes(invoiceId)) set(ids.filter((id) => id !== invoiceId));
    },
    subscribe: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    getSnapshot: () => ids,
  };
}
