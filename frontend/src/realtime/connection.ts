// The tab's one Socket.IO connection: authentication, reconnecting, and catching up.
//
// Every event carries an opaque `offset`; the server sends `ready {offset}` after
// authentication. We remember the offset of the last event applied and hand it over at every
// (re)connect (`auth: {token, offset}`): the server then replays what we missed and says
// `recovered {replayed}`, or, when it cannot, `resync {}`, and we refetch. A connect with no
// offset to resume from (a server that sends none) refetches too.

import { io } from 'socket.io-client';

type Listener = (...args: never[]) => void;

/** The part of a socket.io-client Socket used here (a fake one in tests). */
export interface SocketLike {
  readonly connected: boolean;
  /** False after a refused connect or a server-side disconnect: no automatic retry then. */
  readonly active: boolean;
  on(event: string, listener: Listener): unknown;
  off(event: string, listener: Listener): unknown;
  onAny(listener: (event: string, ...args: unknown[]) => void): unknown;
  offAny(listener: (event: string, ...args: unknown[]) => void): unknown;
  emit(event: string, ...args: unknown[]): unknown;
  connect(): unknown;
  disconnect(): unknown;
}

export interface HandshakeAuth {
  token: string | null;
  offset?: string;
}

/** Called at every connection attempt, so the token and offset are the current ones. */
export type SocketAuth = (cb: (auth: HandshakeAuth) => void) => void;
export type SocketFactory = (auth: SocketAuth) => SocketLike;

/** Same origin; websocket first, long-polling if a proxy refuses upgrades. */
export const defaultSocketFactory: SocketFactory = (auth) =>
  io({ auth, transports: ['websocket', 'polling'] }) as unknown as SocketLike;

export interface ConnectionOptions {
  socketFactory: SocketFactory;
  /** The current access token. */
  getToken(): string | null;
  /** A token good for a while, refreshing if it is about to expire. */
  getFreshToken(): Promise<string | null>;
  /** Force a refresh (after the server refused the token). */
  forceRefresh(): Promise<string | null>;
  /** Calls the listener with the new access token whenever it changes. */
  onTokenChange(listener: (token: string | null) => void): () => void;
  /** First delay before reconnecting after a refused connect; doubles up to 15 s. */
  reconnectDelayMs: number;
  onEvent(name: string, payload: unknown): void;
  onStatus(connected: boolean): void;
  /** Events may have been missed and cannot be replayed: refetch what is shown. */
  onResync(): void;
}

export interface Connection {
  /** Where the next connect resumes from: the offset of the last event applied. */
  offset(): string | null;
  close(): void;
}

const MAX_RECONNECT_DELAY_MS = 15_000;
const PROTOCOL_EVENTS = new Set(['ready', 'recovered', 'resync', 'authenticated', 'unauthorized']);

function offsetOf(payload: unknown): string | null {
  const offset = payload && typeof payload === 'object' ? (payload as { offset?: unknown }).offset : undefined;
  return typeof offset === 'string' ? offset : null;
}

export function openConnection(options: ConnectionOptions): Connection {
  let closed = false;
  let offset: string | null = null;
  let retryTimer: ReturnType<typeof setTimeout> | null = null;
  let attempt = 0;

  const auth: SocketAuth = (cb) => {
    options
      .getFreshToken()
      .catch(() => null)
      .then((fresh) => {
        const token = fresh ?? options.getToken();
        cb(offset === null ? { token } : { token, offset });
      });
  };
  const socket = options.socketFactory(auth);

  // socket.io-client retries by itself after a network failure, but not after the server
  // refused the connection (bad or expired token) or disconnected us: then we get a fresh
  // token and connect again, backing off.
  const scheduleReconnect = (needsNewToken: boolean) => {
    if (closed || retryTimer) return;
    const delay = Math.min(options.reconnectDelayMs * 2 ** attempt, MAX_RECONNECT_DELAY_MS);
    attempt += 1;
    retryTimer = setTimeout(async () => {
      retryTimer = null;
      if (needsNewToken) await options.forceRefresh().catch(() => null);
      if (!closed && !socket.connected && !socket.active) socket.connect();
    }, delay);
  };

  const onConnect = () => {
    attempt = 0;
    options.onStatus(true);
    if (offset === null) options.onResync();
  };
  const onDisconnect = (reason: string) => {
    options.onStatus(false);
    if (reason === 'io server disconnect') scheduleReconnect(true);
  };
  const onConnectError = () => {
    options.onStatus(false);
    if (!socket.active) scheduleReconnect(true);
  };
  const onUnauthorized = () => {
    options
      .forceRefresh()
      .catch(() => null)
      .then((token) => {
        if (!closed && token && socket.connected) socket.emit('authenticate', { token });
      });
  };
  const onAnyEvent = (name: string, payload: unknown) => {
    if (name === 'ready') {
      offset ??= offsetOf(payload);
    } else if (name === 'resync') {
      options.onResync();
    } else if (!PROTOCOL_EVENTS.has(name)) {
      options.onEvent(name, payload);
      offset = offsetOf(payload) ?? offset;
    }
  };
  const onOnline = () => {
    if (closed || socket.connected || socket.active) return;
    if (retryTimer) clearTimeout(retryTimer);
    retryTimer = null;
    attempt = 0;
    socket.connect();
  };

  socket.on('connect', onConnect);
  socket.on('disconnect', onDisconnect);
  socket.on('connect_error', onConnectError);
  socket.on('unauthorized', onUnauthorized);
  socket.onAny(onAnyEvent);
  globalThis.addEventListener?.('online', onOnline);

  // After a token refresh the server must hear the new token, or it drops us at expiry.
  let lastToken = options.getToken();
  const stopWatchingToken = options.onTokenChange((token) => {
    if (closed || !token || token === lastToken) return;
    lastToken = token;
    if (socket.connected) socket.emit('authenticate', { token });
    else if (!socket.active) scheduleReconnect(false);
  });

  return {
    offset: () => offset,
    close() {
      closed = true;
      if (retryTimer) clearTimeout(retryTimer);
      stopWatchingToken();
      globalThis.removeEventListener?.('online', onOnline);
      socket.off('connect', onConnect);
      socket.off('disconnect', onDisconnect);
      socket.off('connect_error', onConnectError);
      socket.off('unauthorized', onUnauthorized);
      socket.offAny(onAnyEvent);
      socket.disconnect();
    },
  };
}
