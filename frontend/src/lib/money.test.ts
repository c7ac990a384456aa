import { describe, expect, it } from 'vitest';
import {
  annualYieldBps,
  expectedReturn,
  formatBps,
  formatPaise,
  fundedShareBps,
  fundingTarget,
  paiseToDecimalString,
  paiseToRupeesInput,
  parsePercentToBps,
  parseRupeesToPaise,
} from './money';

describe('parseRupeesToPaise', () => {
  it.each([
    ['1000', 100_000n],
    ['1,000', 100_000n],
    ['10,00,000', 100_000_000n],
    ['1,000,000', 100_000_000n],
    ['1234.5', 123_450n],
    ['1234.56', 123_456n],
    ['0.29', 29n], // 0.29 * 100 === 28.999999999999996 in floats
    ['1.10', 110n],
    ['  42 ', 4_200n],
    ['₹ 2,500.75', 250_075n],
    ['.5', 50n],
    ['7.', 700n],
    ['0', 0n],
    ['100000000000', 10_000_000_000_000n],
    ['9007199254740993.01', 900_719_925_474_099_301n], // past 2^53: exact
  ])('parses %j as %s paise', (input, expected) => {
    expect(parseRupeesToPaise(input)).toBe(expected);
  });

  it.each(['', ' ', '.', 'abc', '12a', '-5', '+5', '1e5', '1.234', '1,0', '1,,000', ',100', '100,', '1.2.3', '₹', 'NaN', 'Infinity', '0x10'])(
    'rejects %j',
    (input) => {
      expect(parseRupeesToPaise(input)).toBeNull();
    },
  );

  it('never multiplies a float: every 2-decimal amount round-trips exactly', () => {
    for (let paise = 0; paise < 2000; paise += 1) {
      const text = paiseToDecimalString(paise);
      expect(parseRupeesToPaise(text)).toBe(BigInt(paise));
    }
  });
});

describe('formatPaise', () => {
  it('formats as Indian rupees with en-IN grouping', () => {
    const inr = new Intl.NumberFormat('en-IN', { style: 'currency', currency: 'INR' });
    expect(formatPaise(100_000_000)).toBe(inr.format(1_000_000));
    expect(formatPaise(100_000_000)).toMatch(/^₹\s?10,00,000\.00$/);
    expect(formatPaise(123_456_789)).toMatch(/12,34,567\.89$/);
    expect(formatPaise(5)).toMatch(/0\.05$/);
    expect(formatPaise(0)).toMatch(/0\.00$/);
  });

  it('accepts bigint and stays exact past 2^53', () => {
    expect(formatPaise(10_000_000_000n)).toMatch(/10,00,00,000\.00$/);
    expect(formatPaise(900_719_925_474_099_301n)).toMatch(/9,00,71,99,25,47,40,993\.01$/);
  });

  it('formats negative amounts', () => {
    expect(formatPaise(-12_345)).toMatch(/^-₹\s?123\.45$/);
  });

  it('refuses non-integer numbers rather than guessing', () => {
    expect(() => formatPaise(1.5)).toThrow(RangeError);
  });
});

describe('rupee strings for inputs', () => {
  it('drops .00 and keeps paise', () => {
    expect(paiseToRupeesInput(9_800_000)).toBe('98000');
    expect(paiseToRupeesInput(123_456)).toBe('1234.56');
    expect(paiseToRupeesInput(5)).toBe('0.05');
  });
});

describe('expectedReturn', () => {
  it('is floor(amount * face value / funding target) in BigInt', () => {
    expect(expectedReturn(500_000, 10_000_000, 9_800_000)).toBe(510_204n); // 510204.08…
    expect(expectedReturn(9_800_000, 10_000_000, 9_800_000)).toBe(10_000_000n);
  });

  it('does not lose precision when the product passes 2^53', () => {
    const amount = 999_999_999_999n;
    const face = 1_000_000_000_000n;
    const target = 999_999_999_998n;
    // amount * face ≈ 10^24: far past Number.MAX_SAFE_INTEGER.
    expect(expectedReturn(amount, face, target)).toBe((amount * face) / target);
    expect(expectedReturn(amount, face, target)).toBe(1_000_000_000_001n); // 10^12 + 1.000000000002
  });

  it('is zero for a zero target instead of throwing', () => {
    expect(expectedReturn(1, 1, 0)).toBe(0n);
  });
});

describe('listing formulas (as the server fixes them)', () => {
  it('computes the funding target and annual yield with floors', () => {
    // ₹1,00,000 at 12% for 60 days: discount floor(10^7 * 1200 * 60 / 3650000) = 197260
    const target = fundingTarget(10_000_000n, 1200n, 60n);
    expect(target).toBe(9_802_740n);
    expect(annualYieldBps(10_000_000n, target, 60n)).toBe(1224n);
  });
});

describe('percentages and basis points', () => {
  it('parses percent strings to bps by string', () => {
    expect(parsePercentToBps('12')).toBe(1200n);
    expect(parsePercentToBps('12.5')).toBe(1250n);
    expect(parsePercentToBps('0.07')).toBe(7n);
    expect(parsePercentToBps('50%')).toBe(5000n);
    expect(parsePercentToBps('1.234')).toBeNull();
    expect(parsePercentToBps('-1')).toBeNull();
    expect(parsePercentToBps('')).toBeNull();
  });

  it('formats bps as a percentage', () => {
    expect(formatBps(1244)).toBe('12.44%');
    expect(formatBps(5)).toBe('0.05%');
  });

  it('computes the funded share for progress bars, clamped', () => {
    expect(fundedShareBps(0, 100)).toBe(0);
    expect(fundedShareBps(1, 3)).toBe(3333);
    expect(fundedShareBps(200, 100)).toBe(10_000);
  });
});
