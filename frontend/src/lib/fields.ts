// zod pieces for the forms' fields: text within the API's lengths, and a typed value (rupees,
// a percentage) parsed and checked, each with one message a person can act on.

import { z } from 'zod';

export const text = (bounds: { minLength?: number; maxLength: number }, missing: string) =>
  z
    .string()
    .trim()
    .min(bounds.minLength ?? 0, missing)
    .max(bounds.maxLength, `Use at most ${bounds.maxLength.toLocaleString('en-IN')} characters.`);

/** A typed value parsed and checked against a range, or one message. */
export const parsed = (parse: (input: string) => bigint | null, check: (value: bigint) => string | null, unreadable: string) =>
  z.string().transform((input, ctx) => {
    const value = parse(input);
    const problem = value === null ? unreadable : check(value);
    if (problem !== null || value === null) {
      ctx.addIssue({ code: 'custom', message: problem ?? unreadable });
      return z.NEVER;
    }
    return value;
  });
