import { QueryClient } from '@tanstack/react-query';
import { ApiError, isServiceUnavailable } from './errors';

const MAX_RETRIES = 2;
const MAX_RETRY_DELAY_MS = 30_000;

/**
 * Whether to fetch again after a failure. While the database cannot be reached, always: the
 * outage banner says so, and what is shown stays on screen instead of an error page. A refused
 * request (4xx) never; anything else twice.
 */
export function shouldRetry(failures: number, error: unknown): boolean {
  if (isServiceUnavailable(error)) return true;
  return !(error instanceof ApiError && error.status < 500) && failures < MAX_RETRIES;
}

/** As long as the server asked (Retry-After), else TanStack Query's doubling from 1 s. */
export function retryDelay(failures: number, error: unknown): number {
  const asked = error instanceof ApiError ? error.retryAfterMs : null;
  return Math.min(asked ?? 1000 * 2 ** failures, MAX_RETRY_DELAY_MS);
}

/**
 * One cache per signed-in user (App.tsx makes a new one at sign-in). The socket keeps it
 * current, so data counts as fresh for a while.
 */
export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: { staleTime: 30_000, retry: shouldRetry, retryDelay },
    },
  });
}
