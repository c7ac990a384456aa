// The signed-in session: the user and both tokens, kept in localStorage so that a reload stays
// signed in, and shared by the API client, the socket and the React tree (subscribe()).

import type { User } from '../api/types';

export interface Session {
  user: User;
  accessToken: string;
  refreshToken: string;
}

const STORAGE_KEY = 'invoiceapp.session';

type Listener = (session: Session | null) => void;

let current: Session | null = load();
const listeners = new Set<Listener>();

function load(): Session | null {
  try {
    const raw = globalThis.localStorage?.getItem(STORAGE_KEY);
    if (!raw) return null;
    const parsed = JSON.parse(raw) as Partial<Session>;
    if (parsed && parsed.user && parsed.accessToken && parsed.refreshToken) return parsed as Session;
  } catch {
    // A corrupt entry means "signed out".
  }
  return null;
}

function persist(session: Session | null): void {
  try {
    if (session) globalThis.localStorage?.setItem(STORAGE_KEY, JSON.stringify(session));
    else globalThis.localStorage?.removeItem(STORAGE_KEY);
  } catch {
    // Private mode or full storage: the session still lives in memory for this tab.
  }
}

function notify(): void {
  for (const listener of [...listeners]) listener(current);
}

export function getSession(): Session | null {
  return current;
}

export function getAccessToken(): string | null {
  return current?.accessToken ?? null;
}

export function getRefreshToken(): string | null {
  return current?.refreshToken ?? null;
}

export function setSession(session: Session | null): void {
  current = session;
  persist(session);
  notify();
}

export function updateTokens(accessToken: string, refreshToken?: string): void {
  if (!current) return;
  current = { ...current, accessToken, refreshToken: refreshToken ?? current.refreshToken };
  persist(current);
  notify();
}

export function updateUser(user: User): void {
  if (!current) return;
  current = { ...current, user };
  persist(current);
  notify();
}

export function clearSession(): void {
  setSession(null);
}

export function subscribe(listener: Listener): () => void {
  listeners.add(listener);
  return () => {
    listeners.delete(listener);
  };
}

// Another tab signed in, refreshed a token or signed out: follow it.
if (typeof window !== 'undefined') {
  window.addEventListener('storage', (event) => {
    if (event.key !== STORAGE_KEY) return;
    current = load();
    notify();
  });
}

/** The `exp` claim of a JWT, in milliseconds since the epoch, or null if unreadable. */
export function tokenExpiresAt(token: string | null | undefined): number | null {
  if (!token) return null;
  const payload = token.split('.')[1];
  if (!payload) return null;
  try {
    const base64 = payload.replace(/-/g, '+').replace(/_/g, '/');
    const padded = base64 + '='.repeat((4 - (base64.length % 4)) % 4);
    const json = JSON.parse(atob(padded)) as { exp?: unknown };
    return typeof json.exp === 'number' ? json.exp * 1000 : null;
  } catch {
    return null;
  }
}

/** True when the token is missing, unreadable as expiring, or expires within `marginMs`. */
export function expiresWithin(token: string | null | undefined, marginMs: number, now = Date.now()): boolean {
  if (!token) return true;
  const exp = tokenExpiresAt(token);
  if (exp === null) return false; // no exp claim: let the server decide
  return exp - now <= marginMs;
}
