// The invest dialog's rules, kept apart from the component so they are easy to test. An
// investor funds from min(₹1,000, remaining) up to the remaining amount, in whole paise, and
// never more than the wallet holds.

import { ApiError, NetworkError } from '../api/errors';
import { MIN_INVESTMENT } from './bounds';
import { formatPaise, minBigInt, parseRupeesToPaise } from './money';

export type InvestValidation = { ok: true; amount: bigint } | { ok: false; error: string };

export function minimumInvestment(remaining: number | bigint): bigint {
  return minBigInt(MIN_INVESTMENT, BigInt(remaining));
}

/** What the dialog opens with: everything that is left, or all the wallet holds if less. */
export function prefillAmount(remaining: number | bigint, walletBalance: number | bigint | null): bigint {
  const left = BigInt(remaining);
  return walletBalance === null ? left : minBigInt(left, BigInt(walletBalance));
}

export function validateInvestAmount(
  input: string,
  remaining: number | bigint,
  walletBalance?: number | bigint | null,
): InvestValidation {
  const left = BigInt(remaining);
  if (left <= 0n) return { ok: false, error: 'This invoice is already fully funded.' };
  const amount = parseRupeesToPaise(input);
  if (amount === null) {
    return { ok: false, error: 'Enter an amount in rupees, like 25000 or 25,000.50 (at most two decimals).' };
  }
  if (amount <= 0n) return { ok: false, error: 'Enter an amount greater than zero.' };
  const minimum = minimumInvestment(left);
  if (amount < minimum) {
    return {
      ok: false,
      error:
        minimum === left
          ? `Only ${formatPaise(left)} is left, so invest exactly that amount.`
          : `The minimum investment is ${formatPaise(minimum)}.`,
    };
  }
  if (amount > left) return { ok: false, error: `Only ${formatPaise(left)} is left to fund on this invoice.` };
  if (walletBalance !== undefined && walletBalance !== null && amount > BigInt(walletBalance)) {
    return { ok: false, error: `Your wallet holds ${formatPaise(walletBalance)}, less than this amount.` };
  }
  return { ok: true, amount };
}

/** Plain words for what the fund endpoint can answer. */
export function fundErrorMessage(err: unknown): string {
  if (err instanceof NetworkError) return err.message;
  if (!(err instanceof ApiError)) return 'Something went wrong. Please try again.';
  switch (err.code) {
    case 'invoice_not_fundable':
      return 'Sorry, another investor funded this first: the invoice is no longer open for investment.';
    case 'insufficient_funds':
      return "Your wallet doesn't have enough money for this investment.";
    case 'exceeds_remaining':
      return 'Another investor just funded part of this invoice, so less is left than you entered. The amount left is updated: adjust and confirm again.';
    case 'below_minimum':
      return 'That is below the minimum investment of ₹1,000 (or the whole remaining amount when less is left).';
    case 'idempotency_in_progress':
      return 'Your investment is still being processed. Please wait a moment.';
    case 'idempotency_conflict':
      return 'This request clashed with an earlier one. Please confirm again.';
    case 'forbidden':
      return 'Only investor accounts can invest.';
    case 'not_found':
      return 'This invoice no longer exists.';
    case 'unauthorized':
      return 'Your session has expired. Please log in again.';
    case 'validation_error': {
      const fields = err.fieldErrors();
      return fields.amount ?? Object.values(fields)[0] ?? err.message;
    }
    default:
      return err.message || 'Something went wrong. Please try again.';
  }
}

/** A UUID v4; crypto.randomUUID only exists on secure origins, so fall back to getRandomValues. */
export function newIdempotencyKey(): string {
  const c = globalThis.crypto;
  if (c && typeof c.randomUUID === 'function') return c.randomUUID();
  const bytes = new Uint8Array(16);
  c.getRandomValues(bytes);
  bytes[6] = (bytes[6] & 0x0f) | 0x40;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
