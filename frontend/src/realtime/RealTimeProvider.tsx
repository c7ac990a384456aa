// Mounted once while signed in: opens the connection, routes its events into the query
// cache, and tells the header whether we are live.

import { useQueryClient, type QueryClient, type QueryKey } from '@tanstack/react-query';
import { createContext, useContext, useEffect, useRef, useState, useSyncExternalStore, type ReactNode } from 'react';
import { useNavigate } from 'react-router';
import { freshAccessToken, refreshAccessToken } from '../api/client';
import type { Role } from '../api/types';
import { useToast } from '../components/Toasts';
import { getAccessToken, subscribe as subscribeSession } from '../lib/session';
import { defaultSocketFactory, openConnection, type ConnectionOptions } from './connection';
import { createListingAlerts, type ListingAlerts } from './listings';
import { createEventRouter } from './router';

const REFETCH_DEBOUNCE_MS = 250;

type Transport = Omit<ConnectionOptions, 'onEvent' | 'onStatus' | 'onResync'>;

const defaultTransport: Transport = {
  socketFactory: defaultSocketFactory,
  getToken: getAccessToken,
  getFreshToken: freshAccessToken,
  forceRefresh: refreshAccessToken,
  onTokenChange: (listener) => subscribeSession((session) => listener(session?.accessToken ?? null)),
  reconnectDelayMs: 1000,
};

/** Invalidate keys a little later, each once however many events asked. */
function debouncedInvalidation(client: QueryClient) {
  const pending = new Map<string, QueryKey>();
  let timer: ReturnType<typeof setTimeout> | null = null;
  const flush = () => {
    timer = null;
    const keys = [...pending.values()];
    pending.clear();
    for (const queryKey of keys) void client.invalidateQueries({ queryKey });
  };
  return {
    invalidate(queryKey: QueryKey) {
      pending.set(JSON.stringify(queryKey), queryKey);
      timer ??= setTimeout(flush, REFETCH_DEBOUNCE_MS);
    },
    cancel() {
      if (timer) clearTimeout(timer);
    },
  };
}

interface RealTimeValue {
  isConnected: boolean;
  listings: ListingAlerts;
}

const RealTimeContext = createContext<RealTimeValue | null>(null);

interface Props {
  viewer: { id: number; role: Role };
  children?: ReactNode;
  /** The socket and the tokens (a fake socket in tests). */
  transport?: Partial<Transport>;
}

export function RealTimeProvider({ viewer: { id, role }, children, transport }: Props) {
  const client = useQueryClient();
  const toast = useToast();
  const [isConnected, setConnected] = useState(false);
  const [listings] = useState(createListingAlerts);
  // The transport is read once, when the connection opens.
  const [options] = useState(() => ({ ...defaultTransport, ...transport }));
  // The router's navigate changes with the location; the connection must not.
  const navigate = useNavigate();
  const navigateRef = useRef(navigate);
  useEffect(() => {
    navigateRef.current = navigate;
  }, [navigate]);

  useEffect(() => {
    const refetch = debouncedInvalidation(client);
    const route = createEventRouter({
      client,
      viewer: { id, role },
      toast,
      announceListing: listings.announce,
      refetchSoon: refetch.invalidate,
      navigate: (path) => navigateRef.current(path),
    });
    const connection = openConnection({
      ...options,
      onEvent: route,
      onStatus: setConnected,
      onResync: () => void client.invalidateQueries(),
    });
    return () => {
      connection.close();
      refetch.cancel();
      setConnected(false);
    };
  }, [client, id, role, toast, listings, options]);

  return <RealTimeContext.Provider value={{ isConnected, listings }}>{children}</RealTimeContext.Provider>;
}

function useRealTime(): RealTimeValue {
  const value = useContext(RealTimeContext);
  if (!value) throw new Error('Real-time hooks must be used inside <RealTimeProvider>');
  return value;
}

export function useIsConnected(): boolean {
  return useRealTime().isConnected;
}

/** Ids of the listings that arrived live, newest first, and a way to dismiss one. */
export function useListingAlerts(): { ids: readonly number[]; dismiss(invoiceId: number): void } {
  const { listings } = useRealTime();
  const ids = useSyncExternalStore(listings.subscribe, listings.getSnapshot);
  return { ids, dismiss: listings.dismiss };
}
