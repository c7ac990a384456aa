import { describe, expect, it } from 'vitest';
import { ApiError, NetworkError } from '../api/errors';
import { newIdempotencyKey } from './idempotency';
import { fundErrorMessage, minimumInvestment, validateInvestAmount } from './invest';

describe('validateInvestAmount', () => {
  const remaining = 9_800_000; // ₹98,000

  it('accepts whole and fractional rupee amounts between the minimum and the remaining amount', () => {
    expect(validateInvestAmount('1000', remaining)).toEqual({ ok: true, amount: 100_000n });
    expect(validateInvestAmount('25,000.50', remaining)).toEqual({ ok: true, amount: 2_500_050n });
    expect(validateInvestAmount('98000', remaining)).toEqual({ ok: true, amount: 9_800_000n });
  });

  it('rejects amounts below ₹1,000', () => {
    const result = validateInvestAmount('999.99', remaining);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error).toMatch(/minimum investment is ₹\s?1,000\.00/);
  });

  it('rejects more than what is left', () => {
    const result = validateInvestAmount('98000.01', remaining);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error).toMatch(/Only ₹\s?98,000\.00 is left/);
  });

  it('rejects fractions of a paisa, negatives, zero and text', () => {
    for (const input of ['1000.001', '-1000', '0', '', 'ten thousand', '1e4']) {
      expect(validateInvestAmount(input, remaining).ok, input).toBe(false);
    }
  });

  it('lowers the minimum to the remaining amount when less than ₹1,000 is left', () => {
    expect(minimumInvestment(40_000)).toBe(40_000n);
    expect(minimumInvestment(9_800_000)).toBe(100_000n);
    expect(validateInvestAmount('400', 40_000)).toEqual({ ok: true, amount: 40_000n });
    const tooSmall = validateInvestAmount('399.99', 40_000);
    expect(!tooSmall.ok && tooSmall.error).toMatch(/Only ₹\s?400\.00 is left, so invest exactly that amount/);
  });

  it('says when the invoice is already fully funded', () => {
    expect(validateInvestAmount('1000', 0)).toMatchObject({ ok: false, error: expect.stringMatching(/fully funded/) });
  });

  it('checks the wallet balance when it is known', () => {
    expect(validateInvestAmount('5000', remaining, 400_000).ok).toBe(false);
    expect(validateInvestAmount('4000', remaining, 400_000).ok).toBe(true);
    expect(validateInvestAmount('5000', remaining, null).ok).toBe(true);
  });
});

describe('fundErrorMessage', () => {
  const conflict = (code: string) => new ApiError(409, code, 'raw server message');

  it('explains the 409s in plain words', () => {
    expect(fundErrorMessage(conflict('invoice_not_fundable'))).toMatch(/another investor funded this first/i);
    expect(fundErrorMessage(conflict('insufficient_funds'))).toMatch(/wallet doesn't have enough/i);
    expect(fundErrorMessage(conflict('exceeds_remaining'))).toMatch(/less is left than you entered/i);
    expect(fundErrorMessage(conflict('below_minimum'))).toMatch(/below the minimum/i);
    expect(fundErrorMessage(conflict('idempotency_in_progress'))).toMatch(/still being processed/i);
  });

  it('uses the field message of a validation error and a clear text when offline', () => {
    const invalid = new ApiError(422, 'validation_error', 'Invalid', { amount: ['Must be an integer.'] });
    expect(fundErrorMessage(invalid)).toBe('Must be an integer.');
    expect(fundErrorMessage(new NetworkError())).toMatch(/Couldn't reach the server/);
  });
});

describe('newIdempotencyKey', () => {
  it('makes distinct UUIDs', () => {
    const a = newIdempotencyKey();
    const b = newIdempotencyKey();
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(a).not.toBe(b);
  });
});
