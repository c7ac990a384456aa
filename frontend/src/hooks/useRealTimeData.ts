// The one Socket.IO connection of this tab, and what the pages read from it.
//
// <RealTimeProvider> (mounted once, while signed in) owns the socket; useRealTimeData() gives:
// isConnected, realTimeData.{notifications,newInvoices}, clearNotifications(),
// removeNotification(id), a `refreshTick` that grows on every (re)connect and `resync` (pages
// refetch what they show when it changes), and subscribe()/useLiveEvent() for the events.
// Events are deduplicated by event_id; invoice updates at or below a version already seen are
// dropped.

import {
  createContext,
  createElement,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useRef,
  useState,
  type ReactNode,
} from 'react';
import { io } from 'socket.io-client';
import { freshAccessToken, refreshAccessToken } from '../lib/api';
import { notificationsFor, type AppNotification } from '../lib/notifications';
import { getAccessToken, subscribe as subscribeSession } from '../lib/session';
import type { Invoice, Role, ServerEventName, ServerEvents } from '../types';

/** The part of a socket.io-client Socket that the provider uses (a fake one in tests). */
export interface SocketLike {
  readonly connected: boolean;
  /** False after a refused connect or a server-side disconnect: no automatic retry then. */
  readonly active: boolean;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  on(event: string, listener: (...args: any[]) => void): unknown;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  off(event: string, listener?: (...args: any[]) => void): unknown;
  emit(event: string, ...args: unknown[]): unknown;
  connect(): unknown;
  disconnect(): unknown;
}

export type SocketAuth = (cb: (data: { token: string | null }) => void) => void;
export type SocketFactory = (auth: SocketAuth) => SocketLike;

/** Same origin; websocket first, long-polling if a proxy refuses upgrades. */
export const defaultSocketFactory: SocketFactory = (auth) =>
  io({ auth, transports: ['websocket', 'polling'] }) as unknown as SocketLike;

export const SERVER_EVENTS: ServerEventName[] = [
  'newInvoiceListed',
  'invoiceFunded',
  'investmentSuccess',
  'invoiceUpdated',
  'portfolioUpdate',
  'walletUpdated',
  'resync',
];

/** Pseudo-event: any event that carried an invoice newer than every version seen before. */
export type ChannelName = ServerEventName | 'invoice';
type ChannelPayload<C extends ChannelName> = C extends 'invoice'
  ? Invoice
  : C extends ServerEventName
    ? ServerEvents[C]
    : never;
type Handler<C extends ChannelName> = (payload: ChannelPayload<C>) => void;

export interface RealTimeData {
  notifications: AppNotification[];
  /** Invoices announced by newInvoiceListed in this session, newest first, still listed. */
  newInvoices: Invoice[];
}

export interface RealTimeContextValue {
  isConnected: boolean;
  realTimeData: RealTimeData;
  unreadCount: number;
  clearNotifications(): void;
  removeNotification(id: string): void;
  markAllRead(): void;
  dismissNewInvoice(id: number): void;
  autoDismiss: boolean;
  setAutoDismiss(value: boolean): void;
  /** Grows on every (re)connect and on `resync`: refetch what you show. */
  refreshTick: number;
  subscribe<C extends ChannelName>(channel: C, handler: Handler<C>): () => void;
  /** The newest version of this invoice that an event has brought, or the given one. */
  latestInvoice(invoice: Invoice): Invoice;
}

const RealTimeContext = createContext<RealTimeContextValue | null>(null);

const SEEN_EVENT_LIMIT = 2000;
const MAX_NOTIFICATIONS = 50;
const MAX_NEW_INVOICES = 30;
export const AUTO_DISMISS_MS = 8000;
const AUTO_DISMISS_KEY = 'invoiceapp.autoDismiss';

export interface RealTimeProviderProps {
  children?: ReactNode;
  role?: Role | null;
  socketFactory?: SocketFactory;
  /** The current access token (default: the stored session's). */
  getToken?: () => string | null;
  /** A token good for a while, refreshing if it is about to expire. */
  getFreshToken?: () => Promise<string | null>;
  /** Force a refresh (after the server refused the token). */
  forceRefresh?: () => Promise<string | null>;
  /** Called with the new access token whenever it changes. */
  onTokenChange?: (listener: (token: string | null) => void) => () => void;
  /** First delay before reconnecting after a refused connect; doubles up to 15 s. */
  reconnectDelayMs?: number;
}

const defaultTokenChange = (listener: (token: string | null) => void) =>
  subscribeSession((session) => listener(session?.accessToken ?? null));

