// An operator's credit limit for a buyer: an amount in rupees (0 up to the API's maximum), or
// unlimited (null).

import { z } from 'zod';
import { creditLimitBounds } from './bounds';
import { formatPaise, paiseToJson, parseRupeesToPaise } from './money';

export interface CreditLimitValues {
  unlimited: boolean;
  limit: string;
}

function limitProblem(input: string): string | null {
  const paise = parseRupeesToPaise(input);
  if (paise === null) return 'Enter the limit in rupees, like 50,00,000 (at most two decimals).';
  if (paise > creditLimitBounds.maximum) return `The limit can be at most ${formatPaise(creditLimitBounds.maximum)}.`;
  return null;
}

/** The request's `credit_limit`: paise, or null for unlimited. */
export const creditLimitSchema = z
  .object({ unlimited: z.boolean(), limit: z.string() })
  .superRefine(({ unlimited, limit }, ctx) => {
    const problem = unlimited ? null : limitProblem(limit);
    if (problem) ctx.addIssue({ code: 'custom', path: ['limit'], message: problem });
  })
  .transform(({ unlimited, limit }) => (unlimited ? null : paiseToJson(parseRupeesToPaise(limit) ?? 0n)));
