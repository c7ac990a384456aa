import { describe, expect, it } from 'vitest';
import { createServerClock } from './serverClock';

const T = Date.parse('2026-03-10T09:00:00Z');
const httpDate = (ms: number) => new Date(ms).toUTCString();

describe('the server clock', () => {
  it('knows nothing at first: our own clock', () => {
    const clock = createServerClock(() => T);
    expect(clock.offsetMs()).toBe(0);
    expect(clock.now()).toBe(T);
  });

  it('narrows the offset with each Date header (whole seconds) and event time', () => {
    const clock = createServerClock(() => T);
    // Sent at T, answered at T + 400 ms, Date says T + 10 s: the offset is 9.6 s to 11 s.
    clock.sampleHttpDate(httpDate(T + 10_000), T, T + 400);
    expect(clock.offsetMs()).toBe(10_300);
    // An event that happened at T + 10.5 s (server) reached us at T + 200 ms: at least 10.3 s.
    clock.sampleEvent(new Date(T + 10_500).toISOString(), T + 200);
    expect(clock.offsetMs()).toBe(10_650);
    expect(clock.now()).toBe(T + 10_650);
  });

  it('starts again from the newest sample when the clocks jumped', () => {
    const clock = createServerClock(() => T);
    clock.sampleHttpDate(httpDate(T + 10_000), T, T);
    clock.sampleHttpDate(httpDate(T - 60_000), T, T); // our clock was moved a minute on
    expect(clock.offsetMs()).toBe(-59_500);
  });

  it('ignores what it cannot read', () => {
    const clock = createServerClock(() => T);
    clock.sampleHttpDate(null, T, T);
    clock.sampleHttpDate('yesterday', T, T);
    clock.sampleEvent('soon', T);
    expect(clock.offsetMs()).toBe(0);
  });
});
