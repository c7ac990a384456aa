// Money paid into an invoice (a buyer's repayment, an operator's recovery): from
// min(₹1,000, owed) up to what is owed, where `owed` includes late interest; never more than
// the payer's wallet holds. The same rule as the server's (README: the life of an invoice), checked as it is typed.

import { z } from 'zod';
import { ApiError } from '../api/errors';
import { MIN_INVESTMENT, recoveryBounds } from './bounds';
import { detail, type Words } from './explain';
import { parsed, text } from './fields';
import { formatPaise, minBigInt, parseRupeesToPaise } from './money';

/** The ₹1,000 floor is the one investments have; less only when less is owed. */
export function minimumPayment(owed: bigint): bigint {
  return minBigInt(MIN_INVESTMENT, owed);
}

export function paymentProblem(amount: bigint, owed: bigint, wallet: bigint | null): string | null {
  if (owed <= 0n) return 'Nothing is owed on this invoice.';
  if (amount <= 0n) return 'Enter an amount greater than zero.';
  const minimum = minimumPayment(owed);
  if (amount < minimum) {
    return minimum === owed ? `Only ${formatPaise(owed)} is owed, so pay exactly that.` : `Pay at least ${formatPaise(minimum)}.`;
  }
  if (amount > owed) return `Only ${formatPaise(owed)} is owed.`;
  if (wallet !== null && amount > wallet) return `Your wallet holds ${formatPaise(wallet)}, less than this amount.`;
  return null;
}

const paymentField = (owed: bigint, wallet: bigint | null) =>
  parsed(
    parseRupeesToPaise,
    (paise) => paymentProblem(paise, owed, wallet),
    'Enter an amount in rupees, like 25000 or 25,000.50 (at most two decimals).',
  );

export interface RepayValues {
  amount: string;
}

export const repaySchema = (owed: bigint, wallet: bigint | null) => z.object({ amount: paymentField(owed, wallet) });

export interface RecoveryValues {
  amount: string;
  note: string;
}

export const recoverySchema = (owed: bigint) =>
  z.object({ amount: paymentField(owed, null), note: text(recoveryBounds.note, 'Say where the money came from.') });

const owedNow = (err: ApiError) => {
  const owed = detail(err, 'owed');
  return owed === null ? 'Less is owed now than this amount.' : `Less is owed now than this amount: ${formatPaise(owed)}.`;
};

const PAYMENT_WORDS: Words = {
  exceeds_owed: owedNow,
  below_minimum: (err) => {
    const minimum = detail(err, 'minimum');
    return minimum === null ? 'That is below the minimum payment.' : `Pay at least ${formatPaise(minimum)}.`;
  },
};

export const REPAY_WORDS: Words = {
  ...PAYMENT_WORDS,
  insufficient_funds: "Your wallet doesn't hold enough for this payment.",
  invalid_state: 'This invoice no longer takes repayments: it was repaid in full, written off, or is not funded yet.',
  forbidden: 'You are not the payer of this invoice.',
};

export const RECOVERY_WORDS: Words = {
  ...PAYMENT_WORDS,
  invalid_state: 'Recoveries are recorded on overdue, defaulted or written-off invoices only.',
};

export const SETTLE_WORDS: Words = {
  insufficient_funds: "Your wallet doesn't hold everything that is owed.",
  invalid_state: 'This invoice can no longer be settled: it was repaid or changed meanwhile.',
};
