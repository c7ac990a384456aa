import { act, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { serverClock } from '../lib/serverClock';
import { Countdown } from './Countdown';

const LOCAL_NOW = Date.parse('2026-03-10T09:00:00Z');
// The server's clock is 5 minutes ahead of this browser's.
const SERVER_AHEAD_MS = 5 * 60_000;

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(LOCAL_NOW);
  // An API answer said Date: 09:05:00 (so between 09:05:00 and 09:05:01) for a request sent and
  // answered at 09:00:00 by our clock.
  serverClock.sampleHttpDate(new Date(LOCAL_NOW + SERVER_AHEAD_MS).toUTCString(), LOCAL_NOW, LOCAL_NOW);
});

afterEach(() => {
  vi.useRealTimers();
});

const at = (msFromLocalNow: number) => new Date(LOCAL_NOW + msFromLocalNow).toISOString();

describe('Countdown', () => {
  it("ticks by the server's clock, not the browser's", () => {
    expect(serverClock.offsetMs()).toBe(SERVER_AHEAD_MS + 500);
    const closesAt = at(SERVER_AHEAD_MS + 90_000); // 90 s after the server's now
    render(<Countdown closesAt={closesAt} extensions={0} />);
    // By the browser's own clock it would say 6:30.
    expect(screen.getByText('1:30')).toBeVisible();
    act(() => void vi.advanceTimersByTime(1000));
    expect(screen.getByText('1:29')).toBeVisible();
    act(() => void vi.advanceTimersByTime(89_000));
    expect(screen.getByText('Closing…')).toBeVisible();
  });

  it('says how far an extension moved the close, and until when', () => {
    const closesAt = at(SERVER_AHEAD_MS + 30_000);
    const { rerender } = render(<Countdown closesAt={closesAt} extensions={0} />);
    expect(screen.getByText('0:30')).toBeVisible();
    const extended = at(SERVER_AHEAD_MS + 150_000);
    rerender(<Countdown closesAt={extended} extensions={1} />);
    expect(screen.getByText('2:30')).toBeVisible();
    const closes = new Intl.DateTimeFormat('en-IN', { hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' }).format(new Date(extended));
    expect(screen.getByText(`Extended +2:00, closes ${closes}`)).toBeVisible();
  });
});
