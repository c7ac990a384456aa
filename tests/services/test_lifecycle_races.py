"""The invoice's later life under concurrency, between real processes on PostgreSQL:
acceptances against one credit limit, a repayment against a recovery, a repayment against the
daily run. Whatever the interleaving, limits hold, nothing is paid twice, the books balance."""

from __future__ import annotations

from datetime import timedelta

import pytest

from .test_concurrency import assert_books_balance, pg, race  # noqa: F401  (fixture)

pytestmark = pytest.mark.postgres


def _people():
    from invoiceapp.models import Role
    from invoiceapp.services import auth

    def make(role, n):
        return auth.register(
            f"{role}{n}@life.test", "race-password-2026", f"{role} {n}", Role(role)
        ).id

    return make("seller", 0), make("buyer", 0), [make("investor", n) for n in range(3)]


def _confirmed(seller, buyer, amount=200_000_00, days=30):
    from invoiceapp.services import acceptance, invoices
    from invoiceapp.services.dates import today_ist

    invoice = invoices.list_invoice(
        seller,
        invoices.NewInvoice(
            invoice_number=f"L-{amount}-{days}-{id(object())}",
            buyer_id=buyer,
            amount=amount,
            due_date=today_ist() + timedelta(days=days),
            discount_rate_bps=1000,
        ),
    )
    return invoice, acceptance


def _funded_and_overdue(seller, buyer, investors):
    """Accepted, fully funded by three investors, then aged past its due date."""
    from invoiceapp.services import daily, funding, invoices

    invoice, acceptance = _confirmed(seller, buyer)
    invoice = acceptance.accept(buyer, invoice.id)
    third = invoice.funding_target // 3
    for n, investor in enumerate(investors):
        amount = third if n < 2 else invoice.funding_target - 2 * third
        funding.fund(investor, invoice.id, amount)
    daily.run_daily(invoice.due_date + timedelta(days=10))
    return invoices.get_invoice(invoice.id, 0, "operator")


def test_acceptances_racing_on_one_buyer_never_pass_its_credit_limit(pg):  # noqa: F811
    from invoiceapp import db
    from invoiceapp.services import acceptance, reports

    seller, buyer, _ = _people()
    acceptance.set_credit_limit(buyer, 500_000_00)
    pending = [_confirmed(seller, buyer, amount=100_000_00, days=20 + n)[0] for n in range(12)]
    outcomes = race(pg, [[("accept", buyer, invoice.id, 0)] for invoice in pending])
    codes = [o[-1] for o in outcomes]
    assert codes.count("ok") == 5 and codes.count("credit_limit_exceeded") == 7
    assert db.read(lambda s: reports.buyer_exposure(s, buyer)) == 500_000_00
    assert_books_balance()


def test_a_repayment_and_a_recovery_at_once_never_pay_more_than_owed(pg):  # noqa: F811
    seller, buyer, investors = _people()
    invoice = _funded_and_overdue(seller, buyer, investors)
    owed = invoice.owed
    plans = [
        [("repay", buyer, invoice.id, owed * 3 // 4)],
        [("recover", 0, invoice.id, owed * 3 // 4)],
    ]
    outcomes = race(pg, plans * 3)
    assert sum(o[-1] == "ok" for o in outcomes) == 1
    assert {o[-1] for o in outcomes} <= {"ok", "exceeds_owed"}
    from invoiceapp.services import invoices

    after = invoices.get_invoice(invoice.id, 0, "operator")
    assert after.repaid_amount == owed * 3 // 4 and after.owed == owed - owed * 3 // 4
    assert_books_balance()


def test_a_repayment_and_the_daily_run_at_once_lose_nothing(pg):  # noqa: F811
    from invoiceapp.services import invoices, money

    seller, buyer, investors = _people()
    invoice = _funded_and_overdue(seller, buyer, investors)
    next_day = invoice.due_date + timedelta(days=11)
    outcomes = race(
        pg,
        [[("repay", buyer, invoice.id, 100_000_00)], [("daily", 0, 0, next_day)]],
    )
    assert {o[-1] for o in outcomes} == {"ok"}
    after = invoices.get_invoice(invoice.id, 0, "operator")
    assert after.repaid_amount == 100_000_00
    # the day's interest is on the face unpaid when the run took the invoice's lock: either
    # before or after the repayment, never a mix or a lost update
    before = invoice.late_interest
    full = money.daily_late_interest(invoice.amount, invoice.discount_rate_bps, 1200)
    interest_first = min(100_000_00, invoice.late_interest)
    reduced = money.daily_late_interest(
        invoice.amount - (100_000_00 - interest_first), invoice.discount_rate_bps, 1200
    )
    assert after.late_interest - before in (full, reduced)
    assert after.accrued_through == next_day
    assert_books_balance()
