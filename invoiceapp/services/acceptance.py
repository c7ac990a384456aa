"""Registered buyers: they accept (irrevocably) or reject the invoices listed against them,
within their credit limit, which operators set."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import db
from ..models import Invoice, InvoiceStatus, Pricing, Role, User
from . import audit, notifications, reports
from .changes import Accepted, Rejected, changes
from .dates import today_ist
from .errors import CreditLimitExceeded, Forbidden, InvalidState, NotFound
from .invoices import (
    MIN_TENOR_DAYS,
    earliest_auction_due_date,
    end_auction,
    fix_price,
    lock_invoice,
    open_listing,
    record_change,
)


@dataclass
class Buyer:
    id: int
    name: str
    credit_limit: int | None
    exposure: int


def _buyer_invoice(session: Session, buyer_id: int, invoice_id: int) -> Invoice:
    invoice = lock_invoice(session, invoice_id)
    if invoice.buyer_id != buyer_id:
        # Not theirs: as invisible as it is to everyone else who is not a party.
        if invoice.status == InvoiceStatus.PENDING_ACCEPTANCE:
            raise NotFound("Invoice not found.")
        raise Forbidden("This invoice is not addressed to you.")
    if invoice.status != InvoiceStatus.PENDING_ACCEPTANCE:
        raise InvalidState("Only an invoice awaiting acceptance can be accepted or rejected.")
    return invoice


def accept(buyer_id: int, invoice_id: int) -> Invoice:
    """The buyer confirms it owes the invoice: it is listed (its price fixed from today's
    tenor) or its auction opens. Refused past the buyer's credit limit; acceptances by one
    buyer queue on its row, so two of them cannot pass the limit together."""

    def work(session: Session) -> Invoice:
        buyer = session.get(User, buyer_id, with_for_update=True)
        invoice = _buyer_invoice(session, buyer_id, invoice_id)
        today = today_ist()
        if (invoice.due_date - today).days < MIN_TENOR_DAYS:
            raise InvalidState(
                "The due date is less than 7 days away: the invoice cannot be listed now."
            )
        auction = invoice.auction
        if auction is not None and invoice.due_date < earliest_auction_due_date(
            auction.duration_seconds
        ):
            raise InvalidState(
                "The due date is less than 7 days after the auction's latest close: "
                "the auction cannot open now."
            )
        exposure = reports.buyer_exposure(session, buyer_id)
        if buyer.credit_limit is not None and exposure + invoice.amount > buyer.credit_limit:
            raise CreditLimitExceeded(
                details={
                    "credit_limit": buyer.credit_limit,
                    "exposure": exposure,
                    "amount": invoice.amount,
                }
            )
        invoice.buyer_confirmed = True
        if invoice.pricing == Pricing.FIXED:
            fix_price(invoice, invoice.discount_rate_bps, today)
        record_change(session, invoice, InvoiceStatus.LISTED)
        open_listing(session, invoice)
        changes(session).add(Accepted(invoice))
        audit.record(session, "accept", "invoice", invoice.id)
        notifications.acceptance_decided(session, invoice, accepted=True)
        return invoice

    return db.transaction(work)


def reject(buyer_id: int, invoice_id: int, reason: str) -> Invoice:
    def work(session: Session) -> Invoice:
        invoice = _buyer_invoice(session, buyer_id, invoice_id)
        invoice.reason = reason
        end_auction(invoice)
        record_change(session, invoice, InvoiceStatus.REJECTED)
        changes(session).add(Rejected(invoice))
        audit.record(session, "reject", "invoice", invoice.id, {"reason": reason})
        notifications.acceptance_decided(session, invoice, accepted=False)
        return invoice

    return db.transaction(work)


def _buyer(session: Session, user: User) -> Buyer:
    return Buyer(user.id, user.name, user.credit_limit, reports.buyer_exposure(session, user.id))


def search(name_prefix: str, limit: int) -> list[Buyer]:
    """Registered buyers whose name starts with the prefix (case-insensitive)."""
    escaped = name_prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")

    def work(session: Session) -> list[Buyer]:
        users = session.scalars(
            select(User)
            .where(User.role == Role.BUYER, User.name.ilike(f"{escaped}%", escape="\\"))
            .order_by(User.name, User.id)
            .limit(limit)
        ).all()
        return [_buyer(session, user) for user in users]

    return db.read(work)


def set_credit_limit(buyer_id: int, credit_limit: int | None) -> Buyer:
    def work(session: Session) -> Buyer:
        user = session.get(User, buyer_id, with_for_update=True)
        if user is None or user.role != Role.BUYER:
            raise NotFound("Buyer not found.")
        previous = user.credit_limit
        user.credit_limit = credit_limit
        audit.record(
            session, "credit_limit", "user", user.id, {"from": previous, "to": credit_limit}
        )
        return _buyer(session, user)

    return db.transaction(work)
