// Whether the marketplace can reach its database, as the API's answers tell it: a 503
// `service_unavailable` (with Retry-After) means not right now; any other answer from the API
// means it can again. A tiny external store, read by the outage banner.

export interface Outage {
  /** When to try again (our clock, ms), from the last Retry-After. */
  retryAt: number;
}

export interface ServiceHealth {
  unavailable(retryAfterMs: number): void;
  reachable(): void;
  subscribe(listener: () => void): () => void;
  /** The current outage, or null while requests succeed. */
  getSnapshot(): Outage | null;
}

export function createServiceHealth(now: () => number = () => Date.now()): ServiceHealth {
  let outage: Outage | null = null;
  const listeners = new Set<() => void>();
  const set = (next: Outage | null) => {
    outage = next;
    listeners.forEach((listener) => listener());
  };
  return {
    unavailable: (retryAfterMs) => set({ retryAt: now() + retryAfterMs }),
    reachable: () => {
      if (outage) set(null);
    },
    subscribe: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    getSnapshot: () => outage,
  };
}

/** The tab's one record, fed by api/client.ts. */
export const serviceHealth = createServiceHealth();
