// What can go wrong talking to the server, in the API's own terms: the error envelope
// {"error": {code, message, details}} becomes an ApiError; no answer at all, a NetworkError.

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

/** An ApiError from a failed response and its parsed body (JSON, text or nothing). */
export function toApiError(response: Response, body: unknown): ApiError {
  const error = body && typeof body === 'object' ? (body as Envelope).error : undefined;
  if (error && typeof error.code === 'string') {
    const message = typeof error.message === 'string' && error.message ? error.message : error.code;
    return new ApiError(response.status, error.code, message, error.details);
  }
  return new ApiError(response.status, `http_${response.status}`, response.statusText || 'Request failed');
}

export function describeError(err: unknown): string {
  if (err instanceof Error) return err.message;
  return 'Something went wrong.';
}
