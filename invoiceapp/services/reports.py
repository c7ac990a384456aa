"""Read-only views of a user's money: wallet, history, portfolio, dashboard figures."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import bindparam, case, func, select
from sqlalchemy.orm import Session, joinedload

from .. import db
from ..models import (
    OUTSTANDING,
    Account,
    AccountKind,
    Investment,
    InvestmentStatus,
    Invoice,
    InvoiceStatus,
    LedgerEntry,
    User,
)
from .changes import ChangeSet, before_commit
from .pagination import Page, paginate


def _int(value) -> int:
    # SUM(bigint) is NUMERIC in PostgreSQL (a Decimal) and NULL over no rows.
    return int(value or 0)


def wallet_of(session: Session, user_id: int) -> Account:
    return session.scalars(
        select(Account).where(Account.user_id == user_id, Account.kind == AccountKind.WALLET)
    ).one()


def get_wallet(user_id: int) -> Account:
    return db.read(lambda session: wallet_of(session, user_id))


def wallet_transactions(user_id: int, limit: int, cursor: str | None) -> Page[LedgerEntry]:
    wallet_id = (
        select(Account.id)
        .where(Account.user_id == user_id, Account.kind == AccountKind.WALLET)
        .scalar_subquery()
    )
    query = select(LedgerEntry).where(LedgerEntry.account_id == wallet_id)
    return db.read(lambda session: paginate(session, query, LedgerEntry, limit, cursor))


@dataclass
class PortfolioSummary:
    invested: int = 0
    expected_return: int = 0
    realized_gain: int = 0
    active_count: int = 0
    settled_count: int = 0
    received: int = 0
    overdue_amount: int = 0  # still owed on overdue invoices
    defaulted_amount: int = 0  # still owed on defaulted invoices
    loss: int = 0


def _summary_query():
    """Each investor's investments grouped by their status and, for an active one, its
    invoice's status, read by primary key: a join made PostgreSQL hash every invoice on the
    platform, a cost that grew with the market. Built once: it runs before every funding
    commits."""
    invoice_status = case(
        (
            Investment.status == InvestmentStatus.ACTIVE,
            select(Invoice.status).where(Invoice.id == Investment.invoice_id).scalar_subquery(),
        )
    )
    each = (
        select(
            Investment.investor_id,
            Investment.status,
            invoice_status.label("invoice_status"),
            Investment.amount,
            Investment.expected_return,
            Investment.received,
            Investment.loss,
        )
        .where(Investment.investor_id.in_(bindparam("investors", expanding=True)))
        .subquery()
    )
    return select(
        each.c.investor_id,
        each.c.status,
        each.c.invoice_status,
        func.count(),
        func.sum(each.c.amount),
        func.sum(each.c.expected_return),
        func.sum(each.c.received),
        func.sum(each.c.loss),
    ).group_by(each.c.investor_id, each.c.status, each.c.invoice_status)


_SUMMARIES = _summary_query()


def portfolio_summaries(session: Session, investor_ids: set[int]) -> dict[int, PortfolioSummary]:
    """Summaries of several investors' portfolios in one query."""
    rows = session.execute(_SUMMARIES, {"investors": list(investor_ids)}).all()
    summaries = {investor_id: PortfolioSummary() for investor_id in investor_ids}
    for investor_id, status, invoice_status, count, amount, expected, received, loss in rows:
        summary = summaries[investor_id]
        amount, expected, received = _int(amount), _int(expected), _int(received)
        if status == InvestmentStatus.REFUNDED:
            continue
        summary.received += received
        if status == InvestmentStatus.ACTIVE:
            summary.active_count += count
            summary.invested += amount
            summary.expected_return += expected
            if invoice_status == InvoiceStatus.OVERDUE:
                summary.overdue_amount += expected - received
            elif invoice_status == InvoiceStatus.DEFAULTED:
                summary.defaulted_amount += expected - received
        elif status == InvestmentStatus.SETTLED:
            summary.settled_count += count
            summary.realized_gain += received - amount
        elif status == InvestmentStatus.WRITTEN_OFF:
            summary.loss += _int(loss)
    return summaries


@before_commit
def _read_portfolios(session: Session, change_set: ChangeSet) -> None:
    if change_set.investors:
        change_set.portfolios = portfolio_summaries(session, change_set.investors)


