import { useRef, useState, type FormEvent } from 'react';
import { ApiError } from '../api/errors';
import { auctionApi } from '../api/mutations';
import type { BidResult, Invoice } from '../api/types';
import {
  bidErrorMessage,
  clearingRateWith,
  highestAcceptableRate,
  rankBid,
  readBid,
  sliceCost,
  tenorAtClose,
  type BidRank,
  type OpenAuction,
} from '../lib/auctions';
import { formatDate } from '../lib/dates';
import { idempotencyKeys } from '../lib/idempotency';
import { formatBps, formatPaise, minBigInt, paiseToJson, paiseToRupeesInput } from '../lib/money';
import { Countdown } from './Countdown';
import { Dialog } from './Dialog';
import { Facts } from './Facts';
import { FormField, RupeeInput } from './Form';

interface Props {
  /** The invoice as currently known (kept live by the cache: bids, extensions). */
  invoice: Invoice;
  auction: OpenAuction;
  walletBalance: number | null;
  /** A face amount to start from (bidding again after being outbid). */
  initialFace?: number | null;
  onClose(): void;
  onPlaced(result: BidResult): void;
  /** Injected in tests; defaults to the API. */
  bid?: typeof auctionApi.bid;
}

function rankInWords(rank: BidRank, auction: OpenAuction, invoice: Invoice): string {
  const clearing = auction.clearing_rate_bps;
  switch (rank.kind) {
    case 'not_competitive':
      return `The bids already cover the invoice at ${formatBps(clearing ?? 0)}: to get in, bid ${formatBps(rank.maxRateBps)} or less.`;
    case 'ahead':
      return clearing !== null && auction.covered_face >= invoice.amount
        ? `Ranks ahead of the clearing bid (${formatBps(clearing)}): all ${formatPaise(rank.filledFace)} would win as the book stands, pushing the dearest bids out.`
        : `Ranks ahead of the clearing bid (${formatBps(clearing ?? 0)}): all ${formatPaise(rank.filledFace)} would win as the book stands.`;
    case 'last': {
      const stillOpen = BigInt(invoice.amount) - BigInt(auction.covered_face) - rank.filledFace;
      return stillOpen > 0n
        ? `Would be the last bid in the book: all ${formatPaise(rank.filledFace)} counts, and ${formatPaise(stillOpen)} of the face value would still be uncovered.`
        : `Would be the last bid in the book and complete the cover: ${formatPaise(rank.filledFace)} of it counts.`;
    }
  }
}

/** What the bid would cost and return, if the auction closed now. */
function Preview({ invoice, auction, rank, rateBps }: { invoice: Invoice; auction: OpenAuction; rank: BidRank; rateBps: number }) {
  if (rank.kind === 'not_competitive') return null;
  const rate = clearingRateWith(auction, rank, rateBps);
  const days = tenorAtClose(invoice, auction.closes_at);
  const cost = sliceCost(invoice, rate, days, rank.filledFace);
  return (
    <div className="invest__return">
      <div>
        <div className="invest__return-label">You would pay about</div>
        <div className="invest__return-value">{formatPaise(cost)}</div>
        <div className="invest__return-gain">at a clearing rate of {formatBps(rate)}</div>
      </div>
      <div>
        <div className="invest__return-label">And receive on {formatDate(invoice.due_date)}</div>
        <div className="invest__return-value">{formatPaise(rank.filledFace)}</div>
        <div className="invest__return-gain">+{formatPaise(rank.filledFace - cost)} over what you pay</div>
      </div>
    </div>
  );
}

/**
 * Bid on a slice of an invoice's face value at an annual rate. Shows, as it is typed, where the
 * bid would rank and what it would cost at the clearing rate (BigInt), both following the live
 * book. The whole face amount is held from the wallet while the bid lives; bids are firm.
 */
