// Plain words for what the server refused. Each action brings its own words for the codes it
// can meet; the ones every action can meet are here.

import { ApiError, describeError } from '../api/errors';

export type Words = Partial<Record<string, string | ((err: ApiError) => string)>>;

const COMMON: Words = {
  idempotency_in_progress: 'This is still being processed. Please wait a moment.',
  idempotency_conflict: 'This request clashed with an earlier one. Please try again.',
  outcome_unknown: 'The connection broke while this was being saved. Try again: it is safe, it will not happen twice.',
  busy: 'The server is busy and did nothing. Try again in a moment.',
  service_unavailable: "The server can't reach its database right now. Try again in a moment.",
  unauthorized: 'Your session has expired. Please log in again.',
  account_suspended: 'This account is suspended.',
  not_found: 'This no longer exists.',
};

/** The first field message of a 422, on one line. */
function firstFieldError(err: ApiError): string | undefined {
  return Object.values(err.fieldErrors())[0]?.replaceAll('\n', ' ');
}

export function explain(err: unknown, words: Words = {}): string {
  if (!(err instanceof ApiError)) return describeError(err);
  const said = words[err.code] ?? COMMON[err.code];
  if (typeof said === 'function') return said(err);
  if (said) return said;
  if (err.code === 'validation_error') return firstFieldError(err) ?? err.message;
  return err.message || 'Something went wrong. Please try again.';
}

/** A number from an error's details (the server explains a refusal with figures). */
export function detail(err: ApiError, name: string): number | null {
  const value = err.details[name];
  return typeof value === 'number' ? value : null;
}
