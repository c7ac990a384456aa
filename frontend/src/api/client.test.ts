import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { serverClock } from '../lib/serverClock';
import { serviceHealth } from '../lib/serviceHealth';
import { getSession, setSession, tokenExpiresAt } from '../lib/session';
import { authApi } from './auth';
import { api, unwrap } from './client';
import { ApiError, NetworkError } from './errors';
import { invoiceApi } from './mutations';
import { walletQuery } from './queries';
import { makeUser } from '../test/factories';

const getWallet = () => walletQuery.queryFn!({} as never);

function jwt(expSecondsFromNow: number, extra: Record<string, unknown> = {}): string {
  const b64url = (obj: unknown) => btoa(JSON.stringify(obj)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  const exp = Math.floor(Date.now() / 1000) + expSecondsFromNow;
  return `${b64url({ alg: 'HS256', typ: 'JWT' })}.${b64url({ sub: '1', exp, ...extra })}.signature`;
}

const user = makeUser({ id: 1, email: 'a@b.in', name: 'A', role: 'investor' });

function json(status: number, body: unknown): Response {
  return new Response(body === undefined ? null : JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json' },
  });
}

type Call = { url: string; method: string; headers: Record<string, string>; body: string | undefined };
let calls: Call[];
let responder: (call: Call) => Response | Promise<Response>;

beforeEach(() => {
  calls = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (request: Request) => {
      const call = {
        url: new URL(request.url).pathname,
        method: request.method,
        headers: Object.fromEntries(request.headers),
        body: (await request.text()) || undefined,
      };
      calls.push(call);
      return responder(call);
    }),
  );
  setSession(null);
});

afterEach(() => {
  vi.unstubAllGlobals();
  setSession(null);
});

describe('session tokens', () => {
  it('reads exp from the JWT payload', () => {
    const token = jwt(900);
    expect(tokenExpiresAt(token)).toBeGreaterThan(Date.now() + 890_000);
    expect(tokenExpiresAt('not-a-jwt')).toBeNull();
  });

  it('keeps the session in localStorage so a reload stays signed in', async () => {
    responder = () => json(200, { user, access_token: jwt(900), refresh_token: jwt(86400) });
    await authApi.login('a@b.in', 'password1');
    expect(JSON.parse(localStorage.getItem('invoiceapp.session')!)).toMatchObject({ user: { id: 1 } });
  });
});