def portfolio(investor_id: int) -> tuple[PortfolioSummary, list[Investment]]:
    def work(session: Session):
        investments = session.scalars(
            select(Investment)
            .where(Investment.investor_id == investor_id)
            .options(joinedload(Investment.invoice))
            .order_by(Investment.created_at.desc(), Investment.id.desc())
        ).all()
        return portfolio_summaries(session, {investor_id})[investor_id], list(investments)

    return db.read(work)


def seller_stats(session: Session, seller_id: int) -> dict[str, int]:
    rows = session.execute(
        select(
            Invoice.status,
            func.count(),
            func.sum(Invoice.funding_target),
            func.sum(Invoice.amount - (Invoice.repaid_amount - Invoice.interest_paid)),
        )
        .where(Invoice.seller_id == seller_id)
        .group_by(Invoice.status)
    ).all()
    by_status = {status: (count, _int(target), _int(face)) for status, count, target, face in rows}

    def total(statuses, column: int) -> int:
        return sum(by_status.get(status, (0, 0, 0))[column] for status in statuses)

    return {
        "listed_count": total([InvoiceStatus.LISTED], 0),
        "pending_count": total([InvoiceStatus.PENDING_ACCEPTANCE], 0),
        "funded_count": total(OUTSTANDING, 0),
        "settled_count": total([InvoiceStatus.SETTLED], 0),
        "overdue_count": total([InvoiceStatus.OVERDUE, InvoiceStatus.DEFAULTED], 0),
        "total_raised": total([*OUTSTANDING, InvoiceStatus.SETTLED, InvoiceStatus.WRITTEN_OFF], 1),
        "face_value_outstanding": total(OUTSTANDING, 2),
    }


def investor_stats(session: Session, investor_id: int) -> dict[str, int]:
    summary = portfolio_summaries(session, {investor_id})[investor_id]
    marketplace = session.scalar(
        select(func.count()).select_from(Invoice).where(Invoice.status == InvoiceStatus.LISTED)
    )
    return {
        "invested": summary.invested,
        "expected_return": summary.expected_return,
        "realized_gain": summary.realized_gain,
        "active_count": summary.active_count,
        "marketplace_count": marketplace,
        "received": summary.received,
        "overdue_amount": summary.overdue_amount,
        "defaulted_amount": summary.defaulted_amount,
        "loss": summary.loss,
    }


def buyer_exposure(session: Session, buyer_id: int) -> int:
    """Σ(amount − face value repaid) over the buyer's accepted, unfinished invoices."""
    return _int(
        session.scalar(
            select(
                func.sum(Invoice.amount - (Invoice.repaid_amount - Invoice.interest_paid))
            ).where(
                Invoice.buyer_id == buyer_id,
                Invoice.buyer_confirmed.is_(True),
                Invoice.status.in_([InvoiceStatus.LISTED, *OUTSTANDING]),
            )
        )
    )


def buyer_stats(session: Session, buyer_id: int) -> dict[str, int | date | None]:
    owed = Invoice.amount + Invoice.late_interest - Invoice.repaid_amount
    row = session.execute(
        select(
            func.count(),
            func.sum(owed),
            func.sum(owed).filter(
                Invoice.status.in_([InvoiceStatus.OVERDUE, InvoiceStatus.DEFAULTED])
            ),
            func.min(Invoice.due_date),
        ).where(
            Invoice.buyer_id == buyer_id,
            Invoice.buyer_confirmed.is_(True),
            Invoice.status.in_(OUTSTANDING),
        )
    ).one()
    pending = session.scalar(
        select(func.count())
        .select_from(Invoice)
        .where(Invoice.buyer_id == buyer_id, Invoice.status == InvoiceStatus.PENDING_ACCEPTANCE)
    )
    buyer = session.get(User, buyer_id)
    return {
        "pending_count": pending,
        "owing_count": row[0],
        "owed_total": _int(row[1]),
        "overdue_total": _int(row[2]),
        "next_due_date": row[3],
        "exposure": buyer_exposure(session, buyer_id),
        "credit_limit": buyer.credit_limit,
    }


def dashboard(user_id: int, role: str) -> dict:
    readers = {"seller": seller_stats, "investor": investor_stats, "buyer": buyer_stats}
    reader = readers.get(role)
    if reader is None:
        return {}
    return db.read(lambda session: reader(session, user_id))
