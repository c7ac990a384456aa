// The signed-in user, and the session's upkeep: the access token is refreshed a minute before
// it expires (read from the JWT's exp), so neither requests nor the socket ever run on an
// expired one.

import { createContext, createElement, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { authApi, type Registration } from '../api/auth';
import { refreshAccessToken, REFRESH_MARGIN_MS } from '../api/client';
import { getSession, subscribe, tokenExpiresAt, updateUser, type Session } from '../lib/session';
import type { User } from '../api/types';

export interface AuthContextValue {
  user: User | null;
  login(email: string, password: string): Promise<User>;
  register(input: Registration): Promise<User>;
  logout(): Promise<void>;
}

const AuthContext = createContext<AuthContextValue | null>(null);

const RETRY_AFTER_FAILURE_MS = 15_000;

export function AuthProvider({ children }: { children?: ReactNode }) {
  const [session, setSessionState] = useState<Session | null>(getSession);

  useEffect(() => subscribe(setSessionState), []);

  const accessToken = session?.accessToken ?? null;
  const signedIn = session !== null;

  // Refresh ahead of expiry; if the server is unreachable, try again a little later.
  useEffect(() => {
    if (!accessToken) return;
    const exp = tokenExpiresAt(accessToken);
    if (exp === null) return;
    let timer: ReturnType<typeof setTimeout> | null = null;
    let cancelled = false;
    const run = async () => {
      const token = await refreshAccessToken();
      if (!cancelled && token === null && getSession()) {
        timer = setTimeout(run, RETRY_AFTER_FAILURE_MS);
      }
    };
    const wait = Math.max(0, exp - REFRESH_MARGIN_MS - Date.now());
    // setTimeout overflows past ~24.8 days; such tokens are refreshed on demand instead.
    if (wait < 2 ** 31 - 1) timer = setTimeout(run, wait);
    return () => {
      cancelled = true;
      if (timer) clearTimeout(timer);
    };
  }, [accessToken]);

  // A laptop waking from sleep: timers were frozen, so check the token now.
  useEffect(() => {
    if (!signedIn) return;
    const onVisible = () => {
      const current = getSession();
      if (document.visibilityState !== 'visible' || !current) return;
      const exp = tokenExpiresAt(current.accessToken);
      if (exp !== null && exp - Date.now() <= REFRESH_MARGIN_MS) void refreshAccessToken();
    };
    document.addEventListener('visibilitychange', onVisible);
    return () => document.removeEventListener('visibilitychange', onVisible);
  }, [signedIn]);

  // On load, confirm the stored user (and catch a session revoked elsewhere).
  useEffect(() => {
    if (!signedIn) return;
    let cancelled = false;
    authApi
      .me()
      .then(({ user }) => {
        if (!cancelled) updateUser(user);
      })
      .catch(() => {
        // 401s already cleared the session; anything else (offline) keeps it.
      });
    return () => {
      cancelled = true;
    };
  }, [signedIn]);

  const login = useCallback(async (email: string, password: string) => (await authApi.login(email, password)).user, []);
  const register = useCallback(
    async (input: Registration) => (await authApi.register(input)).user,
    [],
  );
  const logout = useCallback(() => authApi.logout(), []);

  const value = useMemo<AuthContextValue>(
    () => ({ user: session?.user ?? null, login, register, logout }),
    [session?.user, login, register, logout],
  );
  return createElement(AuthContext.Provider, { value }, children);
}

export function useAuth(): AuthContextValue {
  const value = useContext(AuthContext);
  if (!value) throw new Error('useAuth() must be used inside <AuthProvider>');
  return value;
}

/** The signed-in user, for components that only render when signed in. */
export function useUser(): User {
  const { user } = useAuth();
  if (!user) throw new Error('useUser() needs a signed-in user');
  return user;
}
