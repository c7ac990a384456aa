import { describe, expect, it } from 'vitest';
import { addDays, daysBetween, formatDate, isValidYmd, todayIST } from './dates';

describe('IST business dates', () => {
  it('uses the date in India, not the browser time zone', () => {
    // 20:00 UTC on 31 Dec is already 1 Jan (01:30) in India.
    expect(todayIST(new Date('2025-12-31T20:00:00Z'))).toBe('2026-01-01');
    expect(todayIST(new Date('2025-12-31T18:29:00Z'))).toBe('2025-12-31');
  });

  it('does day arithmetic on calendar dates', () => {
    expect(daysBetween('2026-02-27', '2026-03-01')).toBe(2);
    expect(daysBetween('2028-02-28', '2028-03-01')).toBe(2); // leap year
    expect(addDays('2026-12-30', 7)).toBe('2027-01-06');
    expect(addDays('2026-01-01', 365)).toBe('2027-01-01');
  });

  it('validates YYYY-MM-DD', () => {
    expect(isValidYmd('2026-02-28')).toBe(true);
    expect(isValidYmd('2026-02-30')).toBe(false);
    expect(isValidYmd('26-2-3')).toBe(false);
  });

  it('formats for people', () => {
    expect(formatDate('2026-03-15')).toMatch(/15 Mar 2026/);
  });
});
