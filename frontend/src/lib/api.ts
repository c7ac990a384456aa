// Typed fetch wrapper for the REST API of SPEC.md: bearer tokens, the error envelope, an access
// token refreshed shortly before it expires, and one retry after a 401.

import type {
  ApiErrorBody,
  AuthResponse,
  DashboardStats,
  FundResult,
  Invoice,
  InvoiceStatus,
  NewInvoice,
  Page,
  Portfolio,
  Role,
  Transaction,
  User,
  Wallet,
} from '../types';
import {
  clearSession,
  expiresWithin,
  getAccessToken,
  getRefreshToken,
  setSession,
  updateTokens,
} from './session';

/** Refresh when the access token has less than this left. */
export const REFRESH_MARGIN_MS = 60_000;

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: Record<string, unknown>;

  constructor(status: number, code: string, message: string, details?: Record<string, unknown> | null) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.details = details ?? {};
  }

  /** Field -> messages, from a 422 validation_error's details. */
  fieldErrors(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [field, value] of Object.entries(this.details)) {
      if (Array.isArray(value)) out[field] = value.map(String).join(' ');
      else if (typeof value === 'string') out[field] = value;
      else if (value && typeof value === 'object') out[field] = Object.values(value).flat().map(String).join(' ');
    }
    return out;
  }
}

/** Thrown when the server could not be reached at all. */
export class NetworkError extends Error {
  constructor(cause?: unknown) {
    super("Couldn't reach the server. Check your connection and try again.");
    this.name = 'NetworkError';
    this.cause = cause;
  }
}

interface RequestOptions {
  body?: unknown;
  query?: Record<string, string | number | null | undefined>;
  headers?: Record<string, string>;
  /** Send the access token (default true). */
  auth?: boolean;
  /** Use this bearer token instead of the access token (refresh, logout). */
  bearer?: string;
  signal?: AbortSignal;
}

function buildUrl(path: string, query?: RequestOptions['query']): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
  }
  const qs = params.toString();
  return `/api${path}${qs ? `?${qs}` : ''}`;
}

async function toApiError(response: Response): Promise<ApiError> {
  let body: Partial<ApiErrorBody> | null = null;
  try {
    body = (await response.json()) as Partial<ApiErrorBody>;
  } catch {
    body = null;
  }
  const error = body?.error;
  if (error && typeof error.code === 'string') {
    return new ApiError(response.status, error.code, error.message || error.code, error.details);
  }
  return new ApiError(response.status, `http_${response.status}`, response.statusText || 'Request failed');
}

async function send(method: string, path: string, options: RequestOptions, token: string | null): Promise<Response> {
  const headers: Record<string, string> = { Accept: 'application/json', ...options.headers };
  if (options.body !== undefined) headers['Content-Type'] = 'application/json';
  if (token) headers.Authorization = `Bearer ${token}`;
  try {
    return await fetch(buildUrl(path, options.query), {
      method,
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: options.signal,
    });
  } catch (err) {
    if (err instanceof DOMException && err.name === 'AbortError') throw err;
    throw new NetworkError(err);
  }
}

let refreshInFlight: Promise<string | null> | null = null;

/**
 * Get a new access token with the refresh token. Concurrent callers share one request.
 * Resolves to the new token, or null if there is none (no session, refresh token rejected:
 * the session is then cleared, or the server unreachable: the session is kept).
 */
export function refreshAccessToken(): Promise<string | null> {
  if (refreshInFlight) return refreshInFlight;
  const refreshToken = getRefreshToken();
  if (!refreshToken) return Promise.resolve(null);
  refreshInFlight = (async () => {
    try {
      const response = await send('POST', '/auth/refresh', {}, refreshToken);
      if (response.ok) {
        const body = (await response.json()) as { access_token: string; refresh_token?: string };
        // Only apply it if nobody signed out or in as someone else meanwhile.
        if (getRefreshToken() === refreshToken) updateTokens(body.access_token, body.refresh_token);
        return body.access_token;
      }
      if (response.status === 401 || response.status === 422) {
        if (getRefreshToken() === refreshToken) clearSession();
      }
      return null;
    } catch {
      return null; // offline: keep the session, try again later
    } finally {
      refreshInFlight = null;
    }
  })();
  return refreshInFlight;
}

