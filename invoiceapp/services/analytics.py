"""Market figures (GET /api/market/stats and the `marketStats` push): SQL aggregates over
indexed invoice columns, all read in one snapshot so that every figure agrees with the others.

How it stays cheap: a commit that moves the market raises the bus's `market` flag (in the same
Redis round trip as its events); the background worker takes the flag at most once a second,
computes the figures once and pushes them to everyone; GET requests are served from a copy
at most one second old. Neither the number of sockets nor the number of events multiplies the
database work.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import Date, cast, func, select, text
from sqlalchemy.orm import Session

from .. import db
from ..models import OUTSTANDING, Invoice, InvoiceStatus
from .dates import IST, today_ist

DAYS = 30
TOP_BUYERS = 5
LIVE = (InvoiceStatus.LISTED, *OUTSTANDING)
FUNDED_EVER = (*OUTSTANDING, InvoiceStatus.SETTLED, InvoiceStatus.WRITTEN_OFF)
SUMMED = (InvoiceStatus.LISTED, *FUNDED_EVER)  # face value by status, one pass


def _listed_at():
    """When an invoice reached the marketplace: its acceptance, or its listing."""
    return func.coalesce(Invoice.accepted_at, Invoice.created_at)


def _ist_day(session: Session, column):
    if session.get_bind().dialect.name == "postgresql":
        return cast(func.timezone("Asia/Kolkata", column), Date)
    return func.date(column, "+5 hours", "+30 minutes")  # IST has no daylight saving


def _seconds_between(session: Session, start, end):
    if session.get_bind().dialect.name == "postgresql":
        return func.round(func.extract("epoch", end - start))
    return func.round((func.julianday(end) - func.julianday(start)) * 86400)


def _start_of(day: date) -> datetime:
    return datetime.combine(day, datetime.min.time(), IST)


def _pct(part: int, whole: int) -> float:
    return round(part * 100 / whole, 1) if whole else 0.0


def _percentiles(session: Session, durations, fractions: tuple[int, ...]) -> list[int | None]:
    """Nearest-rank percentiles (in whole percent) of a column, computed in the database."""
    ranked = select(
        durations.label("d"),
        func.row_number().over(order_by=durations).label("rn"),
        func.count().over().label("n"),
    ).subquery()
    found = []
    for percent in fractions:
        rank = (ranked.c.n * percent + 99) // 100  # ceil(n * p / 100) in integers
        value = session.scalar(select(ranked.c.d).where(ranked.c.rn == rank))
        found.append(int(value) if value is not None else None)
    return found


def compute(session: Session, today: date) -> dict:
    start_today = _start_of(today)
    week_ago, month_ago = (
        _start_of(today - timedelta(days=6)),
        _start_of(today - timedelta(days=DAYS - 1)),
    )
    listed_at = _listed_at()
    on_market = Invoice.status.not_in([InvoiceStatus.PENDING_ACCEPTANCE, InvoiceStatus.REJECTED])

    counts = session.execute(
        select(
            func.count().filter(on_market, listed_at >= start_today),
            func.count().filter(Invoice.funded_at >= start_today),
            func.sum(Invoice.funding_target).filter(Invoice.funded_at >= week_ago),
            func.sum(Invoice.funding_target).filter(Invoice.funded_at >= month_ago),
            func.sum(Invoice.annual_yield_bps * Invoice.amount).filter(
                Invoice.funded_at >= week_ago
            ),
            func.sum(Invoice.amount).filter(Invoice.funded_at >= week_ago),
            func.count().filter(on_market, listed_at >= month_ago),
            func.count().filter(on_market, listed_at >= month_ago, Invoice.funded_at.is_not(None)),
        ).where((listed_at >= month_ago) | (Invoice.funded_at >= month_ago))  # both indexed
    ).one()
    (
        listed_today,
        funded_today,
        volume_7d,
        volume_30d,
        yield_weight,
        amount_7d,
        listed_30d,
        funded_30d,
    ) = (int(value or 0) for value in counts)

    by_status = dict(
        session.execute(
            select(Invoice.status, func.sum(Invoice.amount))
            .where(Invoice.status.in_(SUMMED))
            .group_by(Invoice.status)
        ).all()
    )
    amount = {status: int(by_status.get(status) or 0) for status in SUMMED}
    outstanding = sum(amount[s] for s in OUTSTANDING)
    ever = sum(amount[s] for s in FUNDED_EVER)

    durations = _seconds_between(session, listed_at, Invoice.funded_at)
    recent = select(durations.label("d")).where(Invoice.funded_at >= week_ago).subquery()
    p50, p90 = _percentiles(session, recent.c.d, (50, 90))

    buyers = session.execute(
        select(Invoice.buyer_name, func.sum(Invoice.amount).label("total"))
        .where(Invoice.status.in_(LIVE))
        .group_by(Invoice.buyer_name)
        .order_by(text("total DESC"), Invoice.buyer_name)
        .limit(TOP_BUYERS)
    ).all()
    live_total = sum(amount[s] for s in LIVE)

    return {
        "listed_today": listed_today,
        "funded_today": funded_today,
        "volume_funded_7d": volume_7d,
        "volume_funded_30d": volume_30d,
        "avg_yield_bps_7d": yield_weight // amount_7d if amount_7d else 0,
        "time_to_fund_p50_s": p50,
        "time_to_fund_p90_s": p90,
        "fully_funded_pct_30d": _pct(funded_30d, listed_30d),
        "overdue_pct": _pct(
            amount[InvoiceStatus.OVERDUE] + amount[InvoiceStatus.DEFAULTED], outstanding
        ),
        "default_pct": _pct(
            amount[InvoiceStatus.DEFAULTED] + amount[InvoiceStatus.WRITTEN_OFF], ever
        ),
        "top_buyers": [
            {"name": name, "share_pct": _pct(int(total), live_total)} for name, total in buyers
        ],
        "daily": _daily(session, today, month_ago, on_market),
    }


def _daily(session: Session, today: date, since: datetime, on_market) -> list[dict]:
    listed_day = _ist_day(session, _listed_at())
    funded_day = _ist_day(session, Invoice.funded_at)
    listed = dict(
        session.execute(
            select(listed_day, func.count())
            .where(on_market, _listed_at() >= since)
            .group_by(listed_day)
        ).all()
    )
    funded = {
        day: (count, volume, weighted, face)
        for day, count, volume, weighted, face in session.execute(
            select(
                funded_day,
                func.count(),
                func.sum(Invoice.funding_target),
                func.sum(Invoice.annual_yield_bps * Invoice.amount),
                func.sum(Invoice.amount),
            )
            .where(Invoice.funded_at >= since)
            .group_by(funded_day)
        )
    }
    series = []
    for offset in range(DAYS - 1, -1, -1):
        day = today - timedelta(days=offset)
        keys = (day, day.isoformat())  # SQLite answers dates as text
        count, volume, weighted, face = next((funded[k] for k in keys if k in funded), (0, 0, 0, 0))
        series.append(
            {
                "date": day,
                "listed": int(next((listed[k] for k in keys if k in listed), 0)),
                "funded": int(count),
                "volume": int(volume or 0),
                "avg_yield_bps": int(weighted or 0) // int(face) if face else 0,
            }
        )
    return series


@dataclass
class _Cached:
    at: float = 0.0
    stats: dict | None = None


_cache = _Cached()
FRESH_SECONDS = 1.0


def market_stats(fresh: bool = False) -> dict:
    """The figures, at most FRESH_SECONDS old (computed in one repeatable-read snapshot)."""
    now = time.monotonic()
    if fresh or _cache.stats is None or now - _cache.at > FRESH_SECONDS:
        _cache.stats = db.read(lambda session: compute(_snapshot(session), today_ist()))
        _cache.at = now
    return _cache.stats


def _snapshot(session: Session) -> Session:
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY"))
    return session
