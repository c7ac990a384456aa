import { useQuery } from '@tanstack/react-query';
import { act, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../api/errors';
import { createQueryClient, retryDelay, shouldRetry } from '../api/queryClient';
import { serviceHealth } from '../lib/serviceHealth';
import { renderWithClient } from '../test/render';
import { OutageBanner } from './OutageBanner';

/** Let the fetches answer and TanStack Query tell the components (it notifies on a 0 ms timer). */
const settle = () => act(() => vi.advanceTimersByTimeAsync(10));

const unavailable = (retryAfterMs: number) => new ApiError(503, 'service_unavailable', "The database can't be reached.", null, retryAfterMs);

beforeEach(() => vi.useFakeTimers());
afterEach(() => {
  act(() => serviceHealth.reachable());
  vi.useRealTimers();
});

describe('while the database cannot be reached', () => {
  it('queries keep trying after Retry-After instead of failing; a busy server or a refusal is not the same', () => {
    expect(shouldRetry(50, unavailable(5000))).toBe(true);
    expect(retryDelay(1, unavailable(5000))).toBe(5000);
    expect(shouldRetry(2, new ApiError(503, 'busy', 'x', null, 1000))).toBe(false);
    expect(shouldRetry(0, new ApiError(422, 'validation_error', 'x'))).toBe(false);
  });

  /** A wallet figure on screen that fails like the API does, then recovers. */
  function Figure({ answers }: { answers: (() => Promise<string>)[] }) {
    const { data } = useQuery({ queryKey: ['figure'], queryFn: () => answers.shift()!() });
    return <p>{data ?? 'loading'}</p>;
  }

  /** The banner above the figure, in the app's own query cache (its retry rules). */
  function show(answers: (() => Promise<string>)[]) {
    const client = createQueryClient();
    renderWithClient(
      <>
        <OutageBanner />
        <Figure answers={answers} />
      </>,
      client,
    );
    return client;
  }

  it('shows one banner, keeps the data on screen, asks again after Retry-After and clears by itself', async () => {
    const answers = [
      () => Promise.resolve('₹10,00,000.00'),
      () => {
        serviceHealth.unavailable(2000);
        return Promise.reject(unavailable(2000));
      },
      () => {
        serviceHealth.reachable();
        return Promise.resolve('₹9,00,000.00');
      },
    ];
    const client = show(answers);
    await settle();
    expect(screen.getByText('₹10,00,000.00')).toBeVisible();
    expect(screen.queryByText(/Can't reach the marketplace/)).toBeNull();

    act(() => void client.invalidateQueries({ queryKey: ['figure'] }));
    await settle();
    expect(screen.getByText(/Can't reach the marketplace right now; retrying/)).toBeVisible();
    expect(screen.getByText('₹10,00,000.00')).toBeVisible(); // no error page: what was shown stays
    expect(screen.queryByRole('alert')).toBeNull();

    await act(() => vi.advanceTimersByTimeAsync(1980));
    expect(answers).toHaveLength(1); // not before Retry-After
    await settle();
    await settle();
    expect(screen.getByText('₹9,00,000.00')).toBeVisible();
    expect(screen.queryByText(/Can't reach the marketplace/)).toBeNull();
  });

  it('after a refused action with nothing retrying, asks the shown queries again once Retry-After has passed', async () => {
    show([() => Promise.resolve('first'), () => Promise.resolve('fresh')]);
    await settle();
    act(() => serviceHealth.unavailable(3000)); // say, a funding answered 503
    expect(screen.getByText(/Can't reach the marketplace/)).toBeVisible();
    await act(() => vi.advanceTimersByTimeAsync(3000));
    await settle();
    expect(screen.getByText('fresh')).toBeVisible();
  });
});
