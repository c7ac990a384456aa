import { act, render, renderHook, screen } from '@testing-library/react';
import { useEffect, useState, type ReactNode } from 'react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FakeSocket } from '../test/fakeSocket';
import { makeInvestment, makeInvoice, makeTransaction, makeWallet } from '../test/factories';
import type { Invoice } from '../types';
import {
  AUTO_DISMISS_MS,
  RealTimeProvider,
  useLiveEvent,
  useRealTimeData,
  useRefetchOn,
  type RealTimeProviderProps,
  type SocketAuth,
} from './useRealTimeData';

interface Harness {
  sockets: FakeSocket[];
  socket: () => FakeSocket;
  token: { current: string | null };
  tokenListeners: Set<(token: string | null) => void>;
  forceRefresh: ReturnType<typeof vi.fn>;
  props: Partial<RealTimeProviderProps>;
  setToken(token: string): void;
}

function makeHarness(overrides: Partial<RealTimeProviderProps> = {}): Harness {
  const sockets: FakeSocket[] = [];
  const token = { current: 'access-1' as string | null };
  const tokenListeners = new Set<(t: string | null) => void>();
  const forceRefresh = vi.fn(async () => {
    token.current = `refreshed-${forceRefresh.mock.calls.length}`;
    return token.current;
  });
  const props: Partial<RealTimeProviderProps> = {
    role: 'investor',
    socketFactory: (auth: SocketAuth) => {
      const s = new FakeSocket(auth);
      sockets.push(s);
      return s;
    },
    getToken: () => token.current,
    getFreshToken: async () => token.current,
    forceRefresh,
    onTokenChange: (listener) => {
      tokenListeners.add(listener);
      return () => tokenListeners.delete(listener);
    },
    reconnectDelayMs: 1000,
    ...overrides,
  };
  return {
    sockets,
    socket: () => sockets[sockets.length - 1],
    token,
    tokenListeners,
    forceRefresh,
    props,
    setToken(next: string) {
      token.current = next;
      tokenListeners.forEach((l) => l(next));
    },
  };
}

function renderRealTime(h: Harness) {
  const wrapper = ({ children }: { children: ReactNode }) => <RealTimeProvider {...h.props}>{children}</RealTimeProvider>;
  return renderHook(() => useRealTimeData(), { wrapper });
}

const meta = (id: string) => ({ event_id: id, occurred_at: '2026-01-02T10:00:00+05:30' });

