"""Races on PostgreSQL between real processes, each with its own connection pool, released
together by a barrier. Whatever the interleaving: no over-funding, no negative wallet, no paisa
created or lost (`ledger verify` clean)."""

from __future__ import annotations

import multiprocessing
import random
from datetime import timedelta

import pytest
from sqlalchemy import select

pytestmark = pytest.mark.postgres

PROCESSES = 30


def _worker(url, barrier, calls, results):
    from config import database_url
    from invoiceapp.db import DatabaseSettings, init_engine
    from invoiceapp.services import (
        acceptance,
        daily,
        funding,
        invoices,
        notifications,
        repayments,
    )
    from invoiceapp.services.errors import DomainError

    init_engine(database_url(url), DatabaseSettings(pool_size=2, lock_timeout_ms=60000))
    actions = {
        "fund": lambda user_id, invoice_id, amount: funding.fund(user_id, invoice_id, amount),
        "cancel": lambda user_id, invoice_id, _: invoices.cancel(user_id, invoice_id),
        "settle": lambda user_id, invoice_id, _: repayments.settle(user_id, invoice_id),
        "accept": lambda user_id, invoice_id, _: acceptance.accept(user_id, invoice_id),
        "repay": lambda user_id, invoice_id, amount: repayments.repay(user_id, invoice_id, amount),
        "recover": lambda _, invoice_id, amount: repayments.recover(invoice_id, amount, "race"),
        "daily": lambda _, __, day: daily.run_daily(day),
        "read": lambda user_id, up_to_id, _: notifications.mark_read(user_id, up_to_id),
    }
    barrier.wait()
    for kind, user_id, invoice_id, amount in calls:
        try:
            actions[kind](user_id, invoice_id, amount)
            results.put((kind, user_id, invoice_id, amount, "ok"))
        except DomainError as error:
            results.put((kind, user_id, invoice_id, amount, error.code))
        except Exception as error:  # report it rather than leave the test waiting
            results.put((kind, user_id, invoice_id, amount, repr(error)))


def race(url: str, plans: list[list[tuple]]) -> list[tuple]:
    """Run each plan (a list of service calls) in its own process, all starting together."""
    ctx = multiprocessing.get_context("fork")
    barrier = ctx.Barrier(len(plans))
    results = ctx.Queue()
    procs = [ctx.Process(target=_worker, args=(url, barrier, plan, results)) for plan in plans]
    for proc in procs:
        proc.start()
    outcomes = [results.get(timeout=120) for plan in plans for _ in plan]
    for proc in procs:
        proc.join(timeout=60)
        assert proc.exitcode == 0
    return outcomes


@pytest.fixture
def pg(postgres_url):
    from config import TestConfig
    from invoiceapp import create_app
    from tests.conftest import clean

    clean(postgres_url)
    create_app(TestConfig(postgres_url))
    return postgres_url


def _users(role, count):
    from invoiceapp.models import Role
    from invoiceapp.services import auth

    return [
        auth.register(f"{role}{n}@race.test", "race-password-2026", f"{role} {n}", Role(role)).id
        for n in range(count)
    ]


def _invoice(seller_id, amount=1_000_000_00, rate=1000, number=None):
    from invoiceapp.services import invoices
    from invoiceapp.services.dates import today_ist

    return invoices.list_invoice(
        seller_id,
        invoices.NewInvoice(
            invoice_number=number or f"R-{random.getrandbits(40)}",
            buyer_name="Buyer",
            amount=amount,
            due_date=today_ist() + timedelta(days=60),
            discount_rate_bps=rate,
        ),
    )


def assert_books_balance():
    from invoiceapp import db
    from invoiceapp.models import SOURCE_ACCOUNTS, Account
    from invoiceapp.services.books import verify_ledger

    assert verify_ledger() == []
    with db.SessionFactory() as session:
        negative = session.scalars(
            select(Account).where(Account.kind.not_in(SOURCE_ACCOUNTS), Account.balance < 0)
        ).all()
    assert negative == []


def _state(invoice_id):
    from invoiceapp.services.invoices import get_invoice

    return get_invoice(invoice_id, 0, "operator")


def test_thirty_investors_racing_for_one_invoice_exactly_one_wins(pg):
    (seller,) = _users("seller", 1)
    investors = _users("investor", PROCESSES)
    invoice = _invoice(seller)
    outcomes = race(pg, [[("fund", i, invoice.id, invoice.funding_target)] for i in investors])
    codes = sorted(o[-1] for o in outcomes)
    assert codes.count("ok") == 1
    assert set(codes) - {"ok"} == {"invoice_not_fundable"}
    final = _state(invoice.id)
    assert final.status.value == "funded" and final.funded_amount == final.funding_target
    assert_books_balance()


