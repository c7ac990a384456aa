import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FakeSocket } from '../test/fakeSocket';
import { openConnection, type ConnectionOptions } from './connection';

function setup() {
  const sockets: FakeSocket[] = [];
  const token = { current: 'access-1' };
  const tokenListeners = new Set<(t: string | null) => void>();
  const options = {
    socketFactory: vi.fn((auth) => {
      const socket = new FakeSocket(auth);
      sockets.push(socket);
      return socket;
    }),
    getToken: () => token.current,
    getFreshToken: async () => token.current,
    forceRefresh: vi.fn(async () => (token.current = 'refreshed')),
    onTokenChange: (listener: (t: string | null) => void) => {
      tokenListeners.add(listener);
      return () => tokenListeners.delete(listener);
    },
    reconnectDelayMs: 1000,
    onEvent: vi.fn(),
    onStatus: vi.fn(),
    onResync: vi.fn(),
  } satisfies ConnectionOptions;
  const connection = openConnection(options);
  const setToken = (next: string) => {
    token.current = next;
    tokenListeners.forEach((l) => l(next));
  };
  return { connection, options, socket: sockets[0], sockets, setToken };
}

const event = (id: string, offset?: string) => ({ event_id: id, occurred_at: '2026-01-02T10:00:00+05:30', ...(offset ? { offset } : {}) });

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('connection: resuming from an offset', () => {
  it('hands the current token to the handshake, and no offset before it has one', async () => {
    const { socket, setToken } = setup();
    await expect(socket.handshake()).resolves.toEqual({ token: 'access-1' });
    setToken('access-2');
    await expect(socket.handshake()).resolves.toEqual({ token: 'access-2' });
  });

  it('takes its first offset from ready, and from then on the offset of the last event applied', async () => {
    const { socket, connection, options } = setup();
    socket.serverConnect();
    socket.serverEmit('ready', { offset: 'o-10' });
    expect(connection.offset()).toBe('o-10');
    await expect(socket.handshake()).resolves.toEqual({ token: 'access-1', offset: 'o-10' });

    socket.serverEmit('invoiceUpdated', { ...event('e-1', 'o-11'), invoice: {} });
    expect(options.onEvent).toHaveBeenCalledWith('invoiceUpdated', expect.objectContaining({ offset: 'o-11' }));
    expect(connection.offset()).toBe('o-11');
    // A later ready (re-authentication) does not move us past events we have not seen.
    socket.serverEmit('ready', { offset: 'o-99' });
    await expect(socket.handshake()).resolves.toEqual({ token: 'access-1', offset: 'o-11' });
  });

  it('on recovered just goes on: no refetch, and the replayed events are applied in order', () => {
    const { socket, options } = setup();
    socket.serverConnect();
    socket.serverEmit('ready', { offset: 'o-1' });
    options.onResync.mockClear();
    socket.transportDrop();
    socket.serverConnect();
    socket.serverEmit('walletUpdated', event('e-2', 'o-2'));
    socket.serverEmit('walletUpdated', event('e-3', 'o-3'));
    socket.serverEmit('recovered', { replayed: 2 });
    expect(options.onResync).not.toHaveBeenCalled();
    expect(options.onEvent.mock.calls.map(([, p]) => (p as { offset: string }).offset)).toEqual(['o-2', 'o-3']);
  });

  it('on resync refetches, and keeps the offset it had', () => {
    const { socket, connection, options } = setup();
    socket.serverConnect();
    socket.serverEmit('ready', { offset: 'o-5' });
    options.onResync.mockClear();
    socket.serverEmit('resync', {});
    expect(options.onResync).toHaveBeenCalledTimes(1);
    expect(connection.offset()).toBe('o-5');
    expect(options.onEvent).not.toHaveBeenCalled();
  });

  it('refetches on a connect that has nothing to resume from (a server that sends no offsets)', () => {
    const { socket, options } = setup();
    socket.serverConnect();
    expect(options.onResync).toHaveBeenCalledTimes(1);
    socket.transportDrop();
    socket.serverConnect();
    expect(options.onResync).toHaveBeenCalledTimes(2);
    expect(options.onStatus.mock.calls.map(([c]) => c)).toEqual([true, false, true]);
  });

  it('passes domain events on, but not the protocol ones', () => {
    const { socket, options } = setup();
    socket.serverEmit('authenticated', { user: {} });
    socket.serverEmit('recovered', { replayed: 0 });
    socket.serverEmit('ready', { offset: 'o' });
    expect(options.onEvent).not.toHaveBeenCalled();
  });
});

describe('connection: staying connected', () => {
  it('re-authenticates the live socket after a token refresh', () => {
    const { socket, setToken } = setup();
    socket.serverConnect();
    setToken('access-2');
    expect(socket.emitted).toContainEqual({ event: 'authenticate', args: [{ token: 'access-2' }] });
  });

  it('after a refused connect, refreshes the token and reconnects, backing off', async () => {
    const { socket, options } = setup();
    socket.serverRefuse();
    await vi.advanceTimersByTimeAsync(1000);
    expect(options.forceRefresh).toHaveBeenCalledTimes(1);
    expect(socket.connectCalls).toBe(1);
    socket.serverRefuse();
    await vi.advanceTimersByTimeAsync(1999);
    expect(socket.connectCalls).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(socket.connectCalls).toBe(2);
  });

  it('reconnects after the server disconnects it, and leaves network drops to socket.io-client', async () => {
    const { socket } = setup();
    socket.serverConnect();
    socket.transportDrop();
    await vi.advanceTimersByTimeAsync(30_000);
    expect(socket.connectCalls).toBe(0);
    socket.serverConnect();
    socket.serverDisconnect();
    await vi.advanceTimersByTimeAsync(1000);
    expect(socket.connectCalls).toBe(1);
  });

  it('close() disconnects and removes every listener', () => {
    const { socket, connection } = setup();
    socket.serverConnect();
    connection.close();
    expect(socket.disconnectCalls).toBe(1);
    expect(socket.listenerCount()).toBe(0);
  });
});
