"""Read-only views of a user's money: wallet, history, portfolio, dashboard figures."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session, joinedload

from .. import db
from ..models import (
    OUTSTANDING,
    Account,
    AccountKind,
    Investment,
    Invoice,
    InvoiceStatus,
    LedgerEntry,
    User,
)
from . import portfolios
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


def portfolio(investor_id: int) -> tuple[portfolios.PortfolioSummary, list[Investment]]:
    def work(session: Session):
        investments = session.scalars(
            select(Investment)
            .where(Investment.investor_id == investor_id)
            .options(joinedload(Investment.invoice))
            .order_by(Investment.created_at.desc(), Investment.id.desc())
        ).all()
        return portfolios.kept(session, {investor_id})[investor_id], list(investments)

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
    summary = portfolios.kept(session, {investor_id})[investor_id]
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
