// The market's figures in words: trends over the last 7 days against the 7 before (from the
// 30 days of history), durations, shares.

import type { MarketDay } from '../api/types';

const WEEK = 7;

export interface Trend {
  /** The last 7 days' total. */
  current: bigint;
  /** The 7 days before those. */
  previous: bigint;
}

/** A figure summed over the last 7 days and the 7 before (the history is oldest first). */
export function weekTrend(daily: MarketDay[], figure: (day: MarketDay) => number): Trend {
  const sum = (days: MarketDay[]) => days.reduce((total, day) => total + BigInt(figure(day)), 0n);
  return { current: sum(daily.slice(-WEEK)), previous: sum(daily.slice(-2 * WEEK, -WEEK)) };
}

/** "+12 % on the week before", "−5 % …", "same as the week before", "new this week". */
export function trendInWords({ current, previous }: Trend): string {
  if (previous === 0n) return current === 0n ? 'none the week before either' : 'none the week before';
  if (current === previous) return 'same as the week before';
  const change = ((current - previous) * 100n) / previous;
  if (change === 0n) return current > previous ? 'up slightly on the week before' : 'down slightly on the week before';
  return `${change > 0n ? '+' : '−'}${change > 0n ? change : -change} % on the week before`;
}

/** Seconds as "45 s", "12 min", "3 h 20 min", "2 d 4 h". */
export function formatSeconds(seconds: number | null): string {
  if (seconds === null) return '—';
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return minutes % 60 ? `${hours} h ${minutes % 60} min` : `${hours} h`;
  const days = Math.floor(hours / 24);
  return hours % 24 ? `${days} d ${hours % 24} h` : `${days} d`;
}

const percentFormatter = new Intl.NumberFormat('en-IN', { maximumFractionDigits: 1 });

/** A share the server computed as a percentage (not money): 31.46 -> "31.5 %". */
export function formatPercent(value: number): string {
  return `${percentFormatter.format(value)} %`;
}

const dayFormatter = new Intl.DateTimeFormat('en-IN', { day: 'numeric', month: 'short', timeZone: 'UTC' });

/** '2026-03-15' -> '15 Mar' (an IST calendar date, read as such). */
export function formatDayShort(ymd: string): string {
  const at = Date.parse(`${ymd}T00:00:00Z`);
  return Number.isNaN(at) ? ymd : dayFormatter.format(at);
}
