// A buyer's answer to an invoice listed against it: accept (irrevocable, within its credit
// limit, while the due date is a week away or more) or reject with a reason.

import { z } from 'zod';
import { ApiError } from '../api/errors';
import { invoiceBounds, rejectBounds } from './bounds';
import { daysUntil } from './dates';
import { detail, type Words } from './explain';
import { text } from './fields';
import { formatPaise } from './money';

function overLimit(err: ApiError): string {
  const limit = detail(err, 'credit_limit');
  const exposure = detail(err, 'exposure');
  const amount = detail(err, 'amount');
  const figures =
    limit !== null && exposure !== null && amount !== null
      ? ` You already owe ${formatPaise(exposure)} on accepted invoices; this one adds ${formatPaise(amount)}, past your limit of ${formatPaise(limit)}.`
      : '';
  return `Accepting this would take you past your credit limit.${figures} Repay an invoice first, or ask the platform to raise your limit.`;
}

const NOT_WAITING = 'This invoice is no longer waiting for you: it was accepted, rejected or withdrawn meanwhile.';
const { minimum: minDays } = invoiceBounds.daysAfterToday;

/** Words for accepting an invoice due on `dueDate`: too late to list it, or decided already. */
export const acceptWords = (dueDate: string): Words => ({
  credit_limit_exceeded: overLimit,
  invalid_state:
    daysUntil(dueDate) < minDays
      ? `Its due date is less than ${minDays} days away, too soon for investors to fund it: it can no longer be accepted.`
      : NOT_WAITING,
  not_found: 'This invoice is no longer there: the seller withdrew it.',
});

export const REJECT_WORDS: Words = {
  invalid_state: NOT_WAITING,
  not_found: 'This invoice is no longer there: the seller withdrew it.',
};

export interface RejectValues {
  reason: string;
}

export const rejectSchema = z.object({ reason: text(rejectBounds.reason, 'Say why, so the seller knows what to fix.') });
