"""Each investor's portfolio figures, kept in `portfolio_totals` as investments change.

Every funding announces the investor's portfolio (`portfolioUpdate`). Summing the investor's
investments for it took time in proportion to the portfolio (12 ms for 3,300 investments), so
the figures are kept instead:
- after each flush, each investment that was added or changed is counted out as it was and in
  as it is now (`share`); an invoice that entered, left or moved between overdue and
  defaulted does the same for each of its active investments;
- just before the transaction commits, each investor's differences are added to their row, in
  one statement that locks the rows in investor order (after every other lock the transaction
  takes) and returns the new figures for the events.
`flask ledger verify` checks every row against a fresh sum (`summed`).
"""

from __future__ import annotations

from dataclasses import astuple, dataclass, fields

from sqlalchemy import bindparam, case, event, func, inspect, select
from sqlalchemy.orm import Session

from .. import db
from ..db import SessionFactory
from ..models import Investment, InvestmentStatus, Invoice, InvoiceStatus, PortfolioTotals
from .changes import ChangeSet, before_commit, changes

IN_TROUBLE = (InvoiceStatus.OVERDUE, InvoiceStatus.DEFAULTED)


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


FIGURES = [f.name for f in fields(PortfolioSummary)]
Share = tuple[int, ...]  # a PortfolioSummary's figures, in FIGURES order
NOTHING: Share = (0,) * len(FIGURES)


def share(status, invoice_status, count, amount, expected, received, loss) -> Share:
    """What `count` investments in one status, with these sums, add to their investor's
    figures; `invoice_status` matters only for active ones."""
    amount, expected, received, loss = (int(v or 0) for v in (amount, expected, received, loss))
    if status == InvestmentStatus.REFUNDED:
        return NOTHING
    if status == InvestmentStatus.ACTIVE:
        owed = expected - received
        overdue = owed if invoice_status == InvoiceStatus.OVERDUE else 0
        defaulted = owed if invoice_status == InvoiceStatus.DEFAULTED else 0
        return (amount, expected, 0, count, 0, received, overdue, defaulted, 0)
    if status == InvestmentStatus.SETTLED:
        return (0, 0, received - amount, 0, count, received, 0, 0, 0)
    return (0, 0, 0, 0, 0, received, 0, 0, loss)  # written off


def _plus(a: Share, b: Share, sign: int = 1) -> Share:
    return tuple(x + sign * y for x, y in zip(a, b, strict=True))


# --- the sum from the investments themselves -----------------------------------------------


def _summed_query():
    """Every investment grouped by investor, status and, for an active one, its invoice's
    status."""
    invoice_status = case((Investment.status == InvestmentStatus.ACTIVE, Invoice.status))
    return (
        select(
            Investment.investor_id,
            Investment.status,
            invoice_status,
            func.count(),
            func.sum(Investment.amount),
            func.sum(Investment.expected_return),
            func.sum(Investment.received),
            func.sum(Investment.loss),
        )
        .join(Invoice, Invoice.id == Investment.invoice_id)
        .group_by(Investment.investor_id, Investment.status, invoice_status)
    )


_SUMMED = _summed_query()


def summed(session: Session) -> dict[int, PortfolioSummary]:
    """The figures of everyone who has invested, summed from the investments."""
    totals: dict[int, Share] = {}
    for investor_id, *group in session.execute(_SUMMED):
        totals[investor_id] = _plus(totals.get(investor_id, NOTHING), share(*group))
    return {investor_id: PortfolioSummary(*figures) for investor_id, figures in totals.items()}


# --- the kept figures ------------------------------------------------------------------------

_TABLE = PortfolioTotals.__table__
_READ = select(_TABLE).where(_TABLE.c.investor_id.in_(bindparam("investors", expanding=True)))


def _summaries(rows) -> dict[int, PortfolioSummary]:
    return {row.investor_id: PortfolioSummary(*(row._mapping[f] for f in FIGURES)) for row in rows}


def kept(session: Session, investor_ids: set[int]) -> dict[int, PortfolioSummary]:
    """The kept figures of these investors (all zero for one who never invested)."""
    found = _summaries(session.execute(_READ, {"investors": list(investor_ids)}))
    return {investor_id: found.get(investor_id, PortfolioSummary()) for investor_id in investor_ids}


