import { describe, expect, it } from 'vitest';
import type { MarketStats } from '../api/types';
import { yieldInWords } from './MarketPage';

function withDays(daily: MarketStats['daily']): MarketStats {
  return { daily } as MarketStats;
}

describe('the yield trend in words', () => {
  it('says when nothing was funded', () => {
    expect(yieldInWords(withDays([{ date: '2026-11-25', listed: 2, funded: 0, volume: 0, avg_yield_bps: 0 }]))).toBe(
      'No invoice was funded in the last 30 days.',
    );
  });

  it('names the first and last days with fundings and the range, skipping days without', () => {
    const text = yieldInWords(
      withDays([
        { date: '2026-11-20', listed: 1, funded: 1, volume: 100, avg_yield_bps: 1150 },
        { date: '2026-11-21', listed: 1, funded: 0, volume: 0, avg_yield_bps: 0 },
        { date: '2026-11-22', listed: 1, funded: 2, volume: 200, avg_yield_bps: 1020 },
      ]),
    );
    expect(text).toContain('over the 2 days with fundings');
    expect(text).not.toContain('0.00');
  });
});