describe('request', () => {
  it('sends the bearer token and parses JSON', async () => {
    const access = jwt(900);
    setSession({ user, accessToken: access, refreshToken: jwt(86400) });
    responder = () => json(200, { wallet: { balance: 5, currency: 'INR', updated_at: 'x' } });
    await expect(getWallet()).resolves.toEqual({ balance: 5, currency: 'INR', updated_at: 'x' });
    expect(calls[0].url).toBe('/api/wallet');
    expect(calls[0].headers.authorization).toBe(`Bearer ${access}`);
  });

  it('refreshes an access token that is about to expire before using it', async () => {
    const refresh = jwt(86400, { type: 'refresh' });
    const fresh = jwt(900);
    setSession({ user, accessToken: jwt(20), refreshToken: refresh });
    responder = (call) =>
      call.url === '/api/auth/refresh' ? json(200, { access_token: fresh }) : json(200, { wallet: { balance: 1 } });
    await getWallet();
    expect(calls.map((c) => c.url)).toEqual(['/api/auth/refresh', '/api/wallet']);
    expect(calls[0].method).toBe('POST');
    expect(calls[0].headers.authorization).toBe(`Bearer ${refresh}`);
    expect(calls[1].headers.authorization).toBe(`Bearer ${fresh}`);
    expect(getSession()?.accessToken).toBe(fresh);
  });

  it('shares one refresh between concurrent requests', async () => {
    setSession({ user, accessToken: jwt(5), refreshToken: jwt(86400) });
    responder = (call) => (call.url === '/api/auth/refresh' ? json(200, { access_token: jwt(900) }) : json(200, {}));
    await Promise.all([getWallet(), getWallet(), getWallet()]);
    expect(calls.filter((c) => c.url === '/api/auth/refresh')).toHaveLength(1);
  });

  it('on a 401, refreshes and retries once', async () => {
    const stale = jwt(900);
    const fresh = jwt(900, { n: 2 });
    setSession({ user, accessToken: stale, refreshToken: jwt(86400) });
    responder = (call) => {
      if (call.url === '/api/auth/refresh') return json(200, { access_token: fresh });
      return call.headers.authorization === `Bearer ${stale}`
        ? json(401, { error: { code: 'unauthorized', message: 'Token revoked' } })
        : json(200, { ok: true });
    };
    await expect(unwrap(api.GET('/api/wallet'))).resolves.toEqual({ ok: true });
    expect(calls.map((c) => c.url)).toEqual(['/api/wallet', '/api/auth/refresh', '/api/wallet']);
  });

  it('signs out when the refresh token is refused too', async () => {
    setSession({ user, accessToken: jwt(900), refreshToken: jwt(86400) });
    responder = () => json(401, { error: { code: 'unauthorized', message: 'no' } });
    await expect(unwrap(api.GET('/api/wallet'))).rejects.toMatchObject({ status: 401, code: 'unauthorized' });
    expect(getSession()).toBeNull();
    expect(calls).toHaveLength(2); // the request, the refresh; no loop
  });

  it('turns the error envelope into an ApiError with field details', async () => {
    setSession({ user, accessToken: jwt(900), refreshToken: jwt(86400) });
    responder = () =>
      json(422, { error: { code: 'validation_error', message: 'Invalid input', details: { amount: ['Too small.'] } } });
    const err = (await invoiceApi.create({} as never).catch((e: unknown) => e)) as ApiError;
    expect(err).toBeInstanceOf(ApiError);
    expect(err.code).toBe('validation_error');
    expect(err.fieldErrors()).toEqual({ amount: 'Too small.' });
  });

  it('sends the Idempotency-Key header when funding', async () => {
    setSession({ user, accessToken: jwt(900), refreshToken: jwt(86400) });
    responder = () => json(201, {});
    await invoiceApi.fund(7, 150_000, 'key-123');
    expect(calls[0].url).toBe('/api/invoices/7/fund');
    expect(calls[0].headers['idempotency-key']).toBe('key-123');
    expect(JSON.parse(calls[0].body!)).toEqual({ amount: 150_000 });
  });

  it('reports an unreachable server as a NetworkError', async () => {
    setSession({ user, accessToken: jwt(900), refreshToken: jwt(86400) });
    responder = () => {
      throw new TypeError('Failed to fetch');
    };
    await expect(getWallet()).rejects.toBeInstanceOf(NetworkError);
    expect(getSession()).not.toBeNull();
  });
});

describe('logout', () => {
  it('revokes the refresh token on the server and forgets the session', async () => {
    const refresh = jwt(86400);
    setSession({ user, accessToken: jwt(900), refreshToken: refresh });
    responder = () => new Response(null, { status: 204 });
    await authApi.logout();
    expect(calls[0]).toMatchObject({ url: '/api/auth/logout', method: 'POST' });
    expect(calls[0].headers.authorization).toBe(`Bearer ${refresh}`);
    expect(getSession()).toBeNull();
    expect(localStorage.getItem('invoiceapp.session')).toBeNull();
  });
});

describe('what every answer tells beside its body', () => {
  const withHeaders = (response: Response, headers: Record<string, string>) => {
    for (const [name, value] of Object.entries(headers)) response.headers.set(name, value);
    return response;
  };

  it("503 service_unavailable marks the marketplace unreachable until an answer comes again, with Retry-After", async () => {
    setSession({ user, accessToken: jwt(900), refreshToken: jwt(86400) });
    responder = () => withHeaders(json(503, { error: { code: 'service_unavailable', message: 'down' } }), { 'Retry-After': '7' });
    const before = Date.now();
    await expect(getWallet()).rejects.toMatchObject({ code: 'service_unavailable', retryAfterMs: 7000 });
    expect(serviceHealth.getSnapshot()?.retryAt).toBeGreaterThanOrEqual(before + 7000);

    responder = () => withHeaders(json(503, { error: { code: 'busy', message: 'busy' } }), { 'Retry-After': '1' });
    await expect(getWallet()).rejects.toMatchObject({ code: 'busy' });
    expect(serviceHealth.getSnapshot()).toBeNull(); // busy: the database answered
  });

  it("reads the server's clock from the Date header", async () => {
    setSession({ user, accessToken: jwt(900), refreshToken: jwt(86400) });
    const serverTime = Date.now() + 3_600_000;
    responder = () => withHeaders(json(200, { wallet: { balance: 1, currency: 'INR', updated_at: '2026-01-01T00:00:00Z' } }), { Date: new Date(serverTime).toUTCString() });
    await getWallet();
    expect(Math.abs(serverClock.offsetMs() - 3_600_000)).toBeLessThan(1500);
  });
});
