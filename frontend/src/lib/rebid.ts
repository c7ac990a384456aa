// "Bid again" after being outbid: the marketplace opens the bid dialog for the invoice with the
// same face amount typed in (?bid=<invoice id>&face=<paise>).

import type { Bid } from '../api/types';

export function rebidPath(bid: Pick<Bid, 'invoice_id' | 'face_amount'>): string {
  return `/marketplace?bid=${bid.invoice_id}&face=${bid.face_amount}`;
}

/** The bid asked for by the marketplace's address, if any. */
export function readRebid(params: URLSearchParams): { invoiceId: number; faceAmount: number | null } | null {
  const invoiceId = Number(params.get('bid'));
  if (!Number.isSafeInteger(invoiceId) || invoiceId <= 0) return null;
  const face = Number(params.get('face'));
  return { invoiceId, faceAmount: Number.isSafeInteger(face) && face > 0 ? face : null };
}