def rebuild(session: Session) -> None:
    """Set every row from the investments (for data written without the ORM, as bench's
    seeding is)."""
    session.execute(_TABLE.delete())
    rows = [{"investor_id": i, **vars(s)} for i, s in summed(session).items()]
    if rows:
        session.execute(_TABLE.insert(), rows)


def mismatches(session: Session) -> list[str]:
    """Each kept figure that differs from the sum of the investor's investments."""
    have = _summaries(session.execute(select(_TABLE)))
    should = summed(session)
    return [
        f"investor {investor_id}'s portfolio {name} is {kept_value}, but their investments "
        f"sum to {summed_value}"
        for investor_id in sorted(have.keys() | should.keys())
        for name, kept_value, summed_value in zip(
            FIGURES,
            astuple(have.get(investor_id, PortfolioSummary())),
            astuple(should.get(investor_id, PortfolioSummary())),
            strict=True,
        )
        if kept_value != summed_value
    ]


# --- keeping them --------------------------------------------------------------------------


def _before(obj, name: str):
    """An attribute's value before the flush that just ran (now, if it did not change)."""
    deleted = inspect(obj).attrs[name].history.deleted
    return deleted[0] if deleted else getattr(obj, name)


def _figures(investment: Investment, invoice_status, before: bool) -> Share:
    """What the investment adds to its investor's figures: as it was before the flush that
    just ran, or as it is now."""
    names = ("status", "amount", "expected_return", "received", "loss")
    status, amount, expected, received, loss = (
        _before(investment, name) if before else getattr(investment, name) for name in names
    )
    return share(status, invoice_status, 1, amount, expected, received, loss)


@event.listens_for(SessionFactory, "after_flush")
def _count(session: Session, _flush_context) -> None:
    """Record what the flush changed in each investor's figures."""
    added = [obj for obj in session.new if isinstance(obj, Investment)]
    changed = [obj for obj in session.dirty if isinstance(obj, Investment)]
    moved = [  # invoices that entered, left or moved between overdue and defaulted
        invoice
        for invoice in session.dirty
        if isinstance(invoice, Invoice)
        and _before(invoice, "status") != invoice.status
        and {_before(invoice, "status"), invoice.status} & set(IN_TROUBLE)
    ]
    if not (added or changed or moved):
        return
    deltas = changes(session).portfolio_deltas

    def count(investment: Investment, before: Share, after: Share) -> None:
        if before != after:
            investor = investment.investor_id
            deltas[investor] = _plus(_plus(deltas.get(investor, NOTHING), after), before, -1)

    def invoice_statuses(investment: Investment):
        invoice = session.get(Invoice, investment.invoice_id)
        return _before(invoice, "status"), invoice.status

    for investment in added:
        count(investment, NOTHING, _figures(investment, invoice_statuses(investment)[1], False))
    for investment in changed:
        then, now = invoice_statuses(investment)
        count(investment, _figures(investment, then, True), _figures(investment, now, False))
    if moved:
        seen = {investment.id for investment in added + changed}
        for investment in session.scalars(
            select(Investment).where(
                Investment.invoice_id.in_([invoice.id for invoice in moved]),
                Investment.status == InvestmentStatus.ACTIVE,
            )
        ):
            if investment.id not in seen:
                then, now = invoice_statuses(investment)
                count(
                    investment, _figures(investment, then, False), _figures(investment, now, False)
                )


@before_commit
def keep(session: Session, change_set: ChangeSet) -> None:
    """Add the differences to the rows, lowest investor first, and read the figures every
    touched investor's portfolioUpdate event carries."""
    session.flush()  # the commit's own flush comes after this hook
    rows = [
        {"investor_id": investor_id, **dict(zip(FIGURES, delta, strict=True))}
        for investor_id, delta in sorted(change_set.portfolio_deltas.items())
        if delta != NOTHING
    ]
    added = {}
    if rows:
        added = _summaries(db.add_to_kept(session, _TABLE, "investor_id", rows))
    unread = change_set.investors - added.keys()
    figures = (kept(session, unread) if unread else {}) | added
    change_set.portfolios = {i: figures[i] for i in change_set.investors}