/** An access token with at least `REFRESH_MARGIN_MS` left, refreshing first if needed. */
export async function freshAccessToken(): Promise<string | null> {
  const token = getAccessToken();
  if (token && !expiresWithin(token, REFRESH_MARGIN_MS)) return token;
  if (!getRefreshToken()) return token;
  return (await refreshAccessToken()) ?? getAccessToken();
}

export async function request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
  const useAuth = options.auth !== false && options.bearer === undefined;
  let token = options.bearer ?? (useAuth ? await freshAccessToken() : null);
  let response = await send(method, path, options, token);

  if (response.status === 401 && useAuth && getRefreshToken()) {
    const refreshed = await refreshAccessToken();
    if (refreshed) {
      token = refreshed;
      response = await send(method, path, options, token);
    }
    if (response.status === 401 && getAccessToken() === token) clearSession();
  }

  if (!response.ok) throw await toApiError(response);
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

// ---- endpoints ----

export const authApi = {
  async login(email: string, password: string): Promise<AuthResponse> {
    const result = await request<AuthResponse>('POST', '/auth/login', { body: { email, password }, auth: false });
    setSession({ user: result.user, accessToken: result.access_token, refreshToken: result.refresh_token });
    return result;
  },
  async register(input: { email: string; password: string; name: string; role: Role }): Promise<AuthResponse> {
    const result = await request<AuthResponse>('POST', '/auth/register', { body: input, auth: false });
    setSession({ user: result.user, accessToken: result.access_token, refreshToken: result.refresh_token });
    return result;
  },
  me: () => request<{ user: User }>('GET', '/auth/me'),
  async logout(): Promise<void> {
    const refreshToken = getRefreshToken();
    clearSession();
    if (!refreshToken) return;
    try {
      await request<void>('POST', '/auth/logout', { bearer: refreshToken });
    } catch {
      // The local session is gone either way; an unreachable server just keeps the token
      // alive until it expires.
    }
  },
};

export const walletApi = {
  get: () => request<{ wallet: Wallet }>('GET', '/wallet'),
  transactions: (cursor?: string | null, limit = 25) =>
    request<Page<Transaction>>('GET', '/wallet/transactions', { query: { limit, cursor } }),
};

export const invoiceApi = {
  list: (params: { status?: InvoiceStatus; cursor?: string | null; limit?: number } = {}) =>
    request<Page<Invoice>>('GET', '/invoices', {
      query: { status: params.status ?? 'listed', cursor: params.cursor, limit: params.limit ?? 100 },
    }),
  mine: (params: { status?: InvoiceStatus; cursor?: string | null; limit?: number } = {}) =>
    request<Page<Invoice>>('GET', '/invoices/mine', {
      query: { status: params.status, cursor: params.cursor, limit: params.limit ?? 100 },
    }),
  get: (id: number) => request<{ invoice: Invoice }>('GET', `/invoices/${id}`),
  create: (invoice: NewInvoice) => request<{ invoice: Invoice }>('POST', '/invoices', { body: invoice }),
  fund: (id: number, amount: number, idempotencyKey: string) =>
    request<FundResult>('POST', `/invoices/${id}/fund`, {
      body: { amount },
      headers: { 'Idempotency-Key': idempotencyKey },
    }),
  cancel: (id: number) => request<{ invoice: Invoice }>('POST', `/invoices/${id}/cancel`),
  settle: (id: number) => request<{ invoice: Invoice }>('POST', `/invoices/${id}/settle`),
};

export const portfolioApi = {
  get: () => request<Portfolio>('GET', '/portfolio'),
};

export const dashboardApi = {
  stats: () => request<DashboardStats>('GET', '/dashboard/stats'),
};

/** Fetch every page of a cursor-paginated list (bounded, for lists the UI shows whole). */
export async function fetchAllPages<T>(
  fetchPage: (cursor: string | null) => Promise<Page<T>>,
  maxPages = 20,
): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | null = null;
  for (let i = 0; i < maxPages; i += 1) {
    const page: Page<T> = await fetchPage(cursor);
    items.push(...page.items);
    cursor = page.next_cursor;
    if (!cursor) break;
  }
  return items;
}

export function describeError(err: unknown): string {
  if (err instanceof ApiError) return err.message;
  if (err instanceof Error) return err.message;
  return 'Something went wrong.';
}
