import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Gavel } from 'lucide-react';
import { useState } from 'react';
import { applyInvoice } from '../api/cache';
import { auctionApi } from '../api/mutations';
import { bookQuery, myBidsQuery } from '../api/queries';
import type { Invoice } from '../api/types';
import { useUser } from '../hooks/useAuth';
import { ACCEPT_NOW_WORDS, BID_STATE_LABELS, isCovered, type OpenAuction } from '../lib/auctions';
import { explain } from '../lib/explain';
import { idempotencyKeys } from '../lib/idempotency';
import { formatBps, formatPaise } from '../lib/money';
import { ConfirmDialog } from './ConfirmDialog';
import { Countdown } from './Countdown';
import { ProgressBar } from './ProgressBar';
import { QueryState, SkeletonList } from './States';

interface Props {
  invoice: Invoice;
  auction: OpenAuction;
  /** Opens the bid dialog (investors). */
  onBid?: () => void;
}

/**
 * An open rate auction on its card: the clearing rate, the countdown and the cover, all live;
 * to an investor its own bids and a bid button, to the seller the book and "Accept now".
 */
export function AuctionPanel({ invoice, auction, onBid }: Props) {
  const user = useUser();
  const isSeller = invoice.seller_id === user.id;
  return (
    <>
      <div className="inv-card__yield">
        <span className="inv-card__yield-value" aria-live="polite">
          {auction.clearing_rate_bps === null ? 'No bids yet' : formatBps(auction.clearing_rate_bps)}
        </span>
        <span className="inv-card__yield-label">
          {auction.clearing_rate_bps === null ? `rate auction, up to ${formatBps(auction.max_rate_bps)}` : `clearing rate · up to ${formatBps(auction.max_rate_bps)}`}
        </span>
      </div>
      <Countdown closesAt={auction.closes_at} extensions={auction.extensions} />
      <ProgressBar
        funded={auction.covered_face}
        target={invoice.amount}
        unit="covered"
        label={`Bids covering ${invoice.invoice_number}`}
      />
      <p className="inv-card__meta">
        {auction.bid_count} {auction.bid_count === 1 ? 'bid' : 'bids'} · face value {formatPaise(invoice.amount)}
      </p>
      {user.role === 'investor' && <MyBids invoiceId={invoice.id} />}
      {isSeller && <Book invoice={invoice} auction={auction} />}
      {onBid && (
        <footer className="inv-card__footer">
          <span className="inv-card__left-label">Bids are firm; the face amount is held until the close.</span>
          <button type="button" className="btn btn--primary" onClick={onBid}>
            <Gavel size={16} aria-hidden="true" /> Place a bid
          </button>
        </footer>
      )}
    </>
  );
}

function MyBids({ invoiceId }: { invoiceId: number }) {
  const bids = useQuery(myBidsQuery(invoiceId));
  return (
    <QueryState query={bids} what="your bids" loading={<SkeletonList rows={1} label="Loading your bids" />} isEmpty={(list) => list.length === 0}>
      {(list) => (
        <div className="bids">
          <h4 className="bids__title">Your bids</h4>
          <ul className="bids__list" aria-label="Your bids">
            {list.map((bid) => {
              const state = BID_STATE_LABELS[bid.state];
              return (
                <li key={bid.id} className="bids__row">
                  <span>
                    {formatPaise(bid.face_amount)} at {formatBps(bid.rate_bps)}
                  </span>
                  <span className={`badge badge--${state.tone}`}>{state.text}</span>
                </li>
              );
            })}
          </ul>
        </div>
      )}
    </QueryState>
  );
}

/** The seller's view: the book by rate level (no bidder named), and closing early once covered. */
function Book({ invoice, auction }: { invoice: Invoice; auction: OpenAuction }) {
  const user = useUser();
  const client = useQueryClient();
  const book = useQuery(bookQuery(invoice.id));
  const [confirming, setConfirming] = useState(false);
  const [idempotency] = useState(idempotencyKeys);
  const covered = isCovered(invoice, auction);

  const acceptNow = async () => {
    const { invoice: closed } = await idempotency.send({ accept: invoice.id }, (key) => auctionApi.acceptNow(invoice.id, key));
    applyInvoice(client, closed, user.id);
  };

  return (
    <div className="bids">
      <h4 className="bids__title">Order book</h4>
      <QueryState
        query={book}
        what="the order book"
        loading={<SkeletonList rows={2} label="Loading the order book" />}
        isEmpty={(levels) => levels.length === 0}
        empty={<p className="inv-card__meta">No bids yet.</p>}
      >
        {(levels) => (
          <table className="book" aria-label={`Order book of ${invoice.invoice_number}`}>
            <thead>
              <tr>
                <th scope="col">Rate</th>
                <th scope="col" className="num">
                  Bid
                </th>
                <th scope="col" className="num">
                  Winning
                </th>
              </tr>
            </thead>
            <tbody>
              {levels.map((level) => (
                <tr key={level.rate_bps} className={level.filled_face > 0 ? 'book__row--in' : undefined}>
                  <td>
                    {formatBps(level.rate_bps)}
                    <div className="cell-sub">
                      {level.bid_count} {level.bid_count === 1 ? 'bid' : 'bids'}
                    </div>
                  </td>
                  <td className="num">{formatPaise(level.face_amount)}</td>
                  <td className="num">{formatPaise(level.filled_face)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </QueryState>
      <footer className="inv-card__footer">
        <span className="inv-card__left-label">{covered ? 'Covered: you may close now at the clearing rate.' : 'Accept now once the bids cover the face value.'}</span>
        <button type="button" className="btn btn--primary" disabled={!covered} onClick={() => setConfirming(true)}>
          Accept now
        </button>
      </footer>
      {confirming && (
        <ConfirmDialog
          title={`Accept the bids on ${invoice.invoice_number}?`}
          message={`The auction closes now: every winner gets the clearing rate of ${formatBps(auction.clearing_rate_bps ?? 0)}, and the price is paid into your wallet.`}
          confirmLabel="Accept now"
          onConfirm={acceptNow}
          onClose={() => setConfirming(false)}
          explainError={(err) => explain(err, ACCEPT_NOW_WORDS)}
        />
      )}
    </div>
  );
}