function readAutoDismiss(): boolean {
  try {
    return globalThis.localStorage?.getItem(AUTO_DISMISS_KEY) === '1';
  } catch {
    return false;
  }
}

const isObject = (value: unknown): value is Record<string, unknown> => !!value && typeof value === 'object';

/** The fields each event must carry to be used at all (SPEC.md); anything else is dropped. */
function isWellFormed(event: ServerEventName, payload: Record<string, unknown>): boolean {
  switch (event) {
    case 'newInvoiceListed':
    case 'invoiceUpdated':
      return isInvoice(payload.invoice);
    case 'invoiceFunded':
    case 'investmentSuccess':
      return isInvoice(payload.invoice) && isObject(payload.investment);
    case 'portfolioUpdate':
      return isObject(payload.summary);
    case 'walletUpdated':
      return isObject(payload.wallet) && (payload.transactions === undefined || Array.isArray(payload.transactions));
    default:
      return true;
  }
}

function isInvoice(value: unknown): value is Invoice {
  return (
    !!value &&
    typeof value === 'object' &&
    (typeof (value as Invoice).id === 'number' || typeof (value as Invoice).id === 'string') &&
    typeof (value as Invoice).version === 'number'
  );
}

export function RealTimeProvider({
  children,
  role = null,
  socketFactory = defaultSocketFactory,
  getToken = getAccessToken,
  getFreshToken = freshAccessToken,
  forceRefresh = refreshAccessToken,
  onTokenChange = defaultTokenChange,
  reconnectDelayMs = 1000,
}: RealTimeProviderProps) {
  const [isConnected, setConnected] = useState(false);
  const [notifications, setNotifications] = useState<AppNotification[]>([]);
  const [newInvoices, setNewInvoices] = useState<Invoice[]>([]);
  const [refreshTick, setRefreshTick] = useState(0);
  const [autoDismiss, setAutoDismissState] = useState(readAutoDismiss);

  const seenEvents = useRef(new Set<string>());
  const invoiceVersions = useRef(new Map<string, Invoice>());
  const handlers = useRef(new Map<ChannelName, Set<(payload: unknown) => void>>());

  // Options are read through a ref so that a new inline function prop does not reconnect.
  const options = useRef({ role, getToken, getFreshToken, forceRefresh, onTokenChange, reconnectDelayMs });
  options.current = { role, getToken, getFreshToken, forceRefresh, onTokenChange, reconnectDelayMs };

  const dispatch = useCallback((channel: ChannelName, payload: unknown) => {
    const set = handlers.current.get(channel);
    if (!set) return;
    for (const handler of [...set]) {
      try {
        handler(payload);
      } catch (err) {
        console.error(`Handler for ${channel} failed`, err);
      }
    }
  }, []);

  const handleEvent = useCallback(
    (event: ServerEventName, raw: unknown) => {
      const payload = (isObject(raw) ? raw : {}) as Record<string, unknown>;
      if (!isWellFormed(event, payload)) {
        console.warn(`Ignoring malformed ${event} event`, raw);
        return;
      }

      const eventId = typeof payload.event_id === 'string' ? payload.event_id : null;
      if (eventId) {
        const seen = seenEvents.current;
        if (seen.has(eventId)) return;
        seen.add(eventId);
        if (seen.size > SEEN_EVENT_LIMIT) {
          // Sets iterate in insertion order: forget the oldest.
          const oldest = seen.values().next().value;
          if (oldest !== undefined) seen.delete(oldest);
        }
      }

      if (event === 'resync') {
        setRefreshTick((t) => t + 1);
        dispatch('resync', payload);
        return;
      }

      const invoice = isInvoice(payload.invoice) ? payload.invoice : null;
      if (invoice) {
        const key = String(invoice.id);
        const known = invoiceVersions.current.get(key);
        const isNewer = !known || invoice.version > known.version;
        // An update we already have (or older) is dropped. Other events still carry news
        // (a funding, a listing) even when their invoice snapshot is not the newest.
        if (!isNewer && event === 'invoiceUpdated') return;
        if (isNewer) {
          invoiceVersions.current.set(key, invoice);
          dispatch('invoice', invoice);
          if (invoice.status !== 'listed') {
            setNewInvoices((list) => (list.some((i) => i.id === invoice.id) ? list.filter((i) => i.id !== invoice.id) : list));
          } else {
            setNewInvoices((list) => (list.some((i) => i.id === invoice.id) ? list.map((i) => (i.id === invoice.id ? invoice : i)) : list));
          }
        }
        if (event === 'newInvoiceListed') {
          const latest = invoiceVersions.current.get(key) ?? invoice;
          if (latest.status === 'listed') {
            setNewInvoices((list) =>
              [latest, ...list.filter((i) => i.id !== latest.id)].slice(0, MAX_NEW_INVOICES),
            );
          }
        }
      }

      let drafts: ReturnType<typeof notificationsFor> = [];
      try {
        drafts = notificationsFor(event, payload as unknown as ServerEvents[typeof event], options.current.role);
      } catch (err) {
        console.warn(`Could not describe ${event} event`, err);
      }
      if (drafts.length > 0) {
        const receivedAt = Date.now();
        setNotifications((list) => {
          const fresh = drafts
            .filter((d) => !list.some((n) => n.id === d.id))
            .map((d) => ({ ...d, receivedAt, read: false }));
          return [...fresh, ...list].slice(0, MAX_NOTIFICATIONS);
        });
      }

      dispatch(event, payload);
    },
    [dispatch],
  );

  // The socket: created once per provider (one provider per signed-in tab).
  const factoryRef = useRef(socketFactory);
  useEffect(() => {
    let disposed = false;
    let retryTimer: ReturnType<typeof setTimeout> | null = null;
    let attempt = 0;

    const auth: SocketAuth = (cb) => {
      options.current
        .getFreshToken()
        .catch(() => null)
        .then((token) => cb({ token: token ?? options.current.getToken() }));
    };

    const socket = factoryRef.current(auth);

    // socket.io-client retries by itself after a network failure, but not after the server
    // refused the connection (bad/expired token) or disconnected us: then we get a fresh
    // token and connect again, backing off.
    const scheduleReconnect = (needsNewToken: boolean) => {
      if (disposed || retryTimer) return;
      const { reconnectDelayMs: base } = options.current;
      const delay = Math.min(base * 2 ** attempt, 15_000);
      attempt += 1;
      retryTimer = setTimeout(async () => {
        retryTimer = null;
        if (disposed) return;
        if (needsNewToken) await options.current.forceRefresh().catch(() => null);
        if (disposed || socket.connected || socket.active) return;
        socket.connect();
      }, delay);
    };

    const onConnect = () => {
      attempt = 0;
      setConnected(true);
      // Whatever happened while we were away is unknown: pages refetch.
      setRefreshTick((t) => t + 1);
    };
    const onDisconnect = (reason: string) => {
      setConnected(false);
      if (reason === 'io server disconnect') scheduleReconnect(true);
    };
    const onConnectError = () => {
      setConnected(false);
      if (!socket.active) scheduleReconnect(true);
    };
    const onUnauthorized = () => {
      options.current
        .forceRefresh()
        .catch(() => null)
        .then((token) => {
          if (!disposed && token && socket.connected) socket.emit('authenticate', { token });
        });
    };
    const onOnline = () => {
      if (!disposed && !socket.connected && !socket.active) {
        if (retryTimer) clearTimeout(retryTimer);
        retryTimer = null;
        attempt = 0;
        socket.connect();
      }
    };

    const eventListeners = SERVER_EVENTS.map((name) => {
      const listener = (payload: unknown) => handleEvent(name, payload);
      socket.on(name, listener);
      return [name, listener] as const;
    });
    socket.on('connect', onConnect);
    socket.on('disconnect', onDisconnect);
    socket.on('connect_error', onConnectError);
    socket.on('unauthorized', onUnauthorized);
    if (typeof window !== 'undefined') window.addEventListener('online', onOnline);

    // After a token refresh the server must hear the new token, or it drops us at expiry.
    let lastToken = options.current.getToken();
    const stopWatchingToken = options.current.onTokenChange((token) => {
      if (disposed || !token || token === lastToken) return;
      lastToken = token;
      if (socket.connected) socket.emit('authenticate', { token });
      else if (!socket.active) scheduleReconnect(false);
    });

    return () => {
      disposed = true;
      if (retryTimer) clearTimeout(retryTimer);
      stopWatchingToken();
      if (typeof window !== 'undefined') window.removeEventListener('online', onOnline);
      for (const [name, listener] of eventListeners) socket.off(name, listener);
      socket.off('connect', onConnect);
      socket.off('disconnect', onDisconnect);
      socket.off('connect_error', onConnectError);
      socket.off('unauthorized', onUnauthorized);
      socket.disconnect();
      setConnected(false);
    };
  }, [handleEvent]);

  // Auto-dismiss: notifications older than AUTO_DISMISS_MS go away on their own.
  useEffect(() => {
    if (!autoDismiss || notifications.length === 0) return;
    const oldest = Math.min(...notifications.map((n) => n.receivedAt));
    const wait = Math.max(0, oldest + AUTO_DISMISS_MS - Date.now());
    const timer = setTimeout(() => {
      const cutoff = Date.now() - AUTO_DISMISS_MS;
      setNotifications((list) => list.filter((n) => n.receivedAt > cutoff));
    }, wait);
    return () => clearTimeout(timer);
  }, [autoDismiss, notifications]);

  const clearNotifications = useCallback(() => setNotifications([]), []);
  const removeNotification = useCallback(
    (id: string) => setNotifications((list) => list.filter((n) => n.id !== id)),
    [],
  );
  const markAllRead = useCallback(
    () => setNotifications((list) => (list.some((n) => !n.read) ? list.map((n) => ({ ...n, read: true })) : list)),
    [],
  );
  const dismissNewInvoice = useCallback(
    (id: number) => setNewInvoices((list) => list.filter((i) => i.id !== id)),
    [],
  );
  const setAutoDismiss = useCallback((value: boolean) => {
    setAutoDismissState(value);
    try {
      globalThis.localStorage?.setItem(AUTO_DISMISS_KEY, value ? '1' : '0');
    } catch {
      // preference only
    }
  }, []);

  const subscribe = useCallback(<C extends ChannelName>(channel: C, handler: Handler<C>) => {
    let set = handlers.current.get(channel);
    if (!set) {
      set = new Set();
      handlers.current.set(channel, set);
    }
    const stored = handler as (payload: unknown) => void;
    set.add(stored);
    return () => {
      set.delete(stored);
    };
  }, []);

  const latestInvoice = useCallback((invoice: Invoice) => {
    const known = invoiceVersions.current.get(String(invoice.id));
    return known && known.version > invoice.version ? known : invoice;
  }, []);

  const unreadCount = useMemo(() => notifications.filter((n) => !n.read).length, [notifications]);

  const value = useMemo<RealTimeContextValue>(
    () => ({
      isConnected,
      realTimeData: { notifications, newInvoices },
      unreadCount,
      clearNotifications,
      removeNotification,
      markAllRead,
      dismissNewInvoice,
      autoDismiss,
      setAutoDismiss,
      refreshTick,
      subscribe,
      latestInvoice,
    }),
    [
      isConnected,
      notifications,
      newInvoices,
      unreadCount,
      clearNotifications,
      removeNotification,
      markAllRead,
      dismissNewInvoice,
      autoDismiss,
      setAutoDismiss,
      refreshTick,
      subscribe,
      latestInvoice,
    ],
  );

  return createElement(RealTimeContext.Provider, { value }, children);
}

