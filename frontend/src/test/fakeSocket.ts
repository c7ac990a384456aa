import type { SocketAuth, SocketLike } from '../hooks/useRealTimeData';

type Listener = (...args: unknown[]) => void;

/**
 * A stand-in for a socket.io-client Socket: the provider registers listeners; the test plays
 * the server (serverConnect, serverEmit, serverRefuse, transportDrop) and reads what the client
 * sent (emitted) and how often it asked to connect.
 */
export class FakeSocket implements SocketLike {
  connected = false;
  active = false;
  connectCalls = 0;
  disconnectCalls = 0;
  readonly emitted: { event: string; args: unknown[] }[] = [];
  private listeners = new Map<string, Set<Listener>>();

  constructor(readonly auth: SocketAuth) {
    // socket.io-client connects as soon as the socket is created (autoConnect).
    this.active = true;
  }

  on(event: string, listener: Listener) {
    if (!this.listeners.has(event)) this.listeners.set(event, new Set());
    this.listeners.get(event)!.add(listener);
    return this;
  }

  off(event: string, listener?: Listener) {
    if (!listener) this.listeners.delete(event);
    else this.listeners.get(event)?.delete(listener);
    return this;
  }

  emit(event: string, ...args: unknown[]) {
    this.emitted.push({ event, args });
    return this;
  }

  connect() {
    this.connectCalls += 1;
    this.active = true;
    return this;
  }

  disconnect() {
    this.disconnectCalls += 1;
    this.active = false;
    const wasConnected = this.connected;
    this.connected = false;
    if (wasConnected) this.fire('disconnect', 'io client disconnect');
    return this;
  }

  listenerCount(event: string): number {
    return this.listeners.get(event)?.size ?? 0;
  }

  /** What token the client would hand over in the handshake right now. */
  async handshakeToken(): Promise<string | null> {
    return new Promise((resolve) => this.auth((data) => resolve(data.token)));
  }

  // ---- the server's side

  fire(event: string, ...args: unknown[]) {
    for (const listener of [...(this.listeners.get(event) ?? [])]) listener(...args);
  }

  serverConnect() {
    this.connected = true;
    this.active = true;
    this.fire('connect');
  }

  serverEmit(event: string, payload: unknown) {
    this.fire(event, payload);
  }

  /** The transport died (server stopped): socket.io keeps retrying by itself. */
  transportDrop() {
    this.connected = false;
    this.fire('disconnect', 'transport close');
  }

  /** The server's middleware refused the handshake: no automatic retry. */
  serverRefuse(message = 'unauthorized') {
    this.connected = false;
    this.active = false;
    this.fire('connect_error', new Error(message));
  }

  /** The server kicked us (e.g. the token expired): no automatic retry either. */
  serverDisconnect() {
    this.connected = false;
    this.active = false;
    this.fire('disconnect', 'io server disconnect');
  }
}
