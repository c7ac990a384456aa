"""The daily run: closes IST business day D (`flask --app invoiceapp jobs run --once --date D`;
the worker runs it for the day just ended, shortly after IST midnight).

Days after the last run up to D are applied in order; D already run changes nothing; an earlier
D is refused. For each day d, one transaction per invoice (locked like any other change of it),
each invoice remembering the last day applied to it, so a run cut short and run again never
charges a day twice:
- a funded invoice past its due date turns `overdue`; each day more than GRACE_DAYS past due
  adds a day's late interest on the face value still unpaid; DEFAULT_AFTER_DAYS past due it
  turns `defaulted` (interest goes on until it is settled or written off);
- an invoice still awaiting its buyer ACCEPTANCE_DAYS after it was listed is cancelled;
- a listed invoice due tomorrow or earlier is cancelled, its investors refunded;
- expired Idempotency-Keys and token revocations are purged.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from .. import db
from ..models import OUTSTANDING, DailyRun, Invoice, InvoiceStatus, Pricing
from . import auth, idempotency, money, notifications, settings
from .changes import BecameOverdue, Defaulted, MarketChanged, changes
from .dates import IST
from .errors import ValidationFailed
from .invoices import active_investments, lock_invoice, record_change, refund_and_cancel

log = logging.getLogger(__name__)


@dataclass
class DailyReport:
    days: list[date] = field(default_factory=list)
    overdue: int = 0
    defaulted: int = 0
    interest: int = 0
    expired: int = 0
    unaccepted: int = 0


def last_run() -> date | None:
    return db.read(lambda session: session.scalar(select(func.max(DailyRun.run_date))))


def run_daily(as_of: date) -> DailyReport:
    """Close every business day after the last run, up to `as_of`."""
    last = last_run()
    if last is not None and as_of < last:
        raise ValidationFailed(
            f"The daily run has already closed {last.isoformat()}; it cannot go back to {as_of.isoformat()}."
        )
    report = DailyReport()
    day = as_of if last is None else last + timedelta(days=1)
    while day <= as_of:
        _close_day(day, report)
        report.days.append(day)
        day += timedelta(days=1)
    return report


def _close_day(day: date, report: DailyReport) -> None:
    rules = settings.get()
    for invoice_id in _ids(
        select(Invoice.id).where(Invoice.status.in_(OUTSTANDING), Invoice.due_date < day)
    ):
        db.transaction(lambda session, i=invoice_id: age_invoice(session, i, day, report))
    created_by = datetime.combine(day - timedelta(days=rules.acceptance_days - 1), time.min, IST)
    for invoice_id in _ids(
        select(Invoice.id).where(
            Invoice.status == InvoiceStatus.PENDING_ACCEPTANCE, Invoice.created_at < created_by
        )
    ):
        report.unaccepted += db.transaction(
            lambda session, i=invoice_id: _cancel(
                session, i, InvoiceStatus.PENDING_ACCEPTANCE, "not accepted in time"
            )
        )
    for invoice_id in _ids(
        select(Invoice.id).where(
            Invoice.status == InvoiceStatus.LISTED,
            Invoice.pricing == Pricing.FIXED,
            Invoice.due_date <= day + timedelta(days=1),
        )
    ):
        report.expired += db.transaction(
            lambda session, i=invoice_id: _cancel(
                session, i, InvoiceStatus.LISTED, "expired unfunded"
            )
        )

    def finish(session: Session) -> None:
        auth.purge_expired_revocations(session)
        idempotency.purge_expired(session)
        session.merge(DailyRun(run_date=day))

    db.transaction(finish)
    log.info("daily run closed %s", day.isoformat())


def _ids(query) -> list[int]:
    return list(db.read(lambda session: session.scalars(query.order_by(Invoice.id)).all()))


def age_invoice(
    session: Session, invoice_id: int, day: date, report: DailyReport | None = None
) -> None:
    """Apply day `day` to one outstanding invoice: overdue, late interest, default."""
    rules = settings.get()
    report = report or DailyReport()
    invoice = lock_invoice(session, invoice_id)
    if invoice.status not in OUTSTANDING or (
        invoice.accrued_through and invoice.accrued_through >= day
    ):
        return
    past_due = (day - invoice.due_date).days
    investor_ids = [i.investor_id for i in active_investments(session, invoice.id)]
    recorded = changes(session)
    invoice.days_past_due = past_due
    invoice.accrued_through = day
    status_changed = False
    if invoice.status == InvoiceStatus.FUNDED:
        status_changed = True
        record_change(session, invoice, InvoiceStatus.OVERDUE)
        recorded.add(BecameOverdue(invoice, investor_ids))
        notifications.invoice_late(session, invoice, investor_ids, defaulted=False)
        report.overdue += 1
    if past_due > rules.grace_days:
        interest = money.daily_late_interest(
            invoice.amount - invoice.face_repaid, invoice.discount_rate_bps, rules.late_penalty_bps
        )
        invoice.late_interest += interest
        report.interest += interest
    if past_due >= rules.default_after_days and invoice.status == InvoiceStatus.OVERDUE:
        status_changed = True
        record_change(session, invoice, InvoiceStatus.DEFAULTED)
        recorded.add(Defaulted(invoice, investor_ids))
        notifications.invoice_late(session, invoice, investor_ids, defaulted=True)
        report.defaulted += 1
    if status_changed:  # their overdue and defaulted amounts moved: portfolioUpdate
        recorded.investors.update(investor_ids)
    else:
        record_change(session, invoice)
    recorded.add(MarketChanged())


def _cancel(session: Session, invoice_id: int, expected: InvoiceStatus, reason: str) -> int:
    invoice = lock_invoice(session, invoice_id)
    if invoice.status != expected:
        return 0
    refund_and_cancel(session, invoice, reason)
    return 1
