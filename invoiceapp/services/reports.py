"""Read-only views of a user's money: wallet, history, portfolio, dashboard figures."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session, joinedload

from ..db import read_session
from ..models import Account, Investment, InvestmentStatus, Invoice, InvoiceStatus, LedgerEntry
from .pagination import Page, paginate


def _int(value) -> int:
    # SUM(bigint) is NUMERIC in PostgreSQL (a Decimal) and NULL over no rows.
    return int(value or 0)


def wallet_of(session: Session, user_id: int) -> Account:
    return session.scalars(select(Account).where(Account.user_id == user_id)).one()


def get_wallet(user_id: int) -> Account:
    with read_session() as session:
        return wallet_of(session, user_id)


def wallet_transactions(user_id: int, limit: int, cursor: str | None) -> Page[LedgerEntry]:
    with read_session() as session:
        wallet_id = select(Account.id).where(Account.user_id == user_id).scalar_subquery()
        query = select(LedgerEntry).where(LedgerEntry.account_id == wallet_id)
        return paginate(session, query, LedgerEntry, limit, cursor)


@dataclass
class PortfolioSummary:
    invested: int
    expected_return: int
    realized_gain: int
    active_count: int
    settled_count: int


def portfolio_summaries(session: Session, investor_ids: set[int]) -> dict[int, PortfolioSummary]:
    """Summaries of several investors' portfolios in one query."""
    rows = session.execute(
        select(
            Investment.investor_id,
            Investment.status,
            func.count(),
            func.sum(Investment.amount),
            func.sum(Investment.expected_return),
            func.sum(Investment.payout),
        )
        .where(Investment.investor_id.in_(investor_ids))
        .group_by(Investment.investor_id, Investment.status)
    ).all()
    by_investor: dict[int, dict] = {investor_id: {} for investor_id in investor_ids}
    for investor_id, status, count, amount, expected, payout in rows:
        by_investor[investor_id][status] = (count, _int(amount), _int(expected), _int(payout))
    summaries = {}
    for investor_id, by_status in by_investor.items():
        active = by_status.get(InvestmentStatus.ACTIVE, (0, 0, 0, 0))
        settled = by_status.get(InvestmentStatus.SETTLED, (0, 0, 0, 0))
        summaries[investor_id] = PortfolioSummary(
            invested=active[1],
            expected_return=active[2],
            realized_gain=settled[3] - settled[1],
            active_count=active[0],
            settled_count=settled[0],
        )
    return summaries


def _summary(session: Session, investor_id: int) -> PortfolioSummary:
    return portfolio_summaries(session, {investor_id})[investor_id]


def portfolio(investor_id: int) -> tuple[PortfolioSummary, list[Investment]]:
    with read_session() as session:
        investments = session.scalars(
            select(Investment)
            .where(Investment.investor_id == investor_id)
            .options(joinedload(Investment.invoice))
            .order_by(Investment.created_at.desc(), Investment.id.desc())
        ).all()
        return _summary(session, investor_id), list(investments)


def seller_stats(seller_id: int) -> dict[str, int]:
    with read_session() as session:
        rows = session.execute(
            select(
                Invoice.status,
                func.count(),
                func.sum(Invoice.funding_target),
                func.sum(Invoice.amount),
            )
            .where(Invoice.seller_id == seller_id)
            .group_by(Invoice.status)
        ).all()
    by_status = {status: (count, _int(t), _int(a)) for status, count, t, a in rows}
    empty = (0, 0, 0)
    funded = by_status.get(InvoiceStatus.FUNDED, empty)
    settled = by_status.get(InvoiceStatus.SETTLED, empty)
    return {
        "listed_count": by_status.get(InvoiceStatus.LISTED, empty)[0],
        "funded_count": funded[0],
        "settled_count": settled[0],
        "total_raised": funded[1] + settled[1],
        "face_value_outstanding": funded[2],
    }


def investor_stats(investor_id: int) -> dict[str, int]:
    with read_session() as session:
        summary = _summary(session, investor_id)
        marketplace = session.scalar(
            select(func.count()).select_from(Invoice).where(Invoice.status == InvoiceStatus.LISTED)
        )
    return {
        "invested": summary.invested,
        "expected_return": summary.expected_return,
        "realized_gain": summary.realized_gain,
        "active_count": summary.active_count,
        "marketplace_count": marketplace,
    }
