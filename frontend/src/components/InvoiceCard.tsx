import { BadgeCheck } from 'lucide-react';
import { useId } from 'react';
import type { Invoice } from '../api/types';
import { daysUntil, formatDate, formatDateTime, formatRelativeDays } from '../lib/dates';
import { auctionOf, openAuctionOf } from '../lib/auctions';
import { canFund, isPriced, type PricedInvoice } from '../lib/invoices';
import { formatBps, formatPaise } from '../lib/money';
import { AuctionPanel } from './AuctionPanel';
import { ProgressBar } from './ProgressBar';

interface Props {
  invoice: Invoice;
  /** Arrived live in this session: marked "New" and slides in. */
  isNew: boolean;
  highlighted: boolean;
  onInvest?: () => void;
  /** Opens the bid dialog of an open auction (investors). */
  onBid?: () => void;
}

/** The buyer itself confirmed that it owes this invoice. */
export function ConfirmedBadge() {
  return (
    <span className="badge badge--confirmed">
      <BadgeCheck size={13} aria-hidden="true" /> Buyer confirmed
    </span>
  );
}

/** One invoice on the marketplace. */
export function InvoiceCard({ invoice, isNew, highlighted, onInvest, onBid }: Props) {
  const titleId = useId();
  const openAuction = openAuctionOf(invoice);
  const numberId = useId();
  const classes = ['inv-card', isNew && 'inv-card--enter', highlighted && 'inv-card--highlight'].filter(Boolean).join(' ');

  return (
    <article className={classes} aria-labelledby={`${numberId} ${titleId}`} id={`invoice-${invoice.id}`} data-invoice-id={invoice.id}>
      <header className="inv-card__header">
        <div className="inv-card__heading">
          <h3 id={titleId} className="inv-card__buyer">
            {invoice.buyer_name}
          </h3>
          <div className="inv-card__meta">
            <span id={numberId}>{invoice.invoice_number}</span> · listed by {invoice.seller_name}
          </div>
        </div>
        <div className="inv-card__badges">
          {invoice.buyer_confirmed && <ConfirmedBadge />}
          {isNew && <span className="badge badge--new">New</span>}
        </div>
      </header>

      {isPriced(invoice) ? (
        <FixedPrice invoice={invoice} />
      ) : openAuction ? (
        <AuctionPanel invoice={invoice} auction={openAuction} onBid={onBid} />
      ) : (
        <AuctionTerms invoice={invoice} />
      )}

      {invoice.description && <p className="inv-card__desc">{invoice.description}</p>}

      {isPriced(invoice) && (
        <>
          <ProgressBar funded={invoice.funded_amount} target={invoice.funding_target} label={`Funding progress of ${invoice.invoice_number}`} />
          <footer className="inv-card__footer">
            <div>
              <div className="inv-card__left-label">Left to fund</div>
              <div className="inv-card__left">{formatPaise(invoice.remaining)}</div>
            </div>
            {onInvest && (
              <button type="button" className="btn btn--primary" onClick={onInvest} disabled={!canFund(invoice)}>
                Invest Now
              </button>
            )}
          </footer>
        </>
      )}
    </article>
  );
}

function Maturity({ invoice }: { invoice: Invoice }) {
  return (
    <>
      <div>
        <dt>Matures in</dt>
        <dd>{formatRelativeDays(daysUntil(invoice.due_date))}</dd>
      </div>
      <div>
        <dt>Due date</dt>
        <dd>{formatDate(invoice.due_date)}</dd>
      </div>
    </>
  );
}

function FixedPrice({ invoice }: { invoice: PricedInvoice }) {
  const earns = invoice.annual_yield_bps > 0;
  return (
    <>
      <div className={`inv-card__yield ${earns ? '' : 'inv-card__yield--none'}`}>
        <span className="inv-card__yield-value">{formatBps(invoice.annual_yield_bps)}</span>
        <span className="inv-card__yield-label">{earns ? 'annual yield' : 'no discount: the price is the face value'}</span>
      </div>
      <dl className="inv-card__figures">
        <div>
          <dt>Face value</dt>
          <dd>{formatPaise(invoice.amount)}</dd>
        </div>
        <div>
          <dt>Price</dt>
          <dd>{formatPaise(invoice.funding_target)}</dd>
        </div>
        <Maturity invoice={invoice} />
      </dl>
    </>
  );
}

/** An auction not taking bids now: its rate, and so its price, is set by the bids. */
function AuctionTerms({ invoice }: { invoice: Invoice }) {
  const auction = auctionOf(invoice);
  return (
    <>
      <div className="inv-card__yield inv-card__yield--none">
        <span className="inv-card__yield-value">{auction ? `≤ ${formatBps(auction.max_rate_bps)}` : 'Auction'}</span>
        <span className="inv-card__yield-label">rate auction: the price is set by the bids</span>
      </div>
      <dl className="inv-card__figures">
        <div>
          <dt>Face value</dt>
          <dd>{formatPaise(invoice.amount)}</dd>
        </div>
        <div>
          <dt>Bidding closes</dt>
          <dd>{formatDateTime(auction?.closes_at)}</dd>
        </div>
        <Maturity invoice={invoice} />
      </dl>
    </>
  );
}