export function useRealTimeData(): RealTimeContextValue {
  const value = useContext(RealTimeContext);
  if (!value) throw new Error('useRealTimeData() must be used inside <RealTimeProvider>');
  return value;
}

/** Run `handler` for each (deduplicated) event on `channel` while the component is mounted. */
export function useLiveEvent<C extends ChannelName>(channel: C, handler: Handler<C>): void {
  const { subscribe } = useRealTimeData();
  const ref = useRef(handler);
  useEffect(() => {
    ref.current = handler;
  });
  useEffect(() => subscribe(channel, ((payload: ChannelPayload<C>) => ref.current(payload)) as Handler<C>), [
    subscribe,
    channel,
  ]);
}

/**
 * Call `refetch` whenever the connection comes back or the server asks for a resync, and
 * (debounced) whenever one of `channels` fires. The first call on mount is the caller's job.
 */
export function useRefetchOn(channels: ChannelName[], refetch: () => void, debounceMs = 250): void {
  const { subscribe, refreshTick } = useRealTimeData();
  const ref = useRef(refetch);
  useEffect(() => {
    ref.current = refetch;
  });
  const lastTick = useRef(refreshTick);
  useEffect(() => {
    if (lastTick.current === refreshTick) return;
    lastTick.current = refreshTick;
    ref.current();
  }, [refreshTick]);
  const key = channels.join(',');
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | null = null;
    const fire = () => {
      if (timer) clearTimeout(timer);
      timer = setTimeout(() => {
        timer = null;
        ref.current();
      }, debounceMs);
    };
    const stops = key
      .split(',')
      .filter(Boolean)
      .map((channel) => subscribe(channel as ChannelName, fire));
    return () => {
      if (timer) clearTimeout(timer);
      stops.forEach((stop) => stop());
    };
  }, [subscribe, key, debounceMs]);
}
