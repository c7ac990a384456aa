"""Notifications: personal events a person should see later, stored in the transaction that
caused them, pushed live after the commit, and emailed by the worker (the row is also the
email's outbox entry: see `services/email.py`)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from sqlalchemy import bindparam, func, insert, select, update
from sqlalchemy.orm import Session

from .. import db
from ..models import (
    Bid,
    EmailStatus,
    Investment,
    InvestmentSource,
    Invoice,
    Notification,
    UnreadCount,
    utcnow,
)
from .changes import ChangeSet, before_commit, changes
from .money import format_inr
from .pagination import Page, paginate


def notify(
    session: Session,
    user_id: int,
    kind: str,
    title: str,
    body: str,
    invoice_id: int | None = None,
) -> Notification:
    """Record a notification; it is written with the others of the transaction just before
    the commit (one statement), and added to its recipient's unread count, which the push
    carries."""
    notification = Notification(
        user_id=user_id,
        kind=kind,
        title=title,
        body=body,
        invoice_id=invoice_id,
        created_at=utcnow(),
    )
    changes(session).notified(notification)
    return notification


# Built once: they run with every funding. The insert is Core's, on the table: the ORM's bulk
# insert cost more than the statement itself.
_TABLE = Notification.__table__
_INSERT = insert(_TABLE).returning(_TABLE.c.id, sort_by_parameter_order=True)
_COUNTS = UnreadCount.__table__
_READ = select(_COUNTS).where(_COUNTS.c.user_id.in_(bindparam("users", expanding=True)))
_LEFT = (  # after some were marked read
    update(_COUNTS)
    .where(_COUNTS.c.user_id == bindparam("user"))
    .values(unread=_COUNTS.c.unread - bindparam("read"))
    .returning(_COUNTS.c.unread)
)


def _unread_counts(session: Session, user_ids: set[int]) -> dict[int, int]:
    rows = session.execute(_READ, {"users": list(user_ids)}).all()
    return {user_id: 0 for user_id in user_ids} | dict(rows)


@before_commit
def _store(session: Session, change_set: ChangeSet) -> None:
    """Write the transaction's notifications and add them to their users' unread counts
    (lowest user first, the lock order of those rows), which the pushes carry."""
    if not change_set.notifications:
        return
    rows = [
        {
            "user_id": n.user_id,
            "kind": n.kind,
            "title": n.title,
            "body": n.body,
            "invoice_id": n.invoice_id,
            "created_at": n.created_at,
            "email_status": EmailStatus.PENDING,
            "email_attempts": 0,
        }
        for n in change_set.notifications
    ]
    ids = session.scalars(_INSERT, rows)
    for notification, notification_id in zip(change_set.notifications, ids, strict=True):
        notification.id = notification_id
    added = Counter(notification.user_id for notification in change_set.notifications)
    counts = [{"user_id": user, "unread": added[user]} for user in sorted(added)]
    change_set.unread_counts = dict(db.add_to_kept(session, _COUNTS, "user_id", counts).all())


def mismatches(session: Session) -> list[str]:
    """Each kept unread count that differs from the user's unread notifications."""
    kept = dict(session.execute(select(_COUNTS)).all())
    counted = dict(
        session.execute(
            select(Notification.user_id, func.count())
            .where(Notification.read_at.is_(None))
            .group_by(Notification.user_id)
        ).all()
    )
    return [
        f"user {user} has {counted.get(user, 0)} unread notifications but a kept count of "
        f"{kept.get(user, 0)}"
        for user in sorted(kept.keys() | counted.keys())
        if kept.get(user, 0) != counted.get(user, 0)
    ]


# --- what each domain event says ------------------------------------------------------------


def _invoice_label(invoice: Invoice) -> str:
    return f"invoice {invoice.invoice_number} ({invoice.buyer_name})"


