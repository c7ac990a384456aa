// The "List invoice" form's rules: the API's bounds (lib/bounds.ts, from its OpenAPI
// document) applied to what a person types, and the request body built from it.

import { z } from 'zod';
import type { NewInvoice } from '../api/types';
import { auctionBounds, invoiceBounds } from './bounds';
import { parsed, text } from './fields';
import { addDays, daysBetween, formatDate, isValidYmd } from './dates';
import { formatBps, formatPaise, paiseToJson, parsePercentToBps, parseRupeesToPaise } from './money';

export interface InvoiceFormValues {
  invoiceNumber: string;
  /** As typed, or the name of the registered buyer picked. */
  buyerName: string;
  /** The registered buyer picked (it confirms the invoice), or null for a name only. */
  buyerId: number | null;
  description: string;
  amount: string; // rupees as typed
  dueDate: string; // YYYY-MM-DD
  rate: string; // percent per year as typed: the discount rate, or an auction's highest rate
  pricing: 'fixed' | 'auction';
  /** How long an auction takes bids, in seconds (a choice from AUCTION_DURATIONS). */
  auctionSeconds: string;
}

/** The auction lengths a seller picks from (the server may ask for a longer minimum). */
export const AUCTION_DURATIONS = [
  { seconds: 300, label: '5 minutes' },
  { seconds: 900, label: '15 minutes' },
  { seconds: 3600, label: '1 hour' },
  { seconds: 21_600, label: '6 hours' },
  { seconds: 86_400, label: '24 hours' },
] as const;

const { invoiceNumber, buyerName, description, amount, daysAfterToday, discountRateBps } = invoiceBounds;

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
      buyerId: z.number().int().positive().nullable(),
      description: text(description, ''),
      amount: amountField,
      dueDate: z.string().superRefine((input, ctx) => {
        const problem = dueDateProblem(input, today);
        if (problem) ctx.addIssue({ code: 'custom', message: problem });
      }),
      rate: rateField,
      pricing: z.enum(['fixed', 'auction']),
      auctionSeconds: z.string().transform(Number),
    })
    .superRefine((v, ctx) => {
      const { minimum, maximum } = auctionBounds.maxRateBps;
      if (v.pricing === 'auction' && (v.rate < minimum || v.rate > maximum)) {
        ctx.addIssue({ code: 'custom', path: ['rate'], message: `The highest rate must be ${formatBps(minimum)} to ${formatBps(maximum)} a year.` });
      }
    })
    .transform(
      (v): NewInvoice => ({
        invoice_number: v.invoiceNumber,
        // A registered buyer is named by its id (the server fills in its name).
        buyer_id: v.buyerId,
        buyer_name: v.buyerId === null ? v.buyerName : null,
        amount: paiseToJson(v.amount),
        due_date: v.dueDate,
        description: v.description || null,
        ...(v.pricing === 'fixed'
          ? { pricing: 'fixed', discount_rate_bps: Number(v.rate), auction: null }
          : {
              pricing: 'auction',
              discount_rate_bps: null,
              auction: { max_rate_bps: Number(v.rate), duration_seconds: v.auctionSeconds, auto_accept_rate_bps: null },
            }),
      }),
    );
}
