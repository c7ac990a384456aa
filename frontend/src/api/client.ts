// The typed client for the REST API (openapi-fetch over the generated paths), with the
// session's upkeep: the bearer token, a refresh shortly before it expires, and one retry
// after a 401.

import createClient from 'openapi-fetch';
import { serverClock } from '../lib/serverClock';
import { serviceHealth } from '../lib/serviceHealth';
import { clearSession, expiresWithin, getAccessToken, getRefreshToken, updateTokens } from '../lib/session';
import { errorCodeOf, NetworkError, parseRetryAfter, toApiError } from './errors';
import type { paths } from './schema';

/** Refresh when the access token has less than this left. */
export const REFRESH_MARGIN_MS = 60_000;

// Absolute, because Request() outside a browser page has no base to resolve "/api" against.
const baseUrl = globalThis.location?.origin ?? 'http://localhost';

/** Seconds to wait after a 503 that did not say how long. */
const DEFAULT_RETRY_AFTER_MS = 5000;

/**
 * What every answer tells beside its body: the server's clock (its Date header), and whether
 * the database can be reached (503 `service_unavailable`: not now; anything else: yes).
 */
async function observe(response: Response, sentAt: number): Promise<void> {
  serverClock.sampleHttpDate(response.headers.get('Date'), sentAt, Date.now());
  if (response.status !== 503) return serviceHealth.reachable();
  const code = errorCodeOf(await response.clone().json().catch(() => null));
  if (code !== 'service_unavailable') return serviceHealth.reachable();
  serviceHealth.unavailable(parseRetryAfter(response.headers.get('Retry-After')) ?? DEFAULT_RETRY_AFTER_MS);
}

async function send(request: Request, token: string | null): Promise<Response> {
  const headers = new Headers(request.headers);
  headers.set('Accept', 'application/json');
  if (token) headers.set('Authorization', `Bearer ${token}`);
  const sentAt = Date.now();
  let response: Response;
  try {
    response = await globalThis.fetch(new Request(request, { headers }));
  } catch (err) {
    if (err instanceof DOMException && err.name === 'AbortError') throw err;
    throw new NetworkError(err);
  }
  await observe(response, sentAt);
  return response;
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
