"""Listing, cancelling and expiring invoices, and reading them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import bindparam, false, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, joinedload

from .. import db
from ..models import (
    Account,
    AccountKind,
    Auction,
    AuctionState,
    Investment,
    InvestmentStatus,
    Invoice,
    InvoiceStatus,
    Pricing,
    Role,
    TransferKind,
    User,
    utcnow,
)
from . import audit, ledger, money, notifications, settings
from .changes import AwaitingAcceptance, Listed, MarketChanged, changes
from .dates import IST, today_ist
from .errors import DuplicateInvoiceNumber, Forbidden, InvalidState, NotFound, ValidationFailed
from .pagination import Page, paginate

# The listing rules (the API's schemas quote the same numbers).
MIN_FACE_VALUE = money.MIN_INVESTMENT  # ₹1,000
MAX_FACE_VALUE = 10**10  # ₹10 crore
MAX_RATE_BPS = 5000
MIN_TENOR_DAYS, MAX_TENOR_DAYS = 7, 365
MAX_AUCTION_SECONDS = 86_400
MAX_AUCTION_EXTENSIONS = 10

# Invoices only their parties (and operators) may see: not on the marketplace.
PRIVATE_STATUSES = (InvoiceStatus.PENDING_ACCEPTANCE, InvoiceStatus.REJECTED)

INVOICE_LOAD = (joinedload(Invoice.seller, innerjoin=True), joinedload(Invoice.auction))


@dataclass
class AuctionTerms:
    max_rate_bps: int
    duration_seconds: int
    auto_accept_rate_bps: int | None = None


@dataclass
class NewInvoice:
    invoice_number: str
    amount: int
    due_date: date
    buyer_name: str | None = None
    buyer_id: int | None = None
    discount_rate_bps: int | None = None
    pricing: Pricing = Pricing.FIXED
    auction: AuctionTerms | None = None
    description: str | None = None


def check_listing_rules(new: NewInvoice, today: date) -> None:
    """The rules of a listing, whoever calls: refused with the field at fault."""
    errors: dict[str, list[str]] = {}
    if not 1 <= len(new.invoice_number.strip()) <= 64:
        errors["invoice_number"] = ["Must be 1 to 64 characters."]
    if not MIN_FACE_VALUE <= new.amount <= MAX_FACE_VALUE:
        errors["amount"] = [f"Must be {MIN_FACE_VALUE} to {MAX_FACE_VALUE} paise."]
    if (new.buyer_id is None) == (new.buyer_name is None):
        errors["buyer_name"] = ["Give either buyer_name or buyer_id."]
    elif new.buyer_name is not None and not 1 <= len(new.buyer_name.strip()) <= 200:
        errors["buyer_name"] = ["Must be 1 to 200 characters."]
    earliest = today + timedelta(days=MIN_TENOR_DAYS)
    if new.pricing == Pricing.FIXED:
        if new.discount_rate_bps is None or not 0 <= new.discount_rate_bps <= MAX_RATE_BPS:
            errors["discount_rate_bps"] = [f"Required: 0 to {MAX_RATE_BPS}."]
        if new.auction is not None:
            errors["auction"] = ['Only for pricing "auction".']
    else:
        terms = new.auction
        if terms is None:
            errors["auction"] = ['Required for pricing "auction".']
        else:
            errors.update(_auction_errors(terms))
            earliest = earliest_auction_due_date(terms.duration_seconds)
        if new.discount_rate_bps is not None:
            errors["discount_rate_bps"] = ["An auction sets the rate."]
    if not earliest <= new.due_date <= today + timedelta(days=MAX_TENOR_DAYS):
        errors["due_date"] = [
            f"Must be from {earliest.isoformat()} to "
            f"{(today + timedelta(days=MAX_TENOR_DAYS)).isoformat()} (IST)."
        ]
    if errors:
        raise ValidationFailed(details=errors)


def earliest_auction_due_date(duration_seconds: int) -> date:
    """An auction opening now may be due 7 days after its latest possible close (its
    duration plus every extension), IST, at the earliest."""
    latest_close = timedelta(
        seconds=duration_seconds + MAX_AUCTION_EXTENSIONS * settings.get().auction_extension_seconds
    )
    return (utcnow() + latest_close).astimezone(IST).date() + timedelta(days=MIN_TENOR_DAYS)


def _auction_errors(terms: AuctionTerms) -> dict[str, list[str]]:
    errors = {}
    if not 1 <= terms.max_rate_bps <= MAX_RATE_BPS:
        errors["auction.max_rate_bps"] = [f"Must be 1 to {MAX_RATE_BPS}."]
    shortest = settings.get().auction_min_seconds
    if not shortest <= terms.duration_seconds <= MAX_AUCTION_SECONDS:
        errors["auction.duration_seconds"] = [f"Must be {shortest} to {MAX_AUCTION_SECONDS}."]
    accept = terms.auto_accept_rate_bps
    if accept is not None and not 0 <= accept <= terms.max_rate_bps:
        errors["auction.auto_accept_rate_bps"] = ["Must be 0 to max_rate_bps."]
    return errors


def fix_price(invoice: Invoice, discount_rate_bps: int, on: date) -> None:
    """Fix the funding target and yield from the tenor left on `on` (an IST date)."""
    days = (invoice.due_date - on).days
    invoice.tenor_days = days
    invoice.discount_rate_bps = discount_rate_bps
    invoice.funding_target = money.funding_target(invoice.amount, discount_rate_bps, days)
    invoice.annual_yield_bps = money.annual_yield_bps(invoice.amount, invoice.funding_target, days)


def list_invoice(seller_id: int, new: NewInvoice) -> Invoice:
    """Put an invoice on the marketplace; against a registered buyer, first ask that buyer."""
    today = today_ist()
    check_listing_rules(new, today)

    def work(session: Session) -> Invoice:
        seller = session.get(User, seller_id)
        buyer = _registered_buyer(session, new.buyer_id) if new.buyer_id is not None else None
        taken = session.scalar(
            select(Invoice.id).where(
                Invoice.seller_id == seller_id, Invoice.invoice_number == new.invoice_number
            )
        )
        if taken:
            raise _duplicate()
        escrow = Account(kind=AccountKind.ESCROW, balance=0)
        session.add(escrow)
        session.flush()
        invoice = Invoice(
            seller=seller,
            seller_id=seller_id,
            escrow_account_id=escrow.id,
            invoice_number=new.invoice_number,
            buyer_id=buyer.id if buyer else None,
            buyer_name=buyer.name if buyer else new.buyer_name,
            buyer_confirmed=False,
            description=new.description,
            pricing=new.pricing,
            amount=new.amount,
            currency="INR",
            due_date=new.due_date,
            funded_amount=0,
            repaid_amount=0,
            late_interest=0,
            interest_paid=0,
            days_past_due=0,
            status=InvoiceStatus.PENDING_ACCEPTANCE if buyer else InvoiceStatus.LISTED,
            version=1,
            created_at=utcnow(),
            auction=None,
        )
        if new.pricing == Pricing.FIXED:
            fix_price(invoice, new.discount_rate_bps, today)
        else:
            terms = new.auction
            invoice.auction = Auction(
                max_rate_bps=terms.max_rate_bps,
                auto_accept_rate_bps=terms.auto_accept_rate_bps,
                duration_seconds=terms.duration_seconds,
                state=AuctionState.PENDING,
                extensions=0,
                covered_face=0,
                bid_count=0,
            )
        session.add(invoice)
        try:
            session.flush()
        except IntegrityError:
            raise _duplicate() from None
        audit.record(session, "list", "invoice", invoice.id, {"amount": new.amount})
        if buyer is not None:
            changes(session).add(AwaitingAcceptance(invoice))
            changes(session).invoice_changed(invoice)
            notifications.acceptance_requested(session, invoice)
        else:
            open_listing(session, invoice)
        return invoice

    return db.transaction(work)


def open_listing(session: Session, invoice: Invoice) -> None:
    """The invoice reaches the marketplace: announced, its auction opened, auto-invest asked."""
    from . import auctions, jobs

    recorded = changes(session)
    if invoice.pricing == Pricing.AUCTION:
        auctions.open_in(session, invoice)
    else:
        jobs.enqueue_in(
            session, "auto_invest", {"invoice_id": invoice.id}, key=f"auto_invest:{invoice.id}"
        )
    recorded.add(Listed(invoice))
    recorded.add(MarketChanged())
    recorded.invoice_changed(invoice)


def _registered_buyer(session: Session, buyer_id: int) -> User:
    buyer = session.get(User, buyer_id)
    if buyer is None or buyer.role != Role.BUYER:
        raise ValidationFailed(details={"buyer_id": ["No registered buyer has this id."]})
    return buyer


def _duplicate() -> DuplicateInvoiceNumber:
    return DuplicateInvoiceNumber(
        details={"invoice_number": ["Already used by one of your invoices."]}
    )


STATUS_STAMPS = {
    InvoiceStatus.LISTED: "accepted_at",
    InvoiceStatus.REJECTED: "rejected_at",
    InvoiceStatus.FUNDED: "funded_at",
    InvoiceStatus.OVERDUE: "overdue_at",
    InvoiceStatus.DEFAULTED: "defaulted_at",
    InvoiceStatus.SETTLED: "settled_at",
    InvoiceStatus.WRITTEN_OFF: "written_off_at",
    InvoiceStatus.CANCELLED: "cancelled_at",
}


def record_change(session: Session, invoice: Invoice, status: InvoiceStatus | None = None) -> None:
    """Every change of an invoice (its status or amounts) increments its version, so clients
    can drop stale updates, and is announced once the transaction commits."""
    if status is not None:
        invoice.status = status
        setattr(invoice, STATUS_STAMPS[status], utcnow())
    invoice.version += 1
    changes(session).invoice_changed(invoice)


_LOCK_INVOICES = (
    select(Invoice)
    .where(Invoice.id.in_(bindparam("invoice_ids", expanding=True)))
    .options(*INVOICE_LOAD)
    .order_by(Invoice.id)
    .execution_options(populate_existing=True)
)
_LOCK_INVOICES_WAITING = _LOCK_INVOICES.with_for_update(of=Invoice)
_LOCK_INVOICES_FREE = _LOCK_INVOICES.with_for_update(of=Invoice, skip_locked=True)


def lock_invoices(
    session: Session, invoice_ids: list[int], wait: bool = True
) -> dict[int, Invoice]:
    """Lock several invoice rows in one statement (not their auctions' rows: fundings refuse an
    auctioned invoice, and `lock_invoice` locks it for one). With `wait`, in ascending id order
    (PostgreSQL locks the rows as they come out of the ORDER BY); without, only those no other
    transaction holds (SKIP LOCKED), so that it never waits. What is missing or skipped is not
    in the answer."""
    statement = _LOCK_INVOICES_WAITING if wait else _LOCK_INVOICES_FREE
    rows = session.scalars(statement, {"invoice_ids": sorted(invoice_ids)})
    return {invoice.id: invoice for invoice in rows}


def lock_invoice(session: Session, invoice_id: int) -> Invoice:
    """Lock the invoice row first: every money movement on an invoice queues here."""
    invoice = lock_invoices(session, [invoice_id]).get(invoice_id)
    if invoice is None:
        raise NotFound("Invoice not found.")
    if invoice.pricing == Pricing.AUCTION:
        # A row joined to the locked one is read as of the statement's start, which may be
        # before the commit we queued behind (PostgreSQL, READ COMMITTED): read the auction
        # again, locked, in a statement of its own.
        session.scalars(
            select(Auction)
            .where(Auction.invoice_id == invoice.id)
            .with_for_update()
            .execution_options(populate_existing=True)
        ).one()
    return invoice


def owned_invoice(session: Session, seller_id: int, invoice_id: int) -> Invoice:
    invoice = lock_invoice(session, invoice_id)
    if invoice.seller_id != seller_id:
        raise Forbidden("This invoice belongs to another seller.")
    return invoice


def active_investments(session: Session, invoice_id: int) -> list[Investment]:
    return list(
        session.scalars(
            select(Investment)
            .where(
                Investment.invoice_id == invoice_id, Investment.status == InvestmentStatus.ACTIVE
            )
            .order_by(Investment.id)
        )
    )


def refund_and_cancel(session: Session, invoice: Invoice, reason: str) -> Invoice:
    """Cancel a listed (or pending) invoice: escrow goes back to each investment."""
    investments = active_investments(session, invoice.id)
    wallets = ledger.user_accounts(session, {i.investor_id for i in investments})
    accounts = ledger.lock_accounts(session, [invoice.escrow_account_id, *wallets.values()])
    escrow = accounts[invoice.escrow_account_id]
    recorded = changes(session)
    for investment in investments:
        ledger.transfer(
            session,
            escrow,
            accounts[wallets[investment.investor_id]],
            investment.amount,
            TransferKind.REFUND,
            f"Refund: invoice {invoice.invoice_number} {reason}",
            invoice.id,
            investment_id=investment.id,
        )
        investment.status = InvestmentStatus.REFUNDED
        recorded.investors.add(investment.investor_id)
    invoice.funded_amount = 0
    invoice.reason = reason
    end_auction(invoice)
    record_change(session, invoice, InvoiceStatus.CANCELLED)
    recorded.add(MarketChanged())
    return invoice


def end_auction(invoice: Invoice) -> None:
    """An auction that will never close (its invoice cancelled or rejected) is unfilled."""
    if invoice.auction is not None and invoice.auction.state in (
        AuctionState.PENDING,
        AuctionState.OPEN,
    ):
        invoice.auction.state = AuctionState.UNFILLED


def cancel(seller_id: int, invoice_id: int) -> Invoice:
    def work(session: Session) -> Invoice:
        invoice = owned_invoice(session, seller_id, invoice_id)
        if invoice.status not in (InvoiceStatus.LISTED, InvoiceStatus.PENDING_ACCEPTANCE):
            raise InvalidState("Only a listed or pending invoice can be cancelled.")
        if invoice.auction is not None and invoice.auction.bid_count > 0:
            raise InvalidState("An auction cannot be cancelled once it has bids.")
        audit.record(session, "cancel", "invoice", invoice.id)
        return refund_and_cancel(session, invoice, "cancelled by the seller")

    return db.transaction(work)


def _visible_to(query, viewer_id: int, viewer_role: str):
    """Pending and rejected invoices are seen only by their seller, their buyer and operators."""
    if viewer_role == Role.OPERATOR.value:
        return query
    return query.where(
        or_(
            Invoice.status.not_in(PRIVATE_STATUSES),
            Invoice.seller_id == viewer_id,
            Invoice.buyer_id == viewer_id,
        )
    )


def get_invoice(invoice_id: int, viewer_id: int, viewer_role: str) -> Invoice:
    query = _visible_to(
        select(Invoice).where(Invoice.id == invoice_id).options(*INVOICE_LOAD),
        viewer_id,
        viewer_role,
    )
    invoice = db.read(lambda session: session.scalar(query))
    if invoice is None:
        raise NotFound("Invoice not found.")
    return invoice


def list_invoices(
    status: InvoiceStatus | None,
    limit: int,
    cursor: str | None,
    viewer_id: int,
    viewer_role: str,
    mine: bool = False,
    buyer_confirmed: bool | None = None,
) -> Page[Invoice]:
    query = select(Invoice).options(*INVOICE_LOAD)
    if status is not None:
        query = query.where(Invoice.status == status)
    if mine:
        query = query.where(
            Invoice.buyer_id == viewer_id
            if viewer_role == Role.BUYER.value
            else Invoice.seller_id == viewer_id
            if viewer_role == Role.SELLER.value
            else false()
        )
    if buyer_confirmed is not None:
        query = query.where(Invoice.buyer_confirmed.is_(buyer_confirmed))
    query = _visible_to(query, viewer_id, viewer_role)
    return db.read(lambda session: paginate(session, query, Invoice, limit, cursor))
