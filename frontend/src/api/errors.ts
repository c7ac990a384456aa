// What can go wrong talking to the server, in the API's own terms: the error envelope
// {"error": {code, message, details}} becomes an ApiError; no answer at all, a NetworkError.

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: Record<string, unknown>;
  /** How long the server asked us to wait before trying again (a 503's or 429's Retry-After). */
  readonly retryAfterMs: number | null;

  constructor(status: number, code: string, message: string, details?: Record<string, unknown> | null, retryAfterMs: number | null = null) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.details = details ?? {};
    this.retryAfterMs = retryAfterMs;
  }

  /**
   * Field -> message, from a 422 validation_error's details. A field refused for several
   * reasons (a weak password) gets them one per line.
   */
  fieldErrors(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [field, value] of Object.entries(this.details)) {
      const reasons = Array.isArray(value) ? value : value && typeof value === 'object' ? Object.values(value).flat() : [value];
      const lines = reasons.filter((reason) => typeof reason === 'string' && reason !== '');
      if (lines.length > 0) out[field] = lines.join('\n');
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

interface Envelope {
  error?: { code?: unknown; message?: unknown; details?: Record<string, unknown> | null };
}

/** A Retry-After header (seconds, or an HTTP date) in ms from `now`; null if absent or unreadable. */
export function parseRetryAfter(value: string | null, now: number = Date.now()): number | null {
  if (!value) return null;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const at = Date.parse(text);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

/** The error code of an envelope, if the body is one. */
export function errorCodeOf(body: unknown): string | null {
  const error = body && typeof body === 'object' ? (body as Envelope).error : undefined;
  return error && typeof error.code === 'string' ? error.code : null;
}

/** An ApiError from a failed response and its parsed body (JSON, text or nothing). */
export function toApiError(response: Response, body: unknown): ApiError {
  const retryAfterMs = parseRetryAfter(response.headers.get('Retry-After'));
  const error = (body as Envelope | undefined)?.error;
  const code = errorCodeOf(body);
  if (error && code) {
    const message = typeof error.message === 'string' && error.message ? error.message : code;
    return new ApiError(response.status, code, message, error.details, retryAfterMs);
  }
  return new ApiError(response.status, `http_${response.status}`, response.statusText || 'Request failed', null, retryAfterMs);
}

/** The database cannot be reached: nothing was done, and the whole app is affected. */
export const isServiceUnavailable = (err: unknown): err is ApiError => err instanceof ApiError && err.code === 'service_unavailable';

export function describeError(err: unknown): string {
  if (err instanceof Error) return err.message;
  return 'Something went wrong.';
}
