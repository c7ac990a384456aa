// The typed client for the REST API (openapi-fetch over the generated paths), with the
// session's upkeep: the bearer token, a refresh shortly before it expires, and one retry
// after a 401.

import createClient from 'openapi-fetch';
import { clearSession, expiresWithin, getAccessToken, getRefreshToken, updateTokens } from '../lib/session';
import { NetworkError, toApiError } from './errors';
import type { paths } from './schema';

/** Refresh when the access token has less than this left. */
export const REFRESH_MARGIN_MS = 60_000;

// Absolute, because Request() outside a browser page has no base to resolve "/api" against.
const baseUrl = globalThis.location?.origin ?? 'http://localhost';

async function send(request: Request, token: string | null): Promise<Response> {
  const headers = new Headers(request.headers);
  headers.set('Accept', 'application/json');
  if (token) headers.set('Authorization', `Bearer ${token}`);
  try {
    return await globalThis.fetch(new Request(request, { headers }));
  } catch (err) {
    if (err instanceof DOMException && err.name === 'AbortError') throw err;
    throw new NetworkError(err);
  }
}

/** Requests that carry their own credentials (login, register, refresh, logout), or none. */
export const publicApi = createClient<paths>({ baseUrl, fetch: (request) => send(request, null) });

let refreshInFlight: Promise<string | null> | null = null;

/**
 * Get a new access token with the refresh token. Concurrent callers share one request.
 * Resolves to the new token, or null if there is none (no session; the refresh token refused:
 * the session is then cleared; or the server unreachable: the session is kept).
 */
export function refreshAccessToken(): Promise<string | null> {
  if (refreshInFlight) return refreshInFlight;
  const refreshToken = getRefreshToken();
  if (!refreshToken) return Promise.resolve(null);
  refreshInFlight = (async () => {
    try {
      const { data, response } = await publicApi.POST('/api/auth/refresh', {
        headers: { Authorization: `Bearer ${refreshToken}` },
      });
      // Only apply the answer if nobody signed out or in as someone else meanwhile.
      const stillOurs = getRefreshToken() === refreshToken;
      if (data) {
        if (stillOurs) updateTokens(data.access_token);
        return data.access_token;
      }
      if ((response.status === 401 || response.status === 422) && stillOurs) clearSession();
      return null;
    } catch {
      return null; // offline: keep the session, try again later
    } finally {
      refreshInFlight = null;
    }
  })();
  return refreshInFlight;
}

/** An access token with at least REFRESH_MARGIN_MS left, refreshing first if needed. */
export async function freshAccessToken(): Promise<string | null> {
  const token = getAccessToken();
  if (token && !expiresWithin(token, REFRESH_MARGIN_MS)) return token;
  if (!getRefreshToken()) return token;
  return (await refreshAccessToken()) ?? getAccessToken();
}

async function sendSignedIn(request: Request): Promise<Response> {
  const retry = request.clone();
  const token = await freshAccessToken();
  const response = await send(request, token);
  if (response.status !== 401 || !getRefreshToken()) return response;
  const refreshed = await refreshAccessToken();
  const second = refreshed ? await send(retry, refreshed) : response;
  if (second.status === 401 && getAccessToken() === (refreshed ?? token)) clearSession();
  return second;
}

/** Requests as the signed-in user. */
export const api = createClient<paths>({ baseUrl, fetch: sendSignedIn });

/** The body of a successful answer; an ApiError for any other. */
export async function unwrap<T>(call: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  const { data, error, response } = await call;
  if (!response.ok) throw toApiError(response, error);
  return data as T;
}
