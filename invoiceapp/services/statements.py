"""Statements as CSV, streamed row by row from a server-side cursor, so a statement of any
length never builds in memory: a wallet's transactions between two IST dates with opening and
closing balances, and a portfolio's investments for an Indian financial year (April–March)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import and_, func, or_, select

from .. import db
from ..models import (
    Account,
    AccountKind,
    Investment,
    InvestmentStatus,
    Invoice,
    LedgerEntry,
    TransferKind,
)
from .dates import IST
from .errors import ValidationFailed

BATCH = 1000
RECEIPTS = (TransferKind.REPAYMENT_RECEIVED, TransferKind.LATE_INTEREST, TransferKind.RECOVERY)


def rupees(paise: int) -> str:
    """1234.50: two decimals, no digit grouping (spreadsheets read it as a number)."""
    sign = "-" if paise < 0 else ""
    whole, fraction = divmod(abs(paise), 100)
    return f"{sign}{whole}.{fraction:02d}"


def _midnight(day: date) -> datetime:
    return datetime.combine(day, datetime.min.time(), IST)


def _lines(rows: Iterator[list]) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    for row in rows:
        writer.writerow(row)
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()


def _streamed(query) -> Iterator:
    """Rows of a query, fetched BATCH at a time by a server-side cursor in its own session."""
    with db.SessionFactory() as session:
        yield from session.execute(query.execution_options(yield_per=BATCH))


@dataclass(frozen=True)
class Period:
    start: date
    end: date  # inclusive

    @property
    def label(self) -> str:
        return f"{self.start.isoformat()}-to-{self.end.isoformat()}"


def period(start: date, end: date) -> Period:
    if end < start:
        raise ValidationFailed(details={"to": ["Must be on or after `from`."]})
    return Period(start, end)


def financial_year(label: str) -> Period:
    """`2026-27`: 1 April 2026 to 31 March 2027 (IST)."""
    parts = label.split("-")
    if (
        len(parts) != 2
        or not all(part.isdigit() for part in parts)
        or len(parts[0]) != 4
        or len(parts[1]) != 2
    ):
        raise ValidationFailed(
            details={"fy": ["Give the financial year as YYYY-YY, e.g. 2026-27."]}
        )
    first = int(parts[0])
    if (first + 1) % 100 != int(parts[1]) or not 2000 <= first <= 2999:
        raise ValidationFailed(
            details={"fy": ["The second year must follow the first, e.g. 2026-27."]}
        )
    return Period(date(first, 4, 1), date(first + 1, 3, 31))


def wallet_statement(user_id: int, within: Period) -> Iterator[str]:
    """Every wallet transaction in the period, oldest first, between the opening and closing
    balances; the closing balance is the ledger's, to the paisa."""
    start, end = _midnight(within.start), _midnight(within.end + timedelta(days=1))

    def opening(session) -> tuple[int, int]:
        wallet_id = session.scalar(
            select(Account.id).where(Account.user_id == user_id, Account.kind == AccountKind.WALLET)
        )
        before = session.scalar(
            select(LedgerEntry.balance_after)
            .where(LedgerEntry.account_id == wallet_id, LedgerEntry.created_at < start)
            .order_by(LedgerEntry.created_at.desc(), LedgerEntry.id.desc())
            .limit(1)
        )
        return wallet_id, before or 0

    wallet_id, balance = db.read(opening)
    entries = (
        select(LedgerEntry)
        .where(
            LedgerEntry.account_id == wallet_id,
            LedgerEntry.created_at >= start,
            LedgerEntry.created_at < end,
        )
        .order_by(LedgerEntry.created_at, LedgerEntry.id)
    )

    def rows() -> Iterator[list]:
        nonlocal balance
        yield ["date", "time", "description", "kind", "invoice_id", "debit", "credit", "balance"]
        yield [within.start.isoformat(), "", "Opening balance", "", "", "", "", rupees(balance)]
        for (entry,) in _streamed(entries):
            moment = entry.created_at.astimezone(IST)
            debit, credit = (entry.amount, "") if entry.direction == "debit" else ("", entry.amount)
            balance = entry.balance_after
            yield [
                moment.date().isoformat(),
                moment.strftime("%H:%M:%S"),
                entry.description,
                entry.kind.value,
                entry.invoice_id or "",
                rupees(debit) if debit != "" else "",
                rupees(credit) if credit != "" else "",
                rupees(balance),
            ]
        yield [within.end.isoformat(), "", "Closing balance", "", "", "", "", rupees(balance)]

    return _lines(rows())


def portfolio_statement(investor_id: int, year: Period) -> Iterator[str]:
    """Every investment that received money, or was settled or written off, in the year: what
    went in, what came back in the year, the gain or loss once it is over, days held."""
    start, end = _midnight(year.start), _midnight(year.end + timedelta(days=1))
    received_in_year = (
        select(LedgerEntry.investment_id, func.sum(LedgerEntry.amount).label("received"))
        .where(
            LedgerEntry.kind.in_(RECEIPTS),
            LedgerEntry.direction == "credit",
            LedgerEntry.created_at >= start,
            LedgerEntry.created_at < end,
        )
        .group_by(LedgerEntry.investment_id)
        .subquery()
    )
    finished_at = func.coalesce(Invoice.settled_at, Invoice.written_off_at)
    query = (
        select(Investment, Invoice, func.coalesce(received_in_year.c.received, 0), finished_at)
        .join(Invoice, Invoice.id == Investment.invoice_id)
        .outerjoin(received_in_year, received_in_year.c.investment_id == Investment.id)
        .where(
            Investment.investor_id == investor_id,
            or_(
                received_in_year.c.received.is_not(None),
                and_(
                    Investment.status.in_([InvestmentStatus.SETTLED, InvestmentStatus.WRITTEN_OFF]),
                    finished_at >= start,
                    finished_at < end,
                ),
            ),
        )
        .order_by(Investment.created_at, Investment.id)
    )

    def rows() -> Iterator[list]:
        yield [
            "invoice_number",
            "buyer",
            "invested",
            "received",
            "gain_or_loss",
            "days_held",
            "status",
        ]
        for investment, invoice, received, finished in _streamed(query):
            # as things stood at the end of the year: later settlements belong to later years
            over = (
                investment.status in (InvestmentStatus.SETTLED, InvestmentStatus.WRITTEN_OFF)
                and finished is not None
                and finished < end
            )
            held_until = finished if over else min(end, datetime.now(IST))
            yield [
                invoice.invoice_number,
                invoice.buyer_name,
                rupees(investment.amount),
                rupees(int(received)),
                rupees(investment.received - investment.amount) if over else "",
                (
                    held_until.astimezone(IST).date() - investment.created_at.astimezone(IST).date()
                ).days,
                investment.status.value if over else InvestmentStatus.ACTIVE.value,
            ]

    return _lines(rows())
