// A registered buyer's credit: how much it may owe on accepted invoices at once (its limit,
// or none), against what it owes now (its exposure).

import type { Buyer } from '../api/types';
import { formatPaise } from './money';

/** What it may still accept, or null without a limit. Never negative. */
export function creditRoom({ credit_limit, exposure }: Pick<Buyer, 'credit_limit' | 'exposure'>): bigint | null {
  if (credit_limit === null) return null;
  const room = BigInt(credit_limit) - BigInt(exposure);
  return room > 0n ? room : 0n;
}

/** "₹2,00,000.00 of ₹10,00,000.00 credit used", or that it has no limit. */
export function creditText(buyer: Buyer): string {
  return buyer.credit_limit === null
    ? `no credit limit · ${formatPaise(buyer.exposure)} outstanding`
    : `${formatPaise(buyer.exposure)} of ${formatPaise(buyer.credit_limit)} credit used`;
}
