import type { HandshakeAuth, SocketAuth, SocketLike } from '../realtime/connection';

type Listener = (...args: never[]) => void;
type AnyListener = (event: string, ...args: unknown[]) => void;

/**
 * A stand-in for a socket.io-client Socket: the connection registers listeners; the test plays
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
  private anyListeners = new Set<AnyListener>();

  constructor(readonly auth: SocketAuth) {
    // socket.io-client connects as soon as the socket is created (autoConnect).
    this.active = true;
  }

  on(event: string, listener: Listener) {
    if (!this.listeners.has(event)) this.listeners.set(event, new Set());
    this.listeners.get(event)!.add(listener);
    return this;
  }

  off(event: string, listener: Listener) {
    this.listeners.get(event)?.delete(listener);
    return this;
  }

  onAny(listener: AnyListener) {
    this.anyListeners.add(listener);
    return this;
  }

  offAny(listener: AnyListener) {
    this.anyListeners.delete(listener);
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

  listenerCount(): number {
    return [...this.listeners.values()].reduce((n, set) => n + set.size, 0) + this.anyListeners.size;
  }

  /** What the client would hand over in the handshake right now. */
  handshake(): Promise<HandshakeAuth> {
    return new Promise((resolve) => this.auth(resolve));
  }

  // ---- the server's side

  /** A reserved event (connect, disconnect, connect_error): only its own listeners hear it. */
  fire(event: string, ...args: unknown[]) {
    for (const listener of [...(this.listeners.get(event) ?? [])]) (listener as (...a: unknown[]) => void)(...args);
  }

  serverConnect() {
    this.connected = true;
    this.active = true;
    this.fire('connect');
  }

  /** An event the server emits: heard by its listeners and by onAny. */
  serverEmit(event: string, payload: unknown) {
    this.fire(event, payload);
    for (const listener of [...this.anyListeners]) listener(event, payload);
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
