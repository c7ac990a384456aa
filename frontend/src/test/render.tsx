import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render } from '@testing-library/react';
import type { ReactElement, ReactNode } from 'react';
import { MemoryRouter } from 'react-router';
import { ToastProvider } from '../components/Toasts';

/** A cache that fails fast: no retries, so error states show at once. */
export function testQueryClient(): QueryClient {
  return new QueryClient({ defaultOptions: { queries: { retry: false }, mutations: { retry: false } } });
}

export function Providers({ client, children }: { client: QueryClient; children: ReactNode }) {
  return (
    <MemoryRouter>
      <ToastProvider>
        <QueryClientProvider client={client}>{children}</QueryClientProvider>
      </ToastProvider>
    </MemoryRouter>
  );
}

/** Render inside a router, the toasts and a query cache. */
export function renderWithClient(ui: ReactElement, client = testQueryClient()) {
  const utils = render(ui, { wrapper: ({ children }) => <Providers client={client}>{children}</Providers> });
  return { ...utils, client };
}
