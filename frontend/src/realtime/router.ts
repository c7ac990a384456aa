// From the socket to EVENT_HANDLERS: unknown events and malformed payloads are dropped, and
// an event seen before (same event_id: a replay overlapping what was live) is applied once.

import { serverClock } from '../lib/serverClock';
import { EVENT_HANDLERS, type EventContext, type ServerEventName } from './events';

const SEEN_EVENT_LIMIT = 2000;

const isObject = (value: unknown): value is Record<string, unknown> => !!value && typeof value === 'object';

/** An invoice in a payload must at least say which one and which version. */
function isWellFormed(payload: Record<string, unknown>): boolean {
  const { invoice } = payload;
  return invoice === undefined || (isObject(invoice) && typeof invoice.id === 'number' && typeof invoice.version === 'number');
}

function isKnown(name: string): name is ServerEventName {
  return Object.hasOwn(EVENT_HANDLERS, name);
}

export type EventRouter = (name: string, payload: unknown) => void;

export function createEventRouter(context: EventContext): EventRouter {
  const seen = new Set<string>();
  return (name, payload) => {
    if (!isKnown(name) || !isObject(payload) || !isWellFormed(payload)) return;
    if (typeof payload.occurred_at === 'string') serverClock.sampleEvent(payload.occurred_at, Date.now());
    const eventId = payload.event_id;
    if (typeof eventId === 'string') {
      if (seen.has(eventId)) return;
      seen.add(eventId);
      // Sets iterate in insertion order: forget the oldest.
      if (seen.size > SEEN_EVENT_LIMIT) seen.delete(seen.values().next().value!);
    }
    const handler = EVENT_HANDLERS[name] as (event: unknown, context: EventContext) => void;
    try {
      handler(payload, context);
    } catch (err) {
      console.warn(`Ignoring a ${name} event that could not be applied`, err);
    }
  };
}
