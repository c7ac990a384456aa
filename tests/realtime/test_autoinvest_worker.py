"""Auto-invest in real worker processes (`python worker.py`, as the Procfile's worker: starts
them, with the environment deploy/cluster.py gives the web workers), on PostgreSQL and Redis:
a worker SIGKILLed in the middle of a listing's fills leaves nothing behind and the next one
fills it exactly as planned; two workers at once fill queued listings once each, in order; and
the investor's socket on a web worker hears `autoInvestFilled` within 2 s of the listing."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from datetime import timedelta

import pytest
import requests
from sqlalchemy import select, text

from deploy.cluster import ROOT, Cluster

from .conftest import (
    FAST_ENV,
    REDIS_URL,
    Listener,
    list_invoice,
    register,
    require_redis,
    wait_for_job_workers,
)

pytestmark = [pytest.mark.postgres, pytest.mark.slow]


@pytest.fixture
def database(cluster_database):
    """The module's database, emptied, with this process's services pointed at it."""
    from config import TestConfig
    from invoiceapp import create_app
    from invoiceapp.services import audit
    from tests.conftest import clean

    clean(cluster_database)
    create_app(TestConfig(cluster_database))
    audit.set_actor(audit.SYSTEM)  # not the last API test's user (its request set it here)
    return cluster_database


class Workers:
    """`python worker.py` processes, started and killed by the test."""

    def __init__(self, database_url: str, tmp_path):
        require_redis()
        self.env = Cluster(1, database_url, REDIS_URL, env=FAST_ENV).env(0)
        self.log = tmp_path / "worker.log"
        self.procs: list[subprocess.Popen] = []

    def start(self) -> subprocess.Popen:
        proc = subprocess.Popen(
            [sys.executable, str(ROOT / "worker.py")],
            cwd=ROOT,
            env=self.env,
            stdout=open(self.log, "ab"),
            stderr=subprocess.STDOUT,
        )
        self.procs.append(proc)
        return proc

    def stop(self) -> None:
        for proc in self.procs:
            if proc.poll() is None:
                proc.terminate()
                try:
                    proc.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait()


@pytest.fixture
def workers(database, tmp_path):
    started = Workers(database, tmp_path)
    yield started
    started.stop()


def _investors_with_rules(count: int, **fields) -> list[int]:
    from invoiceapp.models import Role
    from invoiceapp.services import auth, autoinvest

    ids = []
    for n in range(count):
        user = auth.register(f"auto{n}@worker.test", "worker-pass-2026", f"Auto {n}", Role.INVESTOR)
        autoinvest.create_rule(user.id, {"max_per_invoice": 1_000_00, "budget": 10**8} | fields)
        ids.append(user.id)
    return ids


def _seller() -> int:
    from invoiceapp.models import Role
    from invoiceapp.services import auth

    return auth.register("seller@worker.test", "worker-pass-2026", "Seller", Role.SELLER).id


def _list(seller_id: int, amount: int, number: str):
    from invoiceapp.services import invoices
    from invoiceapp.services.dates import today_ist

    return invoices.list_invoice(
        seller_id,
        invoices.NewInvoice(
            invoice_number=number,
            buyer_name="Buyer Ltd",
            amount=amount,
            due_date=today_ist() + timedelta(days=60),
            discount_rate_bps=900,
        ),
    )


def _planned_fills(invoice_id: int) -> dict[int, int]:
    """What the job would do now, computed in a transaction that is rolled back."""
    from invoiceapp import db
    from invoiceapp.services import autoinvest
    from invoiceapp.services.invoices import lock_invoice

    return db.read(lambda s: autoinvest.plan_in(s, lock_invoice(s, invoice_id)).fills)


def _fills(invoice_id: int) -> dict[int, int]:
    from invoiceapp import db
    from invoiceapp.models import Investment

    return dict(
        db.read(
            lambda s: s.execute(
                select(Investment.rule_id, Investment.amount).where(
                    Investment.invoice_id == invoice_id, Investment.rule_id.is_not(None)
                )
            ).all()
        )
    )


def _job(invoice_id: int):
    from invoiceapp import db
    from invoiceapp.models import Job

    return db.read(
        lambda s: s.execute(
            select(Job.status, Job.attempts, Job.last_error).where(
                Job.key == f"auto_invest:{invoice_id}"
            )
        ).one()
    )


def _wait(condition, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.005)
    raise AssertionError(f"{what} did not happen within {timeout}s")


def _filling_now() -> bool:
    """Some worker holds the auto-invest fill lock: it is inside a listing's fills."""
    from invoiceapp import db
    from invoiceapp.services.autoinvest import FILL_LOCK

    return db.read(
        lambda s: s.scalar(
            text(
                "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted "
                "AND classid = :high AND objid = :low"
            ),
            {"high": FILL_LOCK >> 32, "low": FILL_LOCK & 0xFFFFFFFF},
        )
    )


