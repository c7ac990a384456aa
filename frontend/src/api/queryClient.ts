import { QueryClient } from '@tanstack/react-query';
import { ApiError } from './errors';

const MAX_RETRIES = 2;

/**
 * One cache per signed-in user (App.tsx makes a new one at sign-in). The socket keeps it
 * current, so data counts as fresh for a while; a refused request (4xx) is not retried.
 */
export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        staleTime: 30_000,
        retry: (failures, error) => !(error instanceof ApiError && error.status < 500) && failures < MAX_RETRIES,
      },
    },
  });
}
