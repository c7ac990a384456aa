import { describe, expect, it, vi } from 'vitest';
import { ApiError, NetworkError } from '../api/errors';
import { acceptWords } from './acceptance';
import { auditFilterSchema, filterValues } from './auditFilter';
import { creditLimitSchema } from './creditLimit';
import { explain } from './explain';
import { idempotencyKeys, OUTCOME_RETRIES } from './idempotency';
import { paymentProblem } from './payments';

describe('payments (repay, recover): from min(₹1,000, owed) to owed, within the wallet', () => {
  it('says what is wrong with an amount', () => {
    expect(paymentProblem(100_000n, 10_000_000n, null)).toBeNull();
    expect(paymentProblem(99_999n, 10_000_000n, null)).toMatch(/at least ₹\s?1,000\.00/);
    expect(paymentProblem(10_000_001n, 10_000_000n, null)).toMatch(/Only ₹\s?1,00,000\.00 is owed/);
    expect(paymentProblem(5_000_000n, 10_000_000n, 4_000_000n)).toMatch(/wallet holds ₹\s?40,000\.00/);
    expect(paymentProblem(0n, 10_000_000n, null)).toMatch(/greater than zero/);
  });

  it('lets the last few rupees be paid exactly', () => {
    expect(paymentProblem(40_000n, 40_000n, null)).toBeNull();
    expect(paymentProblem(30_000n, 40_000n, null)).toMatch(/Only ₹\s?400\.00 is owed, so pay exactly that/);
    expect(paymentProblem(100_000n, 0n, null)).toMatch(/Nothing is owed/);
  });
});

describe('the audit filter', () => {
  it('reads the address and builds the API query, leaving out what is empty', () => {
    const values = filterValues(new URLSearchParams('target_type=invoice&target_id=17&bogus=1'));
    expect(values).toEqual({ actorId: '', targetType: 'invoice', targetId: '17' });
    expect(auditFilterSchema.parse(values)).toEqual({ target_type: 'invoice', target_id: 17 });
    expect(auditFilterSchema.parse({ actorId: ' 3 ', targetType: '', targetId: '' })).toEqual({ actor_id: 3 });
    expect(filterValues(new URLSearchParams('target_type=bid')).targetType).toBe('');
  });

  it('refuses ids that are not positive whole numbers', () => {
    const issues = auditFilterSchema.safeParse({ actorId: 'abc', targetType: '', targetId: '0' }).error?.issues ?? [];
    expect(issues.map((i) => [i.path[0], i.message])).toEqual([
      ['actorId', 'The actor id is a number, like 42.'],
      ['targetId', 'The target id is a number from 1 up.'],
    ]);
  });
});

describe('the credit limit', () => {
  it('is paise, or null for no limit (the amount is then ignored)', () => {
    expect(creditLimitSchema.parse({ unlimited: false, limit: '50,00,000' })).toBe(500_000_000);
    expect(creditLimitSchema.parse({ unlimited: false, limit: '0' })).toBe(0);
    expect(creditLimitSchema.parse({ unlimited: true, limit: 'anything' })).toBeNull();
    expect(creditLimitSchema.safeParse({ unlimited: false, limit: '10,00,00,00,000.01' }).error?.issues[0].message).toMatch(/at most/);
  });
});

describe('plain words for refusals', () => {
  it('explains a credit limit with the figures the server sends', () => {
    const err = new ApiError(409, 'credit_limit_exceeded', 'Credit limit exceeded', { credit_limit: 50_000_000, exposure: 45_000_000, amount: 10_000_000 });
    expect(explain(err, acceptWords('2099-01-01'))).toMatch(
      /You already owe ₹\s?4,50,000\.00 on accepted invoices; this one adds ₹\s?1,00,000\.00, past your limit of ₹\s?5,00,000\.00/,
    );
  });

  it('tells a due date too close from an invoice decided meanwhile', () => {
    const err = new ApiError(409, 'invalid_state', 'whatever the server says');
    expect(explain(err, acceptWords('2000-01-01'))).toMatch(/due date is less than 7 days away/);
    expect(explain(err, acceptWords('2099-01-01'))).toMatch(/no longer waiting for you/);
  });

  it('falls back on the common words, then the field message, then the server\'s', () => {
    expect(explain(new ApiError(503, 'busy', 'x'))).toMatch(/busy and did nothing/);
    expect(explain(new ApiError(422, 'validation_error', 'Invalid', { amount: ['Too small.', 'Really.'] }))).toBe('Too small. Really.');
    expect(explain(new ApiError(409, 'something_new', 'A new refusal.'))).toBe('A new refusal.');
  });
});

describe('idempotency keys', () => {
  it('keeps the key while the outcome is undecided and the request the same; a new one after an answer or for another request', async () => {
    const keys = idempotencyKeys();
    const seen: string[] = [];
    const send = async (body: unknown, outcome: () => Promise<string>) => {
      const before = seen.length;
      await keys
        .send(body, (key) => {
          seen.push(key);
          return outcome();
        })
        .catch(() => 'failed');
      return seen.slice(before);
    };
    const [a] = await send({ amount: 1 }, () => Promise.reject(new NetworkError()));
    const unknown = await send({ amount: 1 }, () => Promise.reject(new ApiError(503, 'outcome_unknown', 'x', null, 0)));
    const [c] = await send({ amount: 1 }, () => Promise.reject(new ApiError(409, 'idempotency_in_progress', 'x')));
    const [d] = await send({ amount: 1 }, () => Promise.resolve('ok'));
    const [e] = await send({ amount: 1 }, () => Promise.reject(new ApiError(409, 'insufficient_funds', 'x')));
    const [f] = await send({ amount: 1 }, vi.fn(() => Promise.resolve('ok')));
    const [g] = await send({ amount: 1 }, () => Promise.reject(new NetworkError()));
    const [h] = await send({ amount: 2 }, () => Promise.resolve('ok'));
    // outcome_unknown: asked again by itself, every time with the same key, then given up on.
    expect(unknown).toEqual(Array(OUTCOME_RETRIES + 1).fill(a));
    expect([c, d]).toEqual([a, a]);
    expect(e).not.toBe(d);
    expect(f).not.toBe(e);
    expect(g).not.toBe(f);
    expect(h).not.toBe(g);
  });

  it('after outcome_unknown, asks again with the same key after Retry-After and returns the true answer', async () => {
    vi.useFakeTimers();
    try {
      const keys = idempotencyKeys();
      const request = vi
        .fn<(key: string) => Promise<string>>()
        .mockRejectedValueOnce(new ApiError(503, 'outcome_unknown', 'x', null, 2000))
        .mockResolvedValueOnce('funded');
      const answer = keys.send({ amount: 1 }, request);
      await vi.advanceTimersByTimeAsync(1999);
      expect(request).toHaveBeenCalledTimes(1);
      await vi.advanceTimersByTimeAsync(1);
      await expect(answer).resolves.toBe('funded');
      expect(request).toHaveBeenCalledTimes(2);
      expect(request.mock.calls[1][0]).toBe(request.mock.calls[0][0]);
    } finally {
      vi.useRealTimers();
    }
  });

  it('does not ask again by itself after busy: nothing was done, the person is told', async () => {
    const request = vi.fn(() => Promise.reject(new ApiError(503, 'busy', 'x', null, 0)));
    await expect(idempotencyKeys().send({ amount: 1 }, request)).rejects.toMatchObject({ code: 'busy' });
    expect(request).toHaveBeenCalledTimes(1);
    expect(explain(new ApiError(503, 'busy', 'x'))).toMatch(/busy and did nothing. Try again/);
  });
});
