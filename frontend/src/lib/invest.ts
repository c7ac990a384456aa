// The invest dialog's rules, kept apart from the component so they are easy to test. An
// investor funds from min(₹1,000, remaining) up to the remaining amount, in whole paise, and
// never more than the wallet holds.

import { MIN_INVESTMENT } from './bounds';
import { explain, type Words } from './explain';
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

const FUND_WORDS: Words = {
  invoice_not_fundable: 'Sorry, another investor funded this first: the invoice is no longer open for investment.',
  insufficient_funds: "Your wallet doesn't have enough money for this investment.",
  exceeds_remaining:
    'Another investor just funded part of this invoice, so less is left than you entered. The amount left is updated: adjust and confirm again.',
  below_minimum: 'That is below the minimum investment of ₹1,000 (or the whole remaining amount when less is left).',
  idempotency_in_progress: 'Your investment is still being processed. Please wait a moment.',
  forbidden: 'Only investor accounts can invest.',
  not_found: 'This invoice no longer exists.',
  validation_error: (err) => err.fieldErrors().amount ?? Object.values(err.fieldErrors())[0] ?? err.message,
};

/** Plain words for what the fund endpoint can answer. */
export function fundErrorMessage(err: unknown): string {
  return explain(err, FUND_WORDS);
}