def invested(
    session: Session, invoice: Invoice, investment: Investment, fully_funded: bool
) -> None:
    """A funding: the investor's confirmation, the seller's news. An auction's winners and
    its seller hear of it once, from the close (`bid_won`, `auction_closed`)."""
    if investment.source == InvestmentSource.AUCTION:
        return
    amount = format_inr(investment.amount)
    label = _invoice_label(invoice)
    if investment.source == InvestmentSource.AUTO:
        notify(
            session,
            investment.investor_id,
            "auto_invest_filled",
            f"Auto-invest rule #{investment.rule_id} invested {amount}",
            f"Your rule #{investment.rule_id} invested {amount} in {label}; expected return "
            f"{format_inr(investment.expected_return)} on {invoice.due_date:%d %b %Y}.",
            invoice.id,
        )
    elif investment.source == InvestmentSource.MANUAL:
        notify(
            session,
            investment.investor_id,
            "investment_confirmed",
            f"You invested {amount}",
            f"Your investment of {amount} in {label} is confirmed; expected return "
            f"{format_inr(investment.expected_return)} on {invoice.due_date:%d %b %Y}.",
            invoice.id,
        )
    if fully_funded:
        notify(
            session,
            invoice.seller_id,
            "invoice_fully_funded",
            f"Invoice {invoice.invoice_number} is fully funded",
            f"{format_inr(invoice.funding_target)} for {label} is in your wallet.",
            invoice.id,
        )
    else:
        funded_pct = invoice.funded_amount * 100 // invoice.funding_target
        notify(
            session,
            invoice.seller_id,
            "invoice_funding",
            f"{amount} invested in {invoice.invoice_number}",
            f"An investor put {amount} into {label}; it is {funded_pct}% funded.",
            invoice.id,
        )


# --- reading and marking ---------------------------------------------------------------------


@dataclass
class NotificationPage:
    items: list[Notification]
    next_cursor: str | None
    unread_count: int


def page(user_id: int, limit: int, cursor: str | None, unread_only: bool) -> NotificationPage:
    def work(session: Session) -> NotificationPage:
        query = select(Notification).where(Notification.user_id == user_id)
        if unread_only:
            query = query.where(Notification.read_at.is_(None))
        found: Page[Notification] = paginate(session, query, Notification, limit, cursor)
        unread = _unread_counts(session, {user_id})[user_id]
        return NotificationPage(found.items, found.next_cursor, unread)

    return db.read(work)


def mark_read(user_id: int, up_to_id: int | None = None, ids: list[int] | None = None) -> int:
    """Mark the user's notifications read (all up to an id, or some ids); the unread count."""

    def work(session: Session) -> int:
        query = update(Notification).where(
            Notification.user_id == user_id, Notification.read_at.is_(None)
        )
        if up_to_id is not None:
            query = query.where(Notification.id <= up_to_id)
        else:
            query = query.where(Notification.id.in_(ids or []))
        read = session.execute(query.values(read_at=utcnow())).rowcount
        if not read:
            return _unread_counts(session, {user_id})[user_id]
        return session.scalar(_LEFT, {"user": user_id, "read": read})

    return db.transaction(work)


def acceptance_requested(session: Session, invoice: Invoice) -> None:
    notify(
        session,
        invoice.buyer_id,
        "acceptance_requested",
        f"Please confirm invoice {invoice.invoice_number}",
        f"{invoice.seller.name} listed invoice {invoice.invoice_number} for "
        f"{format_inr(invoice.amount)}, due {invoice.due_date:%d %b %Y}, against you. Accept it "
        "to let investors fund it, or reject it with a reason.",
        invoice.id,
    )


def acceptance_decided(session: Session, invoice: Invoice, accepted: bool) -> None:
    if accepted:
        title = f"{invoice.buyer_name} accepted invoice {invoice.invoice_number}"
        body = f"Invoice {invoice.invoice_number} is confirmed by its buyer and is now on the marketplace."
    else:
        title = f"{invoice.buyer_name} rejected invoice {invoice.invoice_number}"
        body = f"Invoice {invoice.invoice_number} was rejected: {invoice.reason}"
    notify(
        session,
        invoice.seller_id,
        "acceptance_" + ("accepted" if accepted else "rejected"),
        title,
        body,
        invoice.id,
    )


def payment_received(
    session: Session, invoice: Invoice, paid: list[tuple[Investment, int]], recovery: bool
) -> None:
    what = "Recovery" if recovery else "Repayment"
    for investment, amount in paid:
        notify(
            session,
            investment.investor_id,
            "recovery_received" if recovery else "repayment_received",
            f"{what} of {format_inr(amount)} received",
            f"{format_inr(amount)} from {_invoice_label(invoice)} is in your wallet "
            f"({format_inr(investment.received)} received of {format_inr(investment.expected_return)}).",
            invoice.id,
        )