export function BidDialog({ invoice, auction, walletBalance, initialFace = null, onClose, onPlaced, bid = auctionApi.bid }: Props) {
  const faceRef = useRef<HTMLInputElement>(null);
  const uncovered = BigInt(invoice.amount) - BigInt(auction.covered_face);
  const startFace = BigInt(initialFace ?? (uncovered > 0n ? uncovered : invoice.amount));
  const [faceText, setFaceText] = useState(() =>
    paiseToRupeesInput(walletBalance === null ? startFace : minBigInt(startFace, BigInt(walletBalance))),
  );
  const [rateText, setRateText] = useState(() => formatBps(highestAcceptableRate(invoice, auction)).replace('%', ''));
  const [submitting, setSubmitting] = useState(false);
  const [serverError, setServerError] = useState<string | null>(null);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [idempotency] = useState(idempotencyKeys);

  const input = readBid(invoice, auction, faceText, rateText, walletBalance);
  const rank = input.ok ? rankBid(invoice, auction, input.faceAmount, input.rateBps) : null;
  const faceError = fieldErrors.face_amount ?? (!input.ok && input.field === 'face' ? input.error : undefined);
  const rateError = fieldErrors.rate_bps ?? (!input.ok && input.field === 'rate' ? input.error : undefined);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (submitting || !input.ok || rank?.kind === 'not_competitive') return;
    const body = { face_amount: paiseToJson(input.faceAmount), rate_bps: input.rateBps };
    setSubmitting(true);
    setServerError(null);
    setFieldErrors({});
    try {
      onPlaced(await idempotency.send(body, (key) => bid(invoice.id, body, key)));
    } catch (err) {
      if (err instanceof ApiError && err.code === 'validation_error') setFieldErrors(err.fieldErrors());
      setServerError(bidErrorMessage(err));
      setSubmitting(false);
    }
  };

  const edit = (set: (text: string) => void) => (text: string) => {
    set(text);
    setServerError(null);
    setFieldErrors({});
  };

  return (
    <Dialog title={`Bid on ${invoice.invoice_number}`} onClose={onClose} locked={submitting} initialFocus={faceRef}>
      <form className="invest" onSubmit={submit} noValidate aria-label={`Bid on ${invoice.invoice_number}`}>
        <Facts
          facts={[
            ['Buyer', invoice.buyer_name],
            ['Face value', formatPaise(invoice.amount)],
            ['Clearing rate', auction.clearing_rate_bps === null ? 'No bids yet' : formatBps(auction.clearing_rate_bps)],
            ['Highest rate', formatBps(auction.max_rate_bps)],
          ]}
        />
        <Countdown closesAt={auction.closes_at} extensions={auction.extensions} />
        <div className="form-grid">
          <FormField
            id="bid-face"
            label="Face amount (₹)"
            error={faceError}
            hint={walletBalance !== null ? `Held from your wallet (${formatPaise(walletBalance)}) while the bid lives` : undefined}
          >
            {(field) => <RupeeInput ref={faceRef} {...field} value={faceText} onChange={(e) => edit(setFaceText)(e.target.value)} />}
          </FormField>
          <FormField id="bid-rate" label="Rate (% a year)" error={rateError} hint={`At most ${formatBps(highestAcceptableRate(invoice, auction))} now`}>
            {(field) => <input {...field} inputMode="decimal" autoComplete="off" value={rateText} onChange={(e) => edit(setRateText)(e.target.value)} />}
          </FormField>
        </div>

        {rank && (
          <p className={`bid-rank ${rank.kind === 'not_competitive' ? 'bid-rank--out' : ''}`} aria-live="polite">
            {rankInWords(rank, auction, invoice)}
          </p>
        )}
        {rank && input.ok && <Preview invoice={invoice} auction={auction} rank={rank} rateBps={input.rateBps} />}

        <p className="form-error" role="alert" hidden={!serverError}>
          {serverError}
        </p>
        <div className="modal__actions">
          <button type="button" className="btn btn--ghost" onClick={onClose} disabled={submitting}>
            Cancel
          </button>
          <button
            type="submit"
            className="btn btn--primary"
            disabled={submitting || !input.ok || rank?.kind === 'not_competitive'}
            aria-busy={submitting || undefined}
          >
            {submitting && <span className="spinner" aria-hidden="true" />}
            Place bid
          </button>
        </div>
      </form>
    </Dialog>
  );
}
