// The server's clock, as seen from this tab. Countdowns (an auction's close) must follow the
// server, not the browser, whose clock may be minutes off. Each API answer's `Date` header and
// each event's `occurred_at` bound the offset (server time − our time); the estimate is the
// middle of what all the bounds still allow.

export interface OffsetBounds {
  /** The server's clock is at least this far ahead of ours (ms; negative: behind). */
  low: number;
  high: number;
}

const SECOND_MS = 1000;

export interface ServerClock {
  /**
   * An HTTP answer: its `Date` header (whole seconds, so the server's time was in
   * [date, date + 1 s)), the request sent at `sentAt` and answered at `receivedAt` (our clock).
   */
  sampleHttpDate(date: string | null, sentAt: number, receivedAt: number): void;
  /** An event that happened at `occurredAt` (server clock) reached us at `receivedAt`. */
  sampleEvent(occurredAt: string, receivedAt: number): void;
  /** Server time minus our time, in ms (0 until anything is known). */
  offsetMs(): number;
  /** The server's time now, in ms since the epoch. */
  now(): number;
}

function intersect(known: OffsetBounds | null, sample: OffsetBounds): OffsetBounds {
  if (!known) return sample;
  const low = Math.max(known.low, sample.low);
  const high = Math.min(known.high, sample.high);
  // Nothing fits both: one of the clocks jumped. Trust the newest sample.
  return low <= high ? { low, high } : sample;
}

export function createServerClock(localNow: () => number = () => Date.now()): ServerClock {
  let bounds: OffsetBounds | null = null;
  const add = (sample: OffsetBounds) => {
    bounds = intersect(bounds, sample);
  };
  const offsetMs = () => {
    if (!bounds) return 0;
    if (!Number.isFinite(bounds.high)) return bounds.low;
    return Math.round((bounds.low + bounds.high) / 2);
  };
  return {
    sampleHttpDate(date, sentAt, receivedAt) {
      const server = date ? Date.parse(date) : NaN;
      if (Number.isNaN(server)) return;
      add({ low: server - receivedAt, high: server + SECOND_MS - sentAt });
    },
    sampleEvent(occurredAt, receivedAt) {
      const server = Date.parse(occurredAt);
      if (Number.isNaN(server)) return;
      // By the time it reached us the server's clock had passed `occurredAt`.
      add({ low: server - receivedAt, high: Infinity });
    },
    offsetMs,
    now: () => localNow() + offsetMs(),
  };
}

/** The tab's one server clock, fed by api/client.ts and the socket's events. */
export const serverClock = createServerClock();
