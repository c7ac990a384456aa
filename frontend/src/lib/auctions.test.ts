import { describe, expect, it } from 'vitest';
import type { Auction } from '../api/types';
import { makeAuctionInvoice } from '../test/factories';
import { clearingRateWith, highestAcceptableRate, isLaterAuction, rankBid, readBid, sliceCost, tenorAtClose } from './auctions';

const withBook = (auction: Partial<Auction>) => {
  const invoice = makeAuctionInvoice(auction);
  return { invoice, auction: invoice.auction as Auction };
};

describe('where a bid would rank', () => {
  it('is last in an empty book, counting at most the face value', () => {
    const { invoice, auction } = withBook({});
    expect(rankBid(invoice, auction, 4_000_000n, 1500)).toEqual({ kind: 'last', filledFace: 4_000_000n });
    expect(rankBid(invoice, auction, 12_000_000n, 1500)).toEqual({ kind: 'last', filledFace: 10_000_000n });
  });

  it('before the book is covered: ahead of the clearing bid when cheaper, else last with what is still uncovered', () => {
    const { invoice, auction } = withBook({ clearing_rate_bps: 1200, covered_face: 6_000_000, bid_count: 1 });
    expect(rankBid(invoice, auction, 5_000_000n, 1100)).toEqual({ kind: 'ahead', filledFace: 5_000_000n });
    // the same rate queues behind the bids already there
    expect(rankBid(invoice, auction, 5_000_000n, 1200)).toEqual({ kind: 'last', filledFace: 4_000_000n });
    expect(rankBid(invoice, auction, 5_000_000n, 1300)).toEqual({ kind: 'last', filledFace: 4_000_000n });
    expect(clearingRateWith(auction, rankBid(invoice, auction, 5_000_000n, 1300), 1300)).toBe(1300);
    expect(clearingRateWith(auction, rankBid(invoice, auction, 5_000_000n, 1100), 1100)).toBe(1200);
  });

  it('once covered: only 5 bps under the clearing rate gets in', () => {
    const { invoice, auction } = withBook({ clearing_rate_bps: 1200, covered_face: 10_000_000, bid_count: 3 });
    expect(highestAcceptableRate(invoice, auction)).toBe(1195);
    expect(rankBid(invoice, auction, 2_000_000n, 1196)).toEqual({ kind: 'not_competitive', maxRateBps: 1195 });
    expect(rankBid(invoice, auction, 2_000_000n, 1195)).toEqual({ kind: 'ahead', filledFace: 2_000_000n });
  });
});

describe('what a winning slice costs', () => {
  it("is its share of the target the clearing rate fixes, for the tenor from the close's IST date", () => {
    const invoice = makeAuctionInvoice();
    expect(tenorAtClose(invoice, '2099-01-01T10:00:00+00:00')).toBe(40);
    // a close at 20:00 UTC is already the next day in India
    expect(tenorAtClose(invoice, '2099-01-01T20:00:00+00:00')).toBe(39);
    // target = 1,00,00,000 − floor(1,00,00,000 × 1200 × 40 / 36,50,000) = 98,68,494; 40% of it, floored
    expect(sliceCost(invoice, 1200, 40, 4_000_000n)).toBe(3_947_397n);
  });

  it('multiplies two amounts in BigInt, exact where floats are a paisa off', () => {
    const invoice = makeAuctionInvoice({}, { amount: 292_143_398_298 });
    // target 2,89,80,81,72,055 paise × 77,67,69,68,475 / 2,92,14,33,98,298: floats say …480
    expect(sliceCost(invoice, 2084, 14, 77_676_968_475n)).toBe(77_056_063_479n);
  });
});

describe('reading a bid as typed', () => {
  const { invoice, auction } = withBook({});
  it('takes rupees and a percentage', () => {
    expect(readBid(invoice, auction, '40,000', '12.5', 100_000_000)).toEqual({ ok: true, faceAmount: 4_000_000n, rateBps: 1250 });
  });
  it('says what is wrong with each field', () => {
    expect(readBid(invoice, auction, '500', '12', null)).toMatchObject({ ok: false, field: 'face', error: expect.stringMatching(/from ₹\s?1,000\.00 up to the face value/) });
    expect(readBid(invoice, auction, '40000', '12', 1_000_000)).toMatchObject({ ok: false, field: 'face', error: expect.stringMatching(/wallet holds less/) });
    expect(readBid(invoice, auction, '40000', '16', null)).toMatchObject({ ok: false, field: 'rate', error: 'Above the highest rate the seller accepts.' });
    expect(readBid(invoice, auction, '40000', 'lots', null)).toMatchObject({ ok: false, field: 'rate' });
  });
});

it('orders states of one auction by bids, then extensions, then the close', () => {
  const { auction } = withBook({ bid_count: 2, extensions: 0 });
  expect(isLaterAuction({ ...auction, bid_count: 3 }, auction)).toBe(true);
  expect(isLaterAuction({ ...auction, extensions: 1 }, auction)).toBe(true);
  expect(isLaterAuction({ ...auction, state: 'closed' }, auction)).toBe(true);
  expect(isLaterAuction(auction, { ...auction, bid_count: 3 })).toBe(false);
  expect(isLaterAuction(auction, auction)).toBe(false);
});
