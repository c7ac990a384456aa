// A live rate auction as the SPA shows it: investors bid a face amount at an annual rate; the
// cheapest bids that cover the invoice win (ranked by rate, then by time), and every winner
// gets the clearing rate (the rate of the last bid needed). Once covered, a new bid must beat
// the clearing rate by MIN_IMPROVEMENT_BPS. The server decides; this only previews.

import type { Auction, BidState, Invoice } from '../api/types';
import { MIN_INVESTMENT } from './bounds';
import { daysBetween, todayIST } from './dates';
import { detail, explain, type Words } from './explain';
import { formatBps, formatPaise, fundingTarget, minBigInt, parsePercentToBps, parseRupeesToPaise } from './money';

/** Once the book covers the invoice, a new bid must be at least this far below the clearing rate. */
export const MIN_IMPROVEMENT_BPS = 5;

/** The invoice's auction, if it is sold by one. */
export function auctionOf(invoice: Invoice): Auction | null {
  const { auction } = invoice;
  return auction && 'max_rate_bps' in auction ? (auction as Auction) : null;
}

export type OpenAuction = Auction & { closes_at: string; state: 'open' };

/** Taking bids now (closes_at is the server's word; the countdown follows the server's clock). */
export function openAuctionOf(invoice: Invoice): OpenAuction | null {
  const auction = auctionOf(invoice);
  return invoice.status === 'listed' && auction?.state === 'open' && auction.closes_at !== null ? (auction as OpenAuction) : null;
}

export const isCovered = (invoice: Invoice, auction: Auction) => auction.covered_face >= invoice.amount;

/** The highest rate a new bid may have now. */
export function highestAcceptableRate(invoice: Invoice, auction: Auction): number {
  if (isCovered(invoice, auction) && auction.clearing_rate_bps !== null) return auction.clearing_rate_bps - MIN_IMPROVEMENT_BPS;
  return auction.max_rate_bps;
}

/** Is `a` a later state of the same auction than `b`? Bids and extensions only ever add up. */
export function isLaterAuction(a: Auction, b: Auction): boolean {
  if (a.bid_count !== b.bid_count) return a.bid_count > b.bid_count;
  if (a.extensions !== b.extensions) return a.extensions > b.extensions;
  return a.state !== b.state && b.state === 'open';
}

export type BidRank =
  /** Ahead of the clearing bid: the whole face counts, and someone at the top may be pushed out. */
  | { kind: 'ahead'; filledFace: bigint }
  /** Last in the book (the book is not covered yet): what is still uncovered of the face. */
  | { kind: 'last'; filledFace: bigint }
  /** The book is covered and the rate does not beat the clearing rate by enough. */
  | { kind: 'not_competitive'; maxRateBps: number };

/**
 * Where a bid would stand if placed now. Equal rates rank by time, so a new bid at the
 * clearing rate queues behind the bids already there.
 */
export function rankBid(invoice: Invoice, auction: Auction, faceAmount: bigint, rateBps: number): BidRank {
  const amount = BigInt(invoice.amount);
  const covered = BigInt(auction.covered_face);
  if (isCovered(invoice, auction)) {
    const maxRateBps = highestAcceptableRate(invoice, auction);
    return rateBps <= maxRateBps ? { kind: 'ahead', filledFace: minBigInt(faceAmount, amount) } : { kind: 'not_competitive', maxRateBps };
  }
  if (auction.clearing_rate_bps !== null && rateBps < auction.clearing_rate_bps) return { kind: 'ahead', filledFace: faceAmount };
  return { kind: 'last', filledFace: minBigInt(faceAmount, amount - covered) };
}

/** The rate everyone would get if the auction closed with this bid in: uniform price. */
export function clearingRateWith(auction: Auction, rank: BidRank, rateBps: number): number {
  if (rank.kind === 'last') return Math.max(rateBps, auction.clearing_rate_bps ?? rateBps);
  return auction.clearing_rate_bps ?? rateBps;
}

/** Days from the close (its IST date) to the due date: the tenor the price is fixed for. */
export function tenorAtClose(invoice: Invoice, closesAt: string): number {
  return daysBetween(todayIST(new Date(closesAt)), invoice.due_date);
}

/**
 * What a winning slice costs at a clearing rate: its share of the funding target that rate
 * fixes, `target × filled / amount` (a product of two amounts: BigInt). The server splits the
 * target by largest remainder, so a winner may pay a paisa more.
 */
export function sliceCost(invoice: Invoice, rateBps: number, days: number, filledFace: bigint): bigint {
  const amount = BigInt(invoice.amount);
  const target = fundingTarget(amount, BigInt(rateBps), BigInt(days));
  return (target * filledFace) / amount;
}

export type BidInput = { ok: true; faceAmount: bigint; rateBps: number } | { ok: false; field: 'face' | 'rate'; error: string };

/** A bid as typed (rupees, a percentage), checked against the auction's bounds and the wallet. */
export function readBid(invoice: Invoice, auction: Auction, faceText: string, rateText: string, walletBalance: number | null): BidInput {
  const face = parseRupeesToPaise(faceText);
  const amount = BigInt(invoice.amount);
  if (face === null) return { ok: false, field: 'face', error: 'Enter an amount in rupees, like 50000 or 50,000.' };
  if (face < MIN_INVESTMENT || face > amount) {
    return { ok: false, field: 'face', error: `Bid from ${formatPaise(MIN_INVESTMENT)} up to the face value, ${formatPaise(amount)}.` };
  }
  if (walletBalance !== null && face > BigInt(walletBalance)) {
    return { ok: false, field: 'face', error: 'Your wallet holds less than this: the whole face amount is held while the bid lives.' };
  }
  const rate = parsePercentToBps(rateText);
  if (rate === null) return { ok: false, field: 'rate', error: 'Enter a rate in percent a year, like 11.5.' };
  if (rate > BigInt(auction.max_rate_bps)) return { ok: false, field: 'rate', error: 'Above the highest rate the seller accepts.' };
  return { ok: true, faceAmount: face, rateBps: Number(rate) };
}

export const BID_STATE_LABELS: Record<BidState, { text: string; tone: 'active' | 'overdue' | 'funded' | 'cancelled' }> = {
  winning: { text: 'Winning', tone: 'active' },
  outbid: { text: 'Outbid', tone: 'overdue' },
  won: { text: 'Won', tone: 'funded' },
  lost: { text: 'Lost', tone: 'cancelled' },
};

const BID_WORDS: Words = {
  auction_closed: 'Bidding has closed on this invoice: your bid was not placed, and nothing was held.',
  bid_not_competitive: (err) => {
    const clearing = detail(err, 'clearing_rate_bps');
    const most = detail(err, 'max_rate_bps');
    return clearing !== null && most !== null
      ? `The bids now cover the invoice at ${formatBps(clearing)}: to get in, bid ${formatBps(most)} or less.`
      : 'Lower bids came in meanwhile: to get in, bid below the clearing rate.';
  },
  insufficient_funds: "Your wallet doesn't hold the face amount: a bid holds its whole face amount until the auction closes.",
  invalid_state: 'This invoice is not taking bids.',
  forbidden: 'Only investor accounts can bid.',
  not_found: 'This invoice is no longer on the marketplace.',
};

/** Plain words for what the bids endpoint can answer. */
export function bidErrorMessage(err: unknown): string {
  return explain(err, BID_WORDS);
}

export const ACCEPT_NOW_WORDS: Words = {
  invalid_state: 'The bids do not cover the invoice (any more), or the auction has already closed.',
  auction_closed: 'The auction has already closed.',
};