beforeEach(() => {
  vi.useFakeTimers({ shouldAdvanceTime: false });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('useRealTimeData: connection', () => {
  it('opens exactly one socket and authenticates it with the current access token', async () => {
    const h = makeHarness();
    const { result, rerender } = renderRealTime(h);
    rerender();
    expect(h.sockets).toHaveLength(1);
    await expect(h.socket().handshakeToken()).resolves.toBe('access-1');
    expect(result.current.isConnected).toBe(false);

    act(() => h.socket().serverConnect());
    expect(result.current.isConnected).toBe(true);

    act(() => h.socket().transportDrop());
    expect(result.current.isConnected).toBe(false);
  });

  it('hands the newest token to the handshake of every reconnect', async () => {
    const h = makeHarness();
    renderRealTime(h);
    h.setToken('access-2');
    await expect(h.socket().handshakeToken()).resolves.toBe('access-2');
  });

  it('re-authenticates the live socket after a token refresh', () => {
    const h = makeHarness();
    renderRealTime(h);
    act(() => h.socket().serverConnect());
    act(() => h.setToken('access-2'));
    expect(h.socket().emitted).toContainEqual({ event: 'authenticate', args: [{ token: 'access-2' }] });
  });

  it('after a refused connect, refreshes the token and reconnects by itself, backing off', async () => {
    const h = makeHarness();
    renderRealTime(h);
    const socket = h.socket();

    act(() => socket.serverRefuse());
    expect(socket.connectCalls).toBe(0);
    await act(async () => {
      await vi.advanceTimersByTimeAsync(1000);
    });
    expect(h.forceRefresh).toHaveBeenCalledTimes(1);
    expect(socket.connectCalls).toBe(1);

    // Refused again: the next try waits twice as long.
    act(() => socket.serverRefuse());
    await act(async () => {
      await vi.advanceTimersByTimeAsync(1999);
    });
    expect(socket.connectCalls).toBe(1);
    await act(async () => {
      await vi.advanceTimersByTimeAsync(1);
    });
    expect(socket.connectCalls).toBe(2);
  });

  it('reconnects after the server disconnects it (e.g. its token expired)', async () => {
    const h = makeHarness();
    renderRealTime(h);
    const socket = h.socket();
    act(() => socket.serverConnect());
    act(() => socket.serverDisconnect());
    await act(async () => {
      await vi.advanceTimersByTimeAsync(1000);
    });
    expect(h.forceRefresh).toHaveBeenCalled();
    expect(socket.connectCalls).toBe(1);
  });

  it('leaves retries after a network drop to socket.io-client (no double connect)', async () => {
    const h = makeHarness();
    renderRealTime(h);
    const socket = h.socket();
    act(() => socket.serverConnect());
    act(() => socket.transportDrop());
    await act(async () => {
      await vi.advanceTimersByTimeAsync(30_000);
    });
    expect(socket.connectCalls).toBe(0);
  });

  it('closes the socket when unmounted (sign-out)', () => {
    const h = makeHarness();
    const { unmount } = renderRealTime(h);
    const socket = h.socket();
    act(() => socket.serverConnect());
    unmount();
    expect(socket.disconnectCalls).toBe(1);
    expect(socket.listenerCount('newInvoiceListed')).toBe(0);
  });
});

describe('useRealTimeData: refetch on reconnect and resync', () => {
  it('bumps refreshTick on every (re)connect and on resync', () => {
    const h = makeHarness();
    const { result } = renderRealTime(h);
    const start = result.current.refreshTick;

    act(() => h.socket().serverConnect());
    const afterConnect = result.current.refreshTick;
    expect(afterConnect).toBeGreaterThan(start);

    act(() => h.socket().transportDrop());
    expect(result.current.refreshTick).toBe(afterConnect);
    act(() => h.socket().serverConnect());
    expect(result.current.refreshTick).toBe(afterConnect + 1);

    act(() => h.socket().serverEmit('resync', {}));
    expect(result.current.refreshTick).toBe(afterConnect + 2);
  });

  it('makes a page refetch what it shows after a reconnect or a resync', async () => {
    const h = makeHarness();
    const fetchShown = vi.fn();

    function Page() {
      useEffect(() => fetchShown(), []); // the page's own first load
      useRefetchOn([], fetchShown);
      return null;
    }
    render(
      <RealTimeProvider {...h.props}>
        <Page />
      </RealTimeProvider>,
    );
    expect(fetchShown).toHaveBeenCalledTimes(1);

    act(() => h.socket().serverConnect());
    expect(fetchShown).toHaveBeenCalledTimes(2);

    act(() => h.socket().transportDrop());
    act(() => h.socket().serverConnect());
    expect(fetchShown).toHaveBeenCalledTimes(3);

    act(() => h.socket().serverEmit('resync', meta('r-1')));
    expect(fetchShown).toHaveBeenCalledTimes(4);

    // A repeated resync (same event_id, e.g. from a second worker's relay) is one refetch.
    act(() => h.socket().serverEmit('resync', meta('r-1')));
    expect(fetchShown).toHaveBeenCalledTimes(4);
  });

  it('debounces refetches triggered by events', async () => {
    const h = makeHarness();
    const refetch = vi.fn();
    function Page() {
      useRefetchOn(['portfolioUpdate'], refetch, 200);
      return null;
    }
    render(
      <RealTimeProvider {...h.props}>
        <Page />
      </RealTimeProvider>,
    );
    const summary = { invested: 1, expected_return: 2, realized_gain: 0, active_count: 1, settled_count: 0 };
    act(() => {
      h.socket().serverEmit('portfolioUpdate', { ...meta('p-1'), summary });
      h.socket().serverEmit('portfolioUpdate', { ...meta('p-2'), summary });
    });
    expect(refetch).not.toHaveBeenCalled();
    await act(async () => {
      await vi.advanceTimersByTimeAsync(200);
    });
    expect(refetch).toHaveBeenCalledTimes(1);
  });
});

describe('useRealTimeData: events', () => {
  it('deduplicates events by event_id', () => {
    const h = makeHarness();
    const { result } = renderRealTime(h);
    const invoice = makeInvoice({ id: 7 });
    act(() => {
      h.socket().serverEmit('newInvoiceListed', { ...meta('e-1'), invoice });
      h.socket().serverEmit('newInvoiceListed', { ...meta('e-1'), invoice });
    });
    expect(result.current.realTimeData.notifications).toHaveLength(1);
    expect(result.current.realTimeData.newInvoices.map((i) => i.id)).toEqual([7]);
    expect(result.current.unreadCount).toBe(1);
  });

  it('delivers each event once to subscribers', () => {
    const h = makeHarness();
    const seen: string[] = [];
    function Listener() {
      useLiveEvent('walletUpdated', (e) => seen.push(e.event_id));
      return null;
    }
    render(
      <RealTimeProvider {...h.props}>
        <Listener />
      </RealTimeProvider>,
    );
    const payload = { ...meta('w-1'), wallet: makeWallet(5), transactions: [] };
    act(() => {
      h.socket().serverEmit('walletUpdated', payload);
      h.socket().serverEmit('walletUpdated', payload);
      h.socket().serverEmit('walletUpdated', { ...payload, event_id: 'w-2' });
    });
    expect(seen).toEqual(['w-1', 'w-2']);
  });

  it('drops invoice updates whose version is not newer than the one seen', () => {
    const h = makeHarness();
    const updates: Invoice[] = [];
    const shown: number[] = [];
    function Listener() {
      useLiveEvent('invoice', (invoice) => shown.push(invoice.version));
      useLiveEvent('invoiceUpdated', (e) => updates.push(e.invoice));
      return null;
    }
    render(
      <RealTimeProvider {...h.props}>
        <Listener />
      </RealTimeProvider>,
    );
    const v3 = makeInvoice({ id: 9, version: 3, funded_amount: 300_000, remaining: 9_500_000 });
    const v2 = { ...v3, version: 2, funded_amount: 200_000 };
    const v4 = { ...v3, version: 4, funded_amount: 400_000 };
    act(() => {
      h.socket().serverEmit('invoiceUpdated', { ...meta('u-3'), invoice: v3 });
      h.socket().serverEmit('invoiceUpdated', { ...meta('u-2'), invoice: v2 }); // late, stale
      h.socket().serverEmit('invoiceUpdated', { ...meta('u-3b'), invoice: v3 }); // same version again
      h.socket().serverEmit('invoiceUpdated', { ...meta('u-4'), invoice: v4 });
    });
    expect(updates.map((i) => i.version)).toEqual([3, 4]);
    expect(shown).toEqual([3, 4]);
  });

  it('answers latestInvoice() with the newest version an event brought', () => {
    const h = makeHarness();
    const { result } = renderRealTime(h);
    const fetched = makeInvoice({ id: 11, version: 1 });
    act(() => h.socket().serverEmit('invoiceUpdated', { ...meta('x'), invoice: { ...fetched, version: 2, status: 'funded' } }));
    expect(result.current.latestInvoice(fetched).version).toBe(2);
    expect(result.current.latestInvoice({ ...fetched, version: 5 }).version).toBe(5);
  });

  it('forgets a new invoice once it is funded', () => {
    const h = makeHarness();
    const { result } = renderRealTime(h);
    const invoice = makeInvoice({ id: 12, version: 1 });
    act(() => h.socket().serverEmit('newInvoiceListed', { ...meta('n'), invoice }));
    expect(result.current.realTimeData.newInvoices).toHaveLength(1);
    act(() =>
      h.socket().serverEmit('invoiceUpdated', {
        ...meta('f'),
        invoice: { ...invoice, version: 2, status: 'funded', funded_amount: invoice.funding_target, remaining: 0 },
      }),
    );
    expect(result.current.realTimeData.newInvoices).toHaveLength(0);
  });

  it('notifies a seller of each funding, and an investor of its investment and repayments', () => {
    const seller = makeHarness({ role: 'seller' });
    const sellerView = renderRealTime(seller);
    const invoice = makeInvoice({ id: 20, version: 2 });
    act(() =>
      seller.socket().serverEmit('invoiceFunded', {
        ...meta('f-1'),
        invoice,
        investment: makeInvestment({ amount: 250_000 }),
        fully_funded: false,
      }),
    );
    expect(sellerView.result.current.realTimeData.notifications[0]).toMatchObject({
      title: 'New funding received',
      href: '/dashboard?invoice=20',
    });
    expect(sellerView.result.current.realTimeData.notifications[0].body).toContain('₹2,500.00');

    const investor = makeHarness();
    const investorView = renderRealTime(investor);
    act(() => {
      investor.socket().serverEmit('investmentSuccess', {
        ...meta('s-1'),
        invoice,
        investment: makeInvestment({ amount: 250_000, expected_return: 255_102 }),
        wallet: makeWallet(1),
      });
      investor.socket().serverEmit('walletUpdated', {
        ...meta('w-9'),
        wallet: makeWallet(2),
        transactions: [makeTransaction({ kind: 'repayment_received', amount: 255_102, invoice_id: 20 })],
      });
    });
    const titles = investorView.result.current.realTimeData.notifications.map((n) => n.title);
    expect(titles).toEqual(['Repayment received', 'Investment confirmed']);
  });

  it('ignores malformed payloads instead of crashing', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const h = makeHarness();
    const { result } = renderRealTime(h);
    act(() => {
      h.socket().serverEmit('invoiceUpdated', null);
      h.socket().serverEmit('newInvoiceListed', 'nonsense');
      h.socket().serverEmit('walletUpdated', { event_id: 'w' });
    });
    expect(result.current.realTimeData.notifications).toHaveLength(0);
    expect(warn).toHaveBeenCalledTimes(3);
  });
});

describe('useRealTimeData: notifications', () => {
  function listThree(h: Harness) {
    act(() => {
      for (const id of ['a', 'b', 'c']) {
        h.socket().serverEmit('newInvoiceListed', { ...meta(id), invoice: makeInvoice() });
      }
    });
  }

  it('removeNotification(id) removes that one only', () => {
    const h = makeHarness();
    const { result } = renderRealTime(h);
    listThree(h);
    expect(result.current.realTimeData.notifications.map((n) => n.id)).toEqual(['c', 'b', 'a']);
    act(() => result.current.removeNotification('b'));
    expect(result.current.realTimeData.notifications.map((n) => n.id)).toEqual(['c', 'a']);
    expect(result.current.unreadCount).toBe(2);
  });

  it('clearNotifications() empties the list, and a replayed event does not bring one back', () => {
    const h = makeHarness();
    const { result } = renderRealTime(h);
    listThree(h);
    act(() => result.current.clearNotifications());
    expect(result.current.realTimeData.notifications).toEqual([]);
    expect(result.current.unreadCount).toBe(0);
    act(() => h.socket().serverEmit('newInvoiceListed', { ...meta('a'), invoice: makeInvoice() }));
    expect(result.current.realTimeData.notifications).toEqual([]);
  });

  it('markAllRead() zeroes the unread count but keeps the notifications', () => {
    const h = makeHarness();
    const { result } = renderRealTime(h);
    listThree(h);
    act(() => result.current.markAllRead());
    expect(result.current.unreadCount).toBe(0);
    expect(result.current.realTimeData.notifications).toHaveLength(3);
  });

  it('auto-dismisses notifications when the option is on', async () => {
    const h = makeHarness();
    const { result } = renderRealTime(h);
    act(() => result.current.setAutoDismiss(true));
    listThree(h);
    expect(result.current.realTimeData.notifications).toHaveLength(3);
    await act(async () => {
      await vi.advanceTimersByTimeAsync(AUTO_DISMISS_MS + 10);
    });
    expect(result.current.realTimeData.notifications).toHaveLength(0);
    expect(localStorage.getItem('invoiceapp.autoDismiss')).toBe('1');
  });
});

describe('the connection indicator', () => {
  it('reads Live or Offline in a status role', async () => {
    const { ConnectionIndicator } = await import('../components/ConnectionIndicator');
    const h = makeHarness();
    render(
      <RealTimeProvider {...h.props}>
        <ConnectionIndicator />
      </RealTimeProvider>,
    );
    expect(screen.getByRole('status')).toHaveTextContent('Offline');
    act(() => h.socket().serverConnect());
    expect(screen.getByRole('status')).toHaveTextContent('Live');
  });
});

describe('useRefetchOn inside a component with state', () => {
  it('keeps working across re-renders', () => {
    const h = makeHarness();
    const calls = vi.fn();
    function Page() {
      const [n, setN] = useState(0);
      useRefetchOn(['invoice'], () => calls(n), 0);
      return (
        <button type="button" onClick={() => setN(n + 1)}>
          bump
        </button>
      );
    }
    render(
      <RealTimeProvider {...h.props}>
        <Page />
      </RealTimeProvider>,
    );
    act(() => screen.getByRole('button').click());
    act(() => h.socket().serverConnect());
    expect(calls).toHaveBeenLastCalledWith(1);
  });
});
