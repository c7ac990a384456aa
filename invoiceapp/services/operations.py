"""What operators see of the whole platform."""

from __future__ import annotations

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from .. import db
from ..models import Invoice, InvoiceStatus

AGING_BUCKETS = ("1-30", "31-60", "60+")


def overview() -> dict:
    def work(session: Session) -> dict:
        by_status = {
            status.value: {"count": count, "amount": int(amount or 0)}
            for status, count, amount in session.execute(
                select(Invoice.status, func.count(), func.sum(Invoice.amount)).group_by(
                    Invoice.status
                )
            )
        }
        bucket = case(
            (Invoice.days_past_due <= 30, "1-30"),
            (Invoice.days_past_due <= 60, "31-60"),
            else_="60+",
        )
        owed = Invoice.amount + Invoice.late_interest - Invoice.repaid_amount
        aging = {name: {"count": 0, "owed": 0} for name in AGING_BUCKETS}
        for name, count, total in session.execute(
            select(bucket, func.count(), func.sum(owed))
            .where(Invoice.status.in_([InvoiceStatus.OVERDUE, InvoiceStatus.DEFAULTED]))
            .group_by(bucket)
        ):
            aging[name] = {"count": count, "owed": int(total or 0)}
        return {"by_status": by_status, "aging": aging}

    return db.read(work)
