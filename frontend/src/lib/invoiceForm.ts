// The "List invoice" form's rules: the API's bounds (lib/bounds.ts, from its OpenAPI
// document) applied to what a person types, and the request body built from it.

import { z } from 'zod';
import type { NewInvoice } from '../api/types';
import { invoiceBounds } from './bounds';
import { addDays, daysBetween, formatDate, isValidYmd } from './dates';
import { formatBps, formatPaise, paiseToJson, parsePercentToBps, parseRupeesToPaise } from './money';

export interface InvoiceFormValues {
  invoiceNumber: string;
  buyerName: string;
  description: string;
  amount: string; // rupees as typed
  dueDate: string; // YYYY-MM-DD
  rate: string; // percent per year as typed
}

const { invoiceNumber, buyerName, description, amount, daysAfterToday, discountRateBps } = invoiceBounds;

const text = (bounds: { minLength?: number; maxLength: number }, missing: string) =>
  z
    .string()
    .trim()
    .min(bounds.minLength ?? 0, missing)
    .max(bounds.maxLength, `Use at most ${bounds.maxLength.toLocaleString('en-IN')} characters.`);

/** A typed value parsed and checked against a range, or one message. */
const parsed = (parse: (input: string) => bigint | null, check: (value: bigint) => string | null, unreadable: string) =>
  z.string().transform((input, ctx) => {
    const value = parse(input);
    const problem = value === null ? unreadable : check(value);
    if (problem !== null || value === null) {
      ctx.addIssue({ code: 'custom', message: problem ?? unreadable });
      return z.NEVER;
    }
    return value;
  });

export const amountField = parsed(
  parseRupeesToPaise,
  (paise) =>
    paise < amount.minimum
      ? `The face value must be at least ${formatPaise(amount.minimum)}.`
      : paise > amount.maximum
        ? `The face value can be at most ${formatPaise(amount.maximum)}.`
        : null,
  'Enter the face value in rupees, like 250000 or 2,50,000.50.',
);

export const rateField = parsed(
  parsePercentToBps,
  (bps) =>
    bps < discountRateBps.minimum || bps > discountRateBps.maximum
      ? `The discount rate must be ${formatBps(discountRateBps.minimum)} to ${formatBps(discountRateBps.maximum)} a year.`
      : null,
  'Enter a yearly rate in percent, with at most two decimals (e.g. 12.5).',
);

/** What is wrong with a due date (YYYY-MM-DD), given today in India; null if nothing. */
export function dueDateProblem(input: string, today: string): string | null {
  if (!isValidYmd(input)) return 'Pick the date the buyer will pay.';
  const days = daysBetween(today, input);
  if (days < daysAfterToday.minimum) {
    return `The due date must be at least ${daysAfterToday.minimum} days from today (${formatDate(addDays(today, daysAfterToday.minimum))} or later).`;
  }
  if (days > daysAfterToday.maximum) {
    return `The due date can be at most ${daysAfterToday.maximum} days away (${formatDate(addDays(today, daysAfterToday.maximum))}).`;
  }
  return null;
}

export function invoiceFormSchema(today: string) {
  return z
    .object({
      invoiceNumber: text(invoiceNumber, 'Enter your reference for this invoice.'),
      buyerName: text(buyerName, 'Enter who owes this invoice.'),
      description: text(description, ''),
      amount: amountField,
      dueDate: z.string().superRefine((input, ctx) => {
        const problem = dueDateProblem(input, today);
        if (problem) ctx.addIssue({ code: 'custom', message: problem });
      }),
      rate: rateField,
    })
    .transform(
      (v): NewInvoice => ({
        invoice_number: v.invoiceNumber,
        buyer_name: v.buyerName,
        amount: paiseToJson(v.amount),
        due_date: v.dueDate,
        discount_rate_bps: Number(v.rate),
        description: v.description || null,
      }),
    );
}