def test_a_worker_killed_mid_fill_leaves_nothing_and_the_next_fills_exactly_once(workers):
    from invoiceapp.services.autoinvest import units_on_offer
    from tests.services.test_concurrency import assert_books_balance

    _investors_with_rules(600, max_per_invoice=2_000_00)
    seller = _seller()
    invoice = _list(seller, 10_00_000_00, "KILL-1")
    planned = _planned_fills(invoice.id)
    on_offer = units_on_offer(invoice.funding_target, invoice.funding_target, 70)
    assert on_offer < 1_200  # wanted: shares, and the units left over in fill order
    assert len(planned) == 600 and sum(planned.values()) == on_offer * 1_000_00
    victim = workers.start()
    _wait(_filling_now, 30, "the worker taking the fill lock")
    victim.send_signal(signal.SIGKILL)
    victim.wait(timeout=10)
    assert _fills(invoice.id) == {}  # all of a listing's fills or none
    status, _, _ = _job(invoice.id)
    assert status.value == "pending"

    workers.start()
    _wait(lambda: _job(invoice.id)[0].value == "done", 30, "the next worker finishing the job")
    assert _fills(invoice.id) == planned
    assert_books_balance()


def test_two_workers_fill_queued_listings_once_each_in_listing_order(workers):
    from tests.services.test_concurrency import assert_books_balance

    _investors_with_rules(9)
    seller = _seller()
    listings = [_list(seller, 5_000_00, f"Q-{n}") for n in range(10)]  # 3 units for 9 rules
    workers.start()
    workers.start()
    _wait(
        lambda: all(_job(listing.id)[0].value == "done" for listing in listings),
        60,
        "every listing filled",
    )
    filled = [sorted(_fills(listing.id)) for listing in listings]
    rules = sorted({rule for rule_ids in filled for rule in rule_ids})
    assert filled == [sorted(rules[(3 * n + k) % 9] for k in range(3)) for n in range(10)]
    assert all(_job(listing.id)[1] == 0 for listing in listings)  # nothing failed on the way
    assert_books_balance()


def test_an_investor_hears_auto_invest_filled_within_two_seconds(database, workers):
    cluster = Cluster(2, database, REDIS_URL, env=FAST_ENV).start()
    try:
        web_a, web_b = cluster.worker_urls
        workers.env = cluster.env(0)  # the web workers' Redis channel and secret
        workers.start()
        workers.start()
        wait_for_job_workers(database)
        investor, seller = register(web_a, "investor"), register(web_b, "seller")
        response = requests.post(
            f"{web_a}/api/auto-invest/rules",
            json={"max_per_invoice": 10_000_00, "budget": 50_000_00},
            headers=investor["headers"],
            timeout=10,
        )
        assert response.status_code == 201
        rule = response.json()["rule"]
        listener = Listener(web_a, investor["access_token"])
        try:
            sent = time.monotonic()
            invoice = list_invoice(web_b, seller).json()["invoice"]
            data, arrived = listener.wait_for(
                "autoInvestFilled", lambda d: d["invoice"]["id"] == invoice["id"], timeout=10
            )
            assert arrived - sent < 2.0
            assert data["rule_id"] == rule["id"]
            assert data["investment"]["source"] == "auto"
            assert data["investment"]["amount"] == 10_000_00
            assert data["invoice"]["funded_amount"] == 10_000_00
            for name in ("investmentSuccess", "walletUpdated", "portfolioUpdate", "notification"):
                listener.wait_for(name, timeout=5)
        finally:
            listener.close()
    finally:
        cluster.stop()
