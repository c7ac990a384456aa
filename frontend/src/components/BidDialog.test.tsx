import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { ApiError } from '../api/errors';
import type { Auction, BidResult, Invoice } from '../api/types';
import type { OpenAuction } from '../lib/auctions';
import { makeAuctionInvoice, makeBid } from '../test/factories';
import { renderWithClient } from '../test/render';
import { BidDialog } from './BidDialog';

function setup(auction: Partial<Auction>, walletBalance: number | null = 100_000_000) {
  const invoice = makeAuctionInvoice(auction);
  const bid = vi.fn<(id: number, body: { face_amount: number; rate_bps: number }, key: string) => Promise<BidResult>>();
  const onPlaced = vi.fn();
  const view = (shown: Invoice) => (
    <BidDialog invoice={shown} auction={shown.auction as OpenAuction} walletBalance={walletBalance} bid={bid} onPlaced={onPlaced} onClose={vi.fn()} />
  );
  const utils = renderWithClient(view(invoice));
  const dialog = screen.getByRole('dialog');
  const face = within(dialog).getByLabelText('Face amount (₹)');
  const rate = within(dialog).getByLabelText('Rate (% a year)');
  const place = within(dialog).getByRole('button', { name: 'Place bid' });
  const type = async (field: HTMLElement, text: string) => {
    await userEvent.clear(field);
    await userEvent.type(field, text);
  };
  return { invoice, bid, onPlaced, dialog, face, rate, place, type, rerender: (shown: Invoice) => utils.rerender(view(shown)) };
}

describe('BidDialog', () => {
  it('opens on what is still uncovered at the highest rate allowed, ranked and priced', () => {
    const { dialog, face, rate } = setup({ clearing_rate_bps: 1200, covered_face: 6_000_000, bid_count: 1 });
    expect(dialog).toHaveAccessibleName(/^Bid on INV-/);
    expect(face).toHaveValue('40000');
    expect(rate).toHaveValue('15.00');
    expect(dialog).toHaveTextContent('Would be the last bid in the book and complete the cover: ₹40,000.00 of it counts.');
    // at 15% for 40 days the target is ₹98,35,617 paise; 40% of it
    expect(dialog).toHaveTextContent(/You would pay about₹\s?39,342\.46at a clearing rate of 15\.00%/);
    expect(dialog).toHaveTextContent(/\+₹\s?657\.54 over what you pay/);
  });

  it('follows what is typed: ahead of the clearing bid costs the clearing rate', async () => {
    const { dialog, face, rate, type } = setup({ clearing_rate_bps: 1200, covered_face: 6_000_000, bid_count: 1 });
    await type(face, '40000');
    await type(rate, '11');
    expect(dialog).toHaveTextContent('Ranks ahead of the clearing bid (12.00%): all ₹40,000.00 would win as the book stands.');
    expect(dialog).toHaveTextContent(/₹\s?39,473\.97at a clearing rate of 12\.00%/);
  });

  it('says when a bid cannot get into a covered book, and will not send it', async () => {
    const { dialog, rate, place, type, bid } = setup({ clearing_rate_bps: 1200, covered_face: 10_000_000, bid_count: 3 });
    expect(rate).toHaveValue('11.95');
    await type(rate, '12');
    expect(dialog).toHaveTextContent('The bids already cover the invoice at 12.00%: to get in, bid 11.95% or less.');
    expect(place).toBeDisabled();
    expect(bid).not.toHaveBeenCalled();
  });

  it('re-ranks as the live book moves under it', async () => {
    const { dialog, rate, type, rerender, invoice } = setup({ clearing_rate_bps: 1200, covered_face: 6_000_000, bid_count: 1 });
    await type(rate, '11.99');
    expect(dialog).toHaveTextContent(/Ranks ahead/);
    rerender({ ...invoice, auction: { ...(invoice.auction as Auction), clearing_rate_bps: 1150, covered_face: 10_000_000, bid_count: 2 } });
    expect(dialog).toHaveTextContent('to get in, bid 11.45% or less');
  });

  it('sends paise and basis points with an Idempotency-Key, and explains refusals in plain words', async () => {
    const { face, rate, place, type, bid, onPlaced, dialog } = setup({});
    await type(face, '25,000');
    await type(rate, '13.5');
    bid.mockRejectedValueOnce(new ApiError(409, 'bid_not_competitive', 'x', { clearing_rate_bps: 1300, max_rate_bps: 1295 }));
    await userEvent.click(place);
    expect(await within(dialog).findByRole('alert')).toHaveTextContent('The bids now cover the invoice at 13.00%: to get in, bid 12.95% or less.');
    expect(bid).toHaveBeenCalledWith(expect.any(Number), { face_amount: 2_500_000, rate_bps: 1350 }, expect.stringMatching(/^[0-9a-f-]{36}$/));

    bid.mockRejectedValueOnce(new ApiError(409, 'auction_closed', 'x'));
    await userEvent.click(place);
    expect(within(dialog).getByRole('alert')).toHaveTextContent('Bidding has closed on this invoice');
    bid.mockRejectedValueOnce(new ApiError(409, 'insufficient_funds', 'x'));
    await userEvent.click(place);
    expect(within(dialog).getByRole('alert')).toHaveTextContent("Your wallet doesn't hold the face amount");

    const result = { bid: makeBid({ face_amount: 2_500_000, rate_bps: 1350 }), auction: {} as Auction };
    bid.mockResolvedValueOnce(result);
    await userEvent.click(place);
    expect(onPlaced).toHaveBeenCalledWith(result);
  });

  it("shows the server's 422 on the field it names", async () => {
    const { place, bid, dialog } = setup({});
    bid.mockRejectedValueOnce(new ApiError(422, 'validation_error', 'x', { rate_bps: ['Must be 0 to 1500 (max_rate_bps).'] }));
    await userEvent.click(place);
    expect(await within(dialog).findByText('Must be 0 to 1500 (max_rate_bps).', { selector: '.field__error' })).toBeVisible();
  });
});
