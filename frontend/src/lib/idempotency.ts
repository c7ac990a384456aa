// Idempotency-Key for the requests that move money: the same request (a double submit, a
// retry after a lost answer) carries the same key, so the server does it at most once; a new
// request gets a new key.

import { ApiError, NetworkError } from '../api/errors';

/** A UUID v4; crypto.randomUUID only exists on secure origins, so fall back to getRandomValues. */
export function newIdempotencyKey(): string {
  const c = globalThis.crypto;
  if (c && typeof c.randomUUID === 'function') return c.randomUUID();
  const bytes = new Uint8Array(16);
  c.getRandomValues(bytes);
  bytes[6] = (bytes[6] & 0x0f) | 0x40;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * Whether a failed request may still be (or have been) done: no answer, still in flight, or a
 * 503 (outcome unknown: only the same key tells what happened). Then a retry keeps the key.
 */
export function isUndecided(err: unknown): boolean {
  if (err instanceof NetworkError) return true;
  return err instanceof ApiError && (err.code === 'idempotency_in_progress' || err.status === 503);
}

/** The connection broke during the server's COMMIT: only asking again with the same key tells. */
const isOutcomeUnknown = (err: unknown): err is ApiError => err instanceof ApiError && err.code === 'outcome_unknown';

/** How many times an `outcome_unknown` is asked about again before the person is told. */
export const OUTCOME_RETRIES = 4;
const DEFAULT_OUTCOME_WAIT_MS = 1000;

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export interface IdempotencyKeys {
  /**
   * Send a request with an Idempotency-Key: the key of the previous request if that one's
   * outcome is undecided and `body` (what is sent) is the same, else a new key. An
   * `outcome_unknown` answer is asked again with the same key after its Retry-After (the
   * server then replays the true answer), up to OUTCOME_RETRIES times.
   */
  send<T>(body: unknown, request: (key: string) => Promise<T>): Promise<T>;
}

export function idempotencyKeys(): IdempotencyKeys {
  let undecided: { key: string; fingerprint: string } | null = null;
  return {
    async send(body, request) {
      const fingerprint = JSON.stringify(body);
      const key = undecided?.fingerprint === fingerprint ? undecided.key : newIdempotencyKey();
      undecided = { key, fingerprint };
      for (let attempt = 0; ; attempt += 1) {
        try {
          const answer = await request(key);
          undecided = null;
          return answer;
        } catch (err) {
          if (isOutcomeUnknown(err) && attempt < OUTCOME_RETRIES) {
            await wait(err.retryAfterMs ?? DEFAULT_OUTCOME_WAIT_MS);
            continue;
          }
          if (!isUndecided(err)) undecided = null;
          throw err;
        }
      }
    },
  };
}
