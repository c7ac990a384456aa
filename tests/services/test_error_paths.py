"""Every domain error leaves the database exactly as it was, and announces nothing."""

from datetime import timedelta

import pytest
from sqlalchemy import text

from invoiceapp.db import get_engine
from invoiceapp.models import Role
from invoiceapp.services import auth, changes, funding, invoices, repayments
from invoiceapp.services.dates import today_ist
from invoiceapp.services.errors import (
    BelowMinimum,
    DuplicateInvoiceNumber,
    EmailTaken,
    ExceedsRemaining,
    Forbidden,
    InsufficientFunds,
    InvalidState,
    InvoiceNotFundable,
    NotFound,
)

TABLES = [
    "accounts",
    "ledger_entries",
    "users",
    "invoices",
    "investments",
    "idempotency_keys",
    "notifications",
    "audit_log",
    "jobs",
]


def snapshot() -> dict:
    with get_engine().connect() as conn:
        return {
            table: conn.execute(text(f"SELECT * FROM {table} ORDER BY 1")).all() for table in TABLES
        }


def new_invoice(number="N-1", amount=1_000_000_00, rate=1000, days=73):
    return invoices.NewInvoice(
        invoice_number=number,
        buyer_name="Buyer",
        amount=amount,
        due_date=today_ist() + timedelta(days=days),
        discount_rate_bps=rate,
    )


@pytest.fixture
def world(app):
    seller = auth.register("s@example.com", "password123", "S", Role.SELLER)
    other_seller = auth.register("s2@example.com", "password123", "S2", Role.SELLER)
    investor = auth.register("i@example.com", "password123", "I", Role.INVESTOR)
    listed = invoices.list_invoice(seller.id, new_invoice("N-1"))
    partly = invoices.list_invoice(seller.id, new_invoice("N-2"))
    funding.fund(investor.id, partly.id, 100_000_00)
    huge = invoices.list_invoice(seller.id, new_invoice("N-3", amount=10**10, rate=0))
    done = invoices.list_invoice(seller.id, new_invoice("N-4", amount=100_000_00))
    funding.fund(investor.id, done.id, done.funding_target)
    return {
        "seller": seller,
        "other": other_seller,
        "investor": investor,
        "listed": listed,
        "partly": partly,
        "huge": huge,
        "funded": done,
    }


CASES = [
    ("fund unknown invoice", NotFound, lambda w: funding.fund(w["investor"].id, 10**6, 100_000)),
    (
        "fund below minimum",
        BelowMinimum,
        lambda w: funding.fund(w["investor"].id, w["listed"].id, 99_999),
    ),
    (
        "fund over remaining",
        ExceedsRemaining,
        lambda w: funding.fund(w["investor"].id, w["listed"].id, w["listed"].funding_target + 1),
    ),
    (
        "fund beyond wallet",
        InsufficientFunds,
        lambda w: funding.fund(w["investor"].id, w["huge"].id, 10**9),
    ),
    (
        "fund funded invoice",
        InvoiceNotFundable,
        lambda w: funding.fund(w["investor"].id, w["funded"].id, 100_000),
    ),
    ("cancel other's invoice", Forbidden, lambda w: invoices.cancel(w["other"].id, w["partly"].id)),
    (
        "cancel funded invoice",
        InvalidState,
        lambda w: invoices.cancel(w["seller"].id, w["funded"].id),
    ),
    (
        "settle listed invoice",
        InvalidState,
        lambda w: repayments.settle(w["seller"].id, w["partly"].id),
    ),
    (
        "settle other's invoice",
        Forbidden,
        lambda w: repayments.settle(w["other"].id, w["funded"].id),
    ),
    (
        "duplicate invoice number",
        DuplicateInvoiceNumber,
        lambda w: invoices.list_invoice(w["seller"].id, new_invoice("N-1")),
    ),
    (
        "email taken",
        EmailTaken,
        lambda w: auth.register("I@EXAMPLE.com", "password123", "X", Role.INVESTOR),
    ),
]


@pytest.mark.parametrize("name,error,call", CASES, ids=[c[0] for c in CASES])
def test_error_paths_change_nothing_and_announce_nothing(world, name, error, call):
    announced = []
    changes.subscribe(announced.append)
    before = snapshot()
    with pytest.raises(error):
        call(world)
    assert snapshot() == before
    assert announced == []


def test_a_failure_after_money_moved_rolls_everything_back(world, monkeypatch):
    """InsufficientFunds raised by the escrow release, after the investor's debit was written."""
    from invoiceapp.services import ledger

    real_transfer = ledger.transfer
    calls = []

    def failing_second_transfer(*args, **kwargs):
        calls.append(args)
        if len(calls) == 2:
            raise InsufficientFunds()
        return real_transfer(*args, **kwargs)

    rich = auth.register("rich@example.com", "password123", "R", Role.INVESTOR)
    monkeypatch.setattr(ledger, "transfer", failing_second_transfer)
    before = snapshot()
    with pytest.raises(InsufficientFunds):
        funding.fund(rich.id, world["partly"].id, world["partly"].funding_target - 100_000_00)
    assert len(calls) == 2 and snapshot() == before


def test_events_leave_only_once_the_outer_transaction_has_committed(app, client, factory):
    """An Idempotency-Key wraps the funding in a savepoint; releasing it is not the commit."""
    from sqlalchemy import create_engine, func, select

    from invoiceapp.models import Investment

    seller, investor = factory.user("seller"), factory.user("investor")
    invoice = factory.invoice(seller)
    outside = create_engine(app.config["DATABASE_URL"])  # another connection: sees only commits
    seen = []

    def committed_investments(change_set):
        with outside.connect() as conn:
            seen.append(conn.scalar(select(func.count()).select_from(Investment)))

    changes.subscribe(committed_investments)
    assert factory.fund(investor, invoice["id"], 200_000_00, key="after-commit").status_code == 201
    outside.dispose()
    assert seen == [1]