def invoice_late(
    session: Session, invoice: Invoice, investor_ids: list[int], defaulted: bool
) -> None:
    """Overdue or defaulted: the seller, the buyer (if registered) and each investor."""
    if defaulted:
        kind, title = "invoice_defaulted", f"Invoice {invoice.invoice_number} has defaulted"
        body = (
            f"{_invoice_label(invoice)} is {invoice.days_past_due} days past due and has defaulted."
        )
    else:
        kind, title = "invoice_overdue", f"Invoice {invoice.invoice_number} is overdue"
        body = f"{_invoice_label(invoice)} was due on {invoice.due_date:%d %b %Y} and is not yet repaid."
    people = {invoice.seller_id, *investor_ids}
    if invoice.buyer_id is not None:
        people.add(invoice.buyer_id)
    for user_id in sorted(people):
        notify(session, user_id, kind, title, body, invoice.id)


def written_off(session: Session, invoice: Invoice, investments: list[Investment]) -> None:
    for investment in investments:
        notify(
            session,
            investment.investor_id,
            "investment_written_off",
            f"Invoice {invoice.invoice_number} was written off",
            f"Your investment in {_invoice_label(invoice)} was written off with a loss of "
            f"{format_inr(investment.loss or 0)}; any later recovery will still reach you.",
            invoice.id,
        )


# --- live rate auctions ----------------------------------------------------------------------


def _rate(rate_bps: int) -> str:
    return f"{rate_bps // 100}.{rate_bps % 100:02d}%"


def bid_released(session: Session, invoice: Invoice, bid: Bid, outbid: bool) -> None:
    """A bid that is out, outbid while the auction runs or lost at its close: its hold is back."""
    if outbid:
        kind, title, fate = "bid_outbid", f"Outbid on {invoice.invoice_number}", "was outbid"
    else:
        kind, title = "bid_lost", f"Your bid on {invoice.invoice_number} did not win"
        fate = "did not win when the auction closed"
    notify(
        session,
        bid.investor_id,
        kind,
        title,
        f"Your bid of {format_inr(bid.face_amount)} at {_rate(bid.rate_bps)} on "
        f"{_invoice_label(invoice)} {fate}; the money held for it is back in your wallet.",
        invoice.id,
    )


def bid_won(session: Session, invoice: Invoice, bid: Bid, investment: Investment) -> None:
    notify(
        session,
        bid.investor_id,
        "bid_won",
        f"You won {format_inr(bid.filled_face)} of {invoice.invoice_number}",
        f"The auction of {_invoice_label(invoice)} cleared at {_rate(invoice.discount_rate_bps)}: "
        f"you invested {format_inr(investment.amount)} for {format_inr(bid.filled_face)} of face "
        f"value, due {invoice.due_date:%d %b %Y}; the rest of your hold is back in your wallet.",
        invoice.id,
    )


def auction_closed(session: Session, invoice: Invoice, winners: int) -> None:
    """The seller: the auction's outcome."""
    if winners:
        title = f"Auction of {invoice.invoice_number} closed at {_rate(invoice.discount_rate_bps)}"
        body = (
            f"{winners} winning bid{'s' if winners != 1 else ''} funded {_invoice_label(invoice)}: "
            f"{format_inr(invoice.funding_target)} is in your wallet."
        )
    else:
        title = f"Auction of {invoice.invoice_number} closed unfilled"
        body = f"The bids on {_invoice_label(invoice)} did not cover it; it is cancelled."
    notify(session, invoice.seller_id, "auction_closed", title, body, invoice.id)


def auto_invest_paused(session: Session, rule, wallet: int) -> None:
    """Once per shortage, not on every listing it skips (the rule keeps the flag until then)."""
    notify(
        session,
        rule.investor_id,
        "auto_invest_paused",
        f"Auto-invest rule #{rule.id} paused: insufficient funds",
        f"Your wallet ({format_inr(wallet)}) cannot pay ₹1,000 above the "
        f"{format_inr(rule.keep_balance)} rule #{rule.id} keeps, so it skips new listings. It "
        "resumes by itself once your wallet has room again.",
    )