def test_fractional_races_never_pass_the_target(pg):
    (seller,) = _users("seller", 1)
    investors = _users("investor", PROCESSES)
    invoice = _invoice(seller)  # target 9,80,000.00: room for 4 of 2,40,000.00, then 20,000.00
    piece = 240_000_00
    outcomes = race(pg, [[("fund", i, invoice.id, piece)] for i in investors])
    won = [o for o in outcomes if o[-1] == "ok"]
    assert len(won) == 4
    assert {o[-1] for o in outcomes} - {"ok"} == {"exceeds_remaining"}
    final = _state(invoice.id)
    assert final.funded_amount == 4 * piece and final.status.value == "listed"
    assert_books_balance()


def test_one_investor_funding_many_invoices_at_once_never_goes_negative(pg):
    (seller,) = _users("seller", 1)
    (investor,) = _users("investor", 1)
    # the wallet holds ₹10,00,000: exactly 10 of these ₹1,00,000 fundings fit
    targets = [_invoice(seller, amount=200_000_00) for _ in range(PROCESSES)]
    outcomes = race(pg, [[("fund", investor, inv.id, 100_000_00)] for inv in targets])
    codes = [o[-1] for o in outcomes]
    assert codes.count("ok") == 10 and codes.count("insufficient_funds") == PROCESSES - 10
    from invoiceapp.services.reports import get_wallet

    assert get_wallet(investor).balance == 0
    assert_books_balance()


def test_funding_cancelling_and_settling_at_once_keeps_the_books(pg):
    """Overlapping accounts in every order: settlement pays investors who are funding other
    invoices whose completion pays the same seller. Locks in one order: no deadlock escapes."""
    sellers = _users("seller", 3)
    investors = _users("investor", 12)
    rng = random.Random(7)
    settle_me = []
    for seller in sellers:
        for _ in range(2):
            invoice = _invoice(seller, amount=100_000_00, rate=500)
            from invoiceapp.services import funding

            for investor in rng.sample(investors, 2):
                funding.fund(investor, invoice.id, invoice.funding_target // 2)
            rest = invoice.funding_target - 2 * (invoice.funding_target // 2)
            if rest:
                funding.fund(investors[0], invoice.id, rest)
            settle_me.append((seller, invoice.id))
    open_invoices = [
        (s, _invoice(s, amount=300_000_00, rate=800).id) for s in sellers for _ in range(3)
    ]
    plans = []
    for _n in range(PROCESSES):
        plan = []
        for _ in range(4):
            roll = rng.random()
            if roll < 0.6:
                seller, invoice_id = rng.choice(open_invoices)
                plan.append(
                    (
                        "fund",
                        rng.choice(investors),
                        invoice_id,
                        rng.choice([100_000_00, 150_000_00]),
                    )
                )
            elif roll < 0.8:
                plan.append(("settle", *rng.choice(settle_me), 0))
            else:
                plan.append(("cancel", *rng.choice(open_invoices), 0))
        plans.append(plan)
    outcomes = race(pg, plans)
    allowed = {
        "ok",
        "invoice_not_fundable",
        "exceeds_remaining",
        "insufficient_funds",
        "invalid_state",
        "below_minimum",
    }
    assert {o[-1] for o in outcomes} <= allowed
    assert any(o[-1] == "ok" and o[0] == "settle" for o in outcomes)
    assert_books_balance()


def test_a_seller_reading_the_bell_while_investors_fund_keeps_the_count_exact(pg):
    """Fundings add to the seller's kept unread count while the seller marks some read: the
    count always equals the unread rows (`ledger verify` checks it)."""
    from invoiceapp import db
    from invoiceapp.services import notifications

    (seller,) = _users("seller", 1)
    investors = _users("investor", 10)
    targets = [_invoice(seller, amount=5_000_000_00) for _ in range(3)]
    rng = random.Random(11)
    plans = [
        [
            ("read", seller, rng.choice([10**9, rng.randrange(1, 60)]), 0)
            if rng.random() < 0.3
            else ("fund", rng.choice(investors), rng.choice(targets).id, 20_000_00)
            for _ in range(4)
        ]
        for _ in range(PROCESSES)
    ]
    outcomes = race(pg, plans)
    assert {o[-1] for o in outcomes} == {"ok"}
    assert sum(1 for o in outcomes if o[0] == "read") > 5
    assert_books_balance()
    assert db.read(notifications.mismatches) == []
