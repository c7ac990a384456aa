"""Live rate auctions: bids, the close, and reading the book.

Everything that changes an auction runs under its invoice's row lock (`lock_invoice`, which
also re-reads the auction), so bids, the seller's early acceptance and the worker's close queue
there, and a close happens once whatever the number of processes. The arithmetic (the book, the
winning set, the split of the target) is in `clearing.py`; this module applies it.

Money: a bid's face amount moves from the investor's wallet to its hold account when the bid is
placed, and back when the bid is outbid or loses; at the close each winner's part of the target
goes from its hold into escrow through `funding.invest_in`, like any other investment.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import or_, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from .. import db
from ..models import (
    Account,
    AccountKind,
    Auction,
    AuctionState,
    Bid,
    BidState,
    InvestmentSource,
    Invoice,
    Role,
    TransferKind,
    utcnow,
)
from . import audit, clearing, funding, ledger, notifications, settings
from .changes import AuctionChanged, AuctionClosed, BidLost, BidOutbid, BidWon, changes
from .dates import IST
from .errors import AuctionClosed as AuctionClosedError
from .errors import BidNotCompetitive, Forbidden, InvalidState, NotFound, ValidationFailed
from .invoices import (
    MIN_FACE_VALUE,
    PRIVATE_STATUSES,
    fix_price,
    get_invoice,
    lock_invoice,
    owned_invoice,
    refund_and_cancel,
)

log = logging.getLogger(__name__)

UNFILLED_REASON = "auction_unfilled"
CLOSES_PER_TICK = 50


@dataclass
class BidResult:
    bid: Bid
    auction: Auction


def open_in(session: Session, invoice: Invoice) -> None:
    """The invoice reaches the marketplace: its auction runs from now for its duration."""
    auction = invoice.auction
    now = utcnow()
    auction.state = AuctionState.OPEN
    auction.opened_at = now
    auction.closes_at = now + timedelta(seconds=auction.duration_seconds)
    changes(session).add(AuctionChanged(invoice, auction))


# --- bidding ---------------------------------------------------------------------------------


def place_bid(
    investor_id: int,
    invoice_id: int,
    face_amount: int,
    rate_bps: int,
    now: datetime | None = None,
) -> BidResult:
    """Bid for a slice of an invoice's face value at an annual rate: one short transaction
    under the invoice's row lock (or the caller's)."""
    return db.transaction(
        lambda session: bid_in(
            session,
            investor_id,
            lock_invoice(session, invoice_id),
            face_amount,
            rate_bps,
            now or utcnow(),
        )
    )


def bid_in(
    session: Session,
    investor_id: int,
    invoice: Invoice,
    face_amount: int,
    rate_bps: int,
    now: datetime,
) -> BidResult:
    """Place a bid on an invoice this transaction has locked."""
    if invoice.status in PRIVATE_STATUSES:
        raise NotFound("Invoice not found.")  # not on the marketplace: as if it did not exist
    auction = invoice.auction
    _check_bid_terms(invoice, face_amount, rate_bps)
    if auction is None:
        raise InvalidState("This invoice is sold at a fixed price, not by auction.")
    if auction.state != AuctionState.OPEN or now >= auction.closes_at:
        closes_at = auction.closes_at.isoformat() if auction.closes_at else None
        raise AuctionClosedError(details={"closes_at": closes_at})
    live = _live_bids(session, invoice.id)
    before = clearing.clear(_offers(live), invoice.amount)
    if not clearing.competitive(before, rate_bps):
        raise BidNotCompetitive(
            details={
                "clearing_rate_bps": before.clearing_rate_bps,
                "max_rate_bps": before.clearing_rate_bps - clearing.MIN_IMPROVEMENT_BPS,
            }
        )

    bid = Bid(
        invoice_id=invoice.id,
        investor_id=investor_id,
        face_amount=face_amount,
        rate_bps=rate_bps,
        state=BidState.WINNING,
        filled_face=0,
        created_at=now,
    )
    session.add(bid)
    session.flush()
    after = clearing.clear(_offers([*live, bid]), invoice.amount)
    outbid = [other for other in live if other.id not in after.filled]

    bidders = {investor_id, *(other.investor_id for other in outbid)}
    purses = _lock_purses(session, bidders)
    if (investor_id, AccountKind.HOLD) not in purses:
        _open_hold_account(session, investor_id)
        purses = _lock_purses(session, bidders)
    label = f"invoice {invoice.invoice_number}"
    ledger.transfer(
        session,
        purses[investor_id, AccountKind.WALLET],
        purses[investor_id, AccountKind.HOLD],
        face_amount,
        TransferKind.BID_HOLD,
        f"Bid #{bid.id} held: {label}",
        invoice.id,
    )
    recorded = changes(session)
    for other in outbid:
        _release(session, purses, invoice, other, other.face_amount, "outbid")
        other.state = BidState.OUTBID
        other.filled_face = 0
        recorded.add(BidOutbid(other))
        notifications.bid_released(session, invoice, other, outbid=True)
    for other in [*live, bid]:
        if other.id in after.filled:
            other.filled_face = after.filled[other.id]

    auction.bid_count += 1
    auction.covered_face = after.covered_face
    auction.clearing_rate_bps = after.clearing_rate_bps
    auction.closes_at, auction.extensions = clearing.extended(
        auction.closes_at,
        auction.extensions,
        now,
        timedelta(seconds=settings.get().auction_extension_seconds),
    )
    recorded.add(AuctionChanged(invoice, auction))
    audit.record(
        session,
        "bid",
        "invoice",
        invoice.id,
        {"bid_id": bid.id, "face_amount": face_amount, "rate_bps": rate_bps},
    )
    accept_at = auction.auto_accept_rate_bps
    if after.covered and accept_at is not None and after.clearing_rate_bps <= accept_at:
        close_in(session, invoice, now)
    return BidResult(bid, auction)


def _check_bid_terms(invoice: Invoice, face_amount: int, rate_bps: int) -> None:
    errors = {}
    if not MIN_FACE_VALUE <= face_amount <= invoice.amount:
        errors["face_amount"] = [
            f"Must be {MIN_FACE_VALUE} to {invoice.amount} paise (the invoice's amount)."
        ]
    if invoice.auction is not None and not 0 <= rate_bps <= invoice.auction.max_rate_bps:
        errors["rate_bps"] = [f"Must be 0 to {invoice.auction.max_rate_bps} (max_rate_bps)."]
    if errors:
        raise ValidationFailed(details=errors)


# --- the close -------------------------------------------------------------------------------


def accept_early(seller_id: int, invoice_id: int, now: datetime | None = None) -> Invoice:
    """The seller takes the bids as they stand: only once they cover the invoice."""

    def work(session: Session) -> Invoice:
        invoice = owned_invoice(session, seller_id, invoice_id)
        auction = invoice.auction
        if auction is None or auction.state != AuctionState.OPEN:
            raise InvalidState("Only an open auction can be accepted.")
        if auction.covered_face < invoice.amount:
            raise InvalidState(
                "The bids do not cover the invoice yet.",
                details={"covered_face": auction.covered_face, "amount": invoice.amount},
            )
        audit.record(session, "auction_accept", "invoice", invoice.id)
        close_in(session, invoice, now or utcnow())
        return invoice

    return db.transaction(work)


def close_due(now: datetime) -> int:
    """Close every open auction whose time has come; the number closed. Any number of
    processes may call it at once: each close happens once (lock, then state check)."""
    due = db.read(
        lambda session: list(
            session.scalars(
                select(Auction.invoice_id)
                .where(Auction.state == AuctionState.OPEN, Auction.closes_at <= now)
                .order_by(Auction.closes_at, Auction.invoice_id)
                .limit(CLOSES_PER_TICK)
            )
        )
    )
    closed = 0
    for invoice_id in due:
        try:
            closed += db.transaction(lambda session, i=invoice_id: _close_if_due(session, i, now))
        except Exception:  # one auction that cannot close must not hold up the others
            log.exception("closing the auction of invoice %s failed", invoice_id)
    return closed


def _close_if_due(session: Session, invoice_id: int, now: datetime) -> bool:
    invoice = lock_invoice(session, invoice_id)
    auction = invoice.auction
    if auction.state != AuctionState.OPEN or auction.closes_at > now:
        return False  # closed by another process, or extended, while we queued
    with audit.acting_as(audit.SYSTEM):
        audit.record(session, "auction_close", "invoice", invoice.id)
        close_in(session, invoice, now)
    return True


def close_in(session: Session, invoice: Invoice, now: datetime) -> None:
    """Close an open auction this transaction has locked. Covered: uniform price at the
    clearing rate, the target split over the winners, each paid from its hold into escrow
    (`funding.invest_in`), the rest of each hold released; escrow pays the seller. Not covered:
    every hold released and the invoice cancelled."""
    auction = invoice.auction
    live = _live_bids(session, invoice.id)
    result = clearing.clear(_offers(live), invoice.amount)
    purses = _lock_purses(session, {bid.investor_id for bid in live}, invoice)
    recorded = changes(session)
    auction.closed_at = now
    recorded.add(AuctionClosed(invoice))
    winners = 0
    if result.covered:
        fix_price(invoice, result.clearing_rate_bps, now.astimezone(IST).date())
        parts = clearing.allocate(invoice.funding_target, result.filled)
        auction.state = AuctionState.CLOSED
        for bid in sorted(live, key=lambda b: b.id):
            if parts.get(bid.id, 0) > 0:
                _win(session, purses, invoice, bid, parts[bid.id], result.filled[bid.id])
                winners += 1
            else:  # outside the winning set (or a filled sliver worth less than a paisa)
                _lose(session, purses, invoice, bid)
    else:
        auction.state = AuctionState.UNFILLED
        for bid in live:
            _lose(session, purses, invoice, bid)
        refund_and_cancel(session, invoice, UNFILLED_REASON)
    notifications.auction_closed(session, invoice, winners)


def _win(session, purses, invoice: Invoice, bid: Bid, amount: int, filled_face: int) -> None:
    investment = funding.invest_in(
        session,
        invoice,
        bid.investor_id,
        amount,
        AccountKind.HOLD,
        InvestmentSource.AUCTION,
        expected_return=filled_face,
    ).investment
    if bid.face_amount > amount:
        _release(session, purses, invoice, bid, bid.face_amount - amount, "won, rest released")
    bid.state = BidState.WON
    bid.filled_face = filled_face
    bid.investment_id = investment.id
    changes(session).add(BidWon(bid, investment))
    notifications.bid_won(session, invoice, bid, investment)


def _lose(session, purses, invoice: Invoice, bid: Bid) -> None:
    _release(session, purses, invoice, bid, bid.face_amount, "lost")
    bid.state = BidState.LOST
    bid.filled_face = 0
    changes(session).add(BidLost(bid))
    notifications.bid_released(session, invoice, bid, outbid=False)


def _release(session, purses, invoice: Invoice, bid: Bid, amount: int, why: str) -> None:
    ledger.transfer(
        session,
        purses[bid.investor_id, AccountKind.HOLD],
        purses[bid.investor_id, AccountKind.WALLET],
        amount,
        TransferKind.BID_RELEASE,
        f"Bid #{bid.id} {why}: invoice {invoice.invoice_number}",
        invoice.id,
    )


# --- the session side of the book ------------------------------------------------------------


def _live_bids(session: Session, invoice_id: int) -> list[Bid]:
    """The bids still in the winning set (an outbid bid never comes back)."""
    return list(
        session.scalars(
            select(Bid)
            .where(Bid.invoice_id == invoice_id, Bid.state == BidState.WINNING)
            .order_by(Bid.rate_bps, Bid.id)
        )
    )


def _offers(bids: list[Bid]) -> list[clearing.Offer]:
    return [clearing.Offer(bid.id, bid.face_amount, bid.rate_bps) for bid in bids]


def _lock_purses(
    session: Session, investor_ids: set[int], invoice: Invoice | None = None
) -> dict[tuple[int, AccountKind], Account]:
    """Lock the wallets and hold accounts of some investors (and, for a close, the invoice's
    escrow and its seller's wallet) in one statement, in ascending id order like every lock
    on accounts; by (user id, kind)."""
    purses = (Account.user_id.in_(investor_ids)) & (
        Account.kind.in_([AccountKind.WALLET, AccountKind.HOLD])
    )
    condition = (
        or_(
            purses,
            Account.id == invoice.escrow_account_id,
            (Account.user_id == invoice.seller_id) & (Account.kind == AccountKind.WALLET),
        )
        if invoice is not None
        else purses
    )
    accounts = session.scalars(
        select(Account)
        .where(condition)
        .order_by(Account.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).all()
    return {(account.user_id, account.kind): account for account in accounts}


def _open_hold_account(session: Session, user_id: int) -> None:
    """Users made before Release 2 have no hold account until their first bid (two first bids
    at once: the second insert does nothing)."""
    values = {"kind": AccountKind.HOLD.value, "user_id": user_id, "balance": 0}
    values["created_at"] = values["updated_at"] = utcnow()
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    session.execute(
        insert(Account).values(**values).on_conflict_do_nothing(index_elements=["user_id", "kind"])
    )


# --- reading ---------------------------------------------------------------------------------


def bids_for(
    invoice_id: int, viewer_id: int, viewer_role: str
) -> list[Bid] | list[clearing.BookLevel]:
    """To an investor its own bids on the invoice; to its seller or an operator the book by
    rate level, no bidder named."""

    def work(session: Session):
        invoice = get_invoice(invoice_id, viewer_id, viewer_role)
        bids = session.scalars(
            select(Bid).where(Bid.invoice_id == invoice_id).order_by(Bid.rate_bps, Bid.id)
        ).all()
        if viewer_role == Role.INVESTOR.value:
            return sorted((bid for bid in bids if bid.investor_id == viewer_id), key=lambda b: b.id)
        if viewer_id != invoice.seller_id and not _operator(viewer_role):
            raise Forbidden("Only the invoice's seller and operators see its book.")
        return clearing.levels(_offers(bids), {bid.id: bid.filled_face for bid in bids})

    return db.read(work)


def _operator(role: str) -> bool:
    return role == Role.OPERATOR.value
