"""Auto-invest racing people on PostgreSQL: worker processes fill listings while manual
investors in other processes fund the same invoices. Nothing over-funded, the auto fills within
their share and one per rule and invoice, and the books balance (`verify_ledger`)."""

from __future__ import annotations

import multiprocessing
import random

import pytest
from sqlalchemy import func, select

from .test_concurrency import (
    _invoice,
    _users,
    assert_books_balance,
    pg,  # noqa: F401 (the app on a clean PostgreSQL database)
)

pytestmark = [pytest.mark.postgres, pytest.mark.usefixtures("pg")]

MANUAL = 16


@pytest.fixture(autouse=True)
def system_actor():
    """Set-up through the services acts as the system, not as the last API test's user (the
    test client's requests set the actor in this thread)."""
    from invoiceapp.services import audit

    audit.set_actor(audit.SYSTEM)


AUTO_WORKERS = 2


def _process(url, barrier, plan, results):
    from config import database_url
    from invoiceapp.db import DatabaseSettings, init_engine
    from invoiceapp.services import autoinvest, funding, jobs  # noqa: F401 (registers the job)
    from invoiceapp.services.errors import DomainError

    init_engine(database_url(url), DatabaseSettings(pool_size=2, lock_timeout_ms=60000))
    barrier.wait()
    for kind, user_id, invoice_id, amount in plan:
        try:
            if kind == "jobs":
                ran = 0
                while jobs.run_next():
                    ran += 1
                results.put((kind, user_id, invoice_id, ran, "ok"))
                continue
            funding.fund(user_id, invoice_id, amount)
            results.put((kind, user_id, invoice_id, amount, "ok"))
        except DomainError as error:
            results.put((kind, user_id, invoice_id, amount, error.code))
        except Exception as error:  # report it rather than leave the test waiting
            results.put((kind, user_id, invoice_id, amount, repr(error)))


def _race(url, plans):
    ctx = multiprocessing.get_context("fork")
    barrier = ctx.Barrier(len(plans))
    results = ctx.Queue()
    procs = [ctx.Process(target=_process, args=(url, barrier, p, results)) for p in plans]
    for proc in procs:
        proc.start()
    outcomes = [results.get(timeout=180) for plan in plans for _ in plan]
    for proc in procs:
        proc.join(timeout=60)
        assert proc.exitcode == 0
    return outcomes


def _investors(count):
    from invoiceapp.models import Role
    from invoiceapp.services import auth

    return [
        auth.register(f"auto{n}@race.test", "race-password-2026", f"auto {n}", Role.INVESTOR).id
        for n in range(count)
    ]


def _rules(investor_ids, **fields):
    from invoiceapp.services import autoinvest

    for n, investor in enumerate(investor_ids):
        values = {"max_per_invoice": (1 + n % 5) * 20_000_00, "budget": 10**8} | fields
        autoinvest.create_rule(investor, values)


def test_people_racing_the_auto_fills_never_overfund_and_the_books_balance(postgres_url):
    from invoiceapp import db
    from invoiceapp.models import Investment, Invoice, Job
    from invoiceapp.services import settings

    (seller,) = _users("seller", 1)
    auto_investors = _investors(40)
    people = _users("investor", MANUAL)
    _rules(auto_investors)
    listings = [
        _invoice(seller, amount=amount) for amount in (10_00_000_00, 3_00_000_00, 50_000_00)
    ]
    rng = random.Random(13)
    plans = [[("jobs", 0, 0, 0)] for _ in range(AUTO_WORKERS)]
    for person in people:
        plans.append(
            [
                (
                    "fund",
                    person,
                    inv.id,
                    rng.choice([1_000_00, 25_000_00, 1_00_000_00, inv.funding_target // 3]),
                )
                for inv in rng.sample(listings, len(listings))
            ]
        )
    outcomes = _race(postgres_url, plans)
    codes = {o[-1] for o in outcomes}
    assert codes <= {"ok", "exceeds_remaining", "invoice_not_fundable", "below_minimum"}, codes
    share = settings.get().auto_invest_share

    def check(session):
        assert (
            session.scalars(select(Job.last_error).where(Job.last_error.is_not(None))).all() == []
        )
        assert {status.value for status in session.scalars(select(Job.status))} == {"done"}
        for listing in listings:
            invoice = session.get(Invoice, listing.id)
            rows = session.execute(
                select(Investment.source, Investment.rule_id, Investment.amount).where(
                    Investment.invoice_id == listing.id
                )
            ).all()
            assert invoice.funded_amount == sum(amount for _, _, amount in rows)
            assert invoice.funded_amount <= invoice.funding_target
            auto = [(rule, amount) for source, rule, amount in rows if source.value == "auto"]
            assert sum(amount for _, amount in auto) * 100 <= invoice.funding_target * share
            assert len({rule for rule, _ in auto}) == len(auto)  # once per rule and invoice
            assert all(amount % 1_000_00 == 0 for _, amount in auto)
        per_rule = session.execute(
            select(Investment.rule_id, func.count())
            .where(Investment.rule_id.is_not(None))
            .group_by(Investment.rule_id, Investment.invoice_id)
        ).all()
        assert all(count == 1 for _, count in per_rule)
        return per_rule

    assert db.read(check)  # some auto fills happened
    assert_books_balance()


def test_two_job_workers_fill_many_listings_once_each_and_in_order(postgres_url):
    """Many listings queued at once, two processes claiming jobs: each listing filled once,
    one listing at a time, in listing order (the rules take turns exactly as in one process)."""
    from invoiceapp import db
    from invoiceapp.models import Investment, Job

    (seller,) = _users("seller", 1)
    investors = _investors(9)
    _rules(investors, max_per_invoice=1_000_00)
    # ₹5,000 listings: 3 units each for 9 rules wanting 1: a strict rotation
    listings = [_invoice(seller, amount=5_000_00) for _ in range(12)]
    _race(postgres_url, [[("jobs", 0, 0, 0)] for _ in range(2)])

    def fills(session):
        assert (
            session.scalars(select(Job.last_error).where(Job.last_error.is_not(None))).all() == []
        )
        return session.execute(
            select(Investment.invoice_id, Investment.rule_id).order_by(
                Investment.invoice_id, Investment.rule_id
            )
        ).all()

    got: dict[int, list[int]] = {}
    for invoice_id, rule_id in db.read(fills):
        got.setdefault(invoice_id, []).append(rule_id)
    rules = sorted({rule for filled in got.values() for rule in filled})
    # rule ids follow the investors; listing n fills rules 3n..3n+2 (mod 9), in listing order
    assert [got[listing.id] for listing in listings] == [
        sorted(rules[(3 * n + k) % 9] for k in range(3)) for n in range(12)
    ]
    assert_books_balance()
