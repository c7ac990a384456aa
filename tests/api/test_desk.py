"""Group commit: fundings arriving together (of one invoice or of several) are booked in one
transaction, each answered as if it had come alone after the ones before it."""

from __future__ import annotations

import threading
import time

import pytest

from invoiceapp.services import funding
from invoiceapp.services.books import verify_ledger

pytestmark = pytest.mark.postgres


@pytest.fixture
def pg_app(postgres_url):
    from config import TestConfig
    from invoiceapp import create_app
    from tests.conftest import clean

    clean(postgres_url)
    return create_app(TestConfig(postgres_url))


def together(app, calls):
    """Run each (investor, invoice_id, amount, key) as a request from its own thread, all
    released at once; the responses in the same order."""
    from tests.factories import Factory

    barrier = threading.Barrier(len(calls))
    responses = [None] * len(calls)

    def one(n, investor, invoice_id, amount, key):
        factory = Factory(app.test_client())
        barrier.wait()
        responses[n] = factory.fund(investor, invoice_id, amount, key)

    threads = [threading.Thread(target=one, args=(n, *call)) for n, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return responses


@pytest.fixture
def batches(monkeypatch) -> list[int]:
    """The size of every batch the desk books, in order."""
    sizes = []
    real = funding.fund_batch_in
    monkeypatch.setattr(funding, "fund_batch_in", lambda s, r: sizes.append(len(r)) or real(s, r))
    return sizes


def hold(app, invoice_id):
    """Another process's transaction holding the invoice's row lock; `.rollback()` frees it."""
    from sqlalchemy import create_engine, text

    connection = create_engine(app.config["DATABASE_URL"]).connect()
    connection.execute(text("SELECT 1 FROM invoices WHERE id = :id FOR UPDATE"), {"id": invoice_id})
    return connection


def queued(count: int) -> None:
    """Wait until `count` requests are in the desk (a leader's own counts until it books)."""
    from invoiceapp.api.desk import desk

    deadline = time.monotonic() + 10
    while len(desk._queue) < count:
        assert time.monotonic() < deadline, "the requests never queued"
        time.sleep(0.01)


def test_a_rush_on_one_invoice_is_booked_in_batches_and_answered_one_by_one(pg_app, batches):
    from tests.factories import Factory

    factory = Factory(pg_app.test_client())
    seller = factory.user("seller")
    investors = [factory.user("investor") for _ in range(30)]
    invoice = factory.invoice(
        seller, amount=1_000_000, discount_rate_bps=0
    )  # room for 10 of ₹1,000
    responses = together(pg_app, [(inv, invoice["id"], 100_000, None) for inv in investors])
    codes = [r.status_code for r in responses]
    assert codes.count(201) == 10 and codes.count(409) == 20
    assert max(batches) > 1  # some came together
    refusals = {r.get_json()["error"]["code"] for r in responses if r.status_code == 409}
    assert refusals <= {"invoice_not_fundable", "exceeds_remaining"}
    funded = factory.client.get(f"/api/invoices/{invoice['id']}", headers=seller.headers).get_json()
    assert funded["invoice"]["status"] == "funded"
    ids = {r.get_json()["investment"]["id"] for r in responses if r.status_code == 201}
    assert len(ids) == 10
    assert verify_ledger() == []


def test_in_one_batch_each_investor_pays_only_what_its_wallet_holds(pg_app):
    from tests.factories import Factory

    factory = Factory(pg_app.test_client())
    seller, investor = factory.user("seller"), factory.user("investor")
    invoice = factory.invoice(seller, amount=10**10, discount_rate_bps=0)
    wallet = factory.balance(investor)
    half = wallet // 2 + 100_000  # two of these do not fit in the wallet
    responses = together(pg_app, [(investor, invoice["id"], half, None) for _ in range(4)])
    codes = sorted(r.status_code for r in responses)
    assert codes == [201, 409, 409, 409]
    assert {r.get_json()["error"]["code"] for r in responses if r.status_code == 409} == {
        "insufficient_funds"
    }
    assert factory.balance(investor) == wallet - half
    assert verify_ledger() == []


def test_idempotency_keys_hold_inside_a_batch(pg_app):
    from tests.factories import Factory

    factory = Factory(pg_app.test_client())
    seller, ann, bob = factory.user("seller"), factory.user("investor"), factory.user("investor")
    invoice = factory.invoice(seller)
    calls = [(ann, invoice["id"], 200_000_00, "same")] * 3 + [
        (bob, invoice["id"], 200_000_00, "same")
    ]
    responses = together(pg_app, calls)
    by_ann = sorted(r.status_code for r in responses[:3])
    assert by_ann.count(201) == 1 and set(by_ann) <= {201, 409}
    assert responses[3].status_code == 201  # the same key, but another user's
    again = factory.fund(ann, invoice["id"], 200_000_00, "same")
    first = next(r for r in responses[:3] if r.status_code == 201)
    assert again.status_code == 201 and again.get_json() == first.get_json()
    assert again.headers["Idempotent-Replayed"] == "true"
    assert factory.balance(ann) == 100_000_000 - 200_000_00
    assert verify_ledger() == []


def test_requests_that_queue_behind_another_process_join_one_batch(pg_app, batches):
    """While another process holds the invoice's row lock, the leader waits for it with its
    batch still open: every request that arrived meanwhile is booked with it."""
    from tests.factories import Factory

    factory = Factory(pg_app.test_client())
    seller = factory.user("seller")
    investors = [factory.user("investor") for _ in range(6)]
    invoice = factory.invoice(seller, amount=10**10, discount_rate_bps=0)
    other = hold(pg_app, invoice["id"])
    done = []
    rush = threading.Thread(
        target=lambda: done.extend(
            together(pg_app, [(inv, invoice["id"], 100_000, None) for inv in investors])
        )
    )
    rush.start()
    queued(len(investors))
    time.sleep(0.2)  # the first, leading, is waiting for the row lock
    other.rollback()
    other.close()
    rush.join(30)
    assert [r.status_code for r in done] == [201] * len(investors)
    assert batches == [len(investors)]
    assert verify_ledger() == []


def test_fundings_of_different_invoices_that_queue_together_are_one_batch(pg_app, batches):
    """Requests for several invoices that queued while the leader waited for its own are
    booked with it in one transaction, and an investor's wallet is counted across them."""
    from tests.factories import Factory

    factory = Factory(pg_app.test_client())
    seller, first, ann, bob = (
        factory.user("seller"),
        factory.user("investor"),
        factory.user("investor"),
        factory.user("investor"),
    )
    held, b, c, d = (
        factory.invoice(seller, amount=10**10, discount_rate_bps=0)["id"] for _ in range(4)
    )
    wallet = factory.balance(ann)
    more_than_half = wallet // 2 + 100_000  # ann's wallet holds one of these, not two
    other = hold(pg_app, held)
    leader = threading.Thread(target=lambda: factory.fund(first, held, 100_000))
    leader.start()
    queued(1)
    time.sleep(0.2)  # it leads, and waits for the row lock
    calls = [(ann, b, more_than_half, None), (ann, c, more_than_half, None)]
    calls += [(bob, d, 100_000, None), (bob, b, 100_000, None)]
    done = []
    rush = threading.Thread(target=lambda: done.extend(together(pg_app, calls)))
    rush.start()
    queued(1 + len(calls))
    other.rollback()
    other.close()
    leader.join(30)
    rush.join(30)
    assert batches == [1 + len(calls)]
    codes = [r.status_code for r in done]
    assert sorted(codes[:2]) == [201, 409] and codes[2:] == [201, 201]
    refused = next(r for r in done[:2] if r.status_code == 409)
    assert refused.get_json()["error"]["code"] == "insufficient_funds"
    assert factory.balance(ann) == wallet - more_than_half
    assert verify_ledger() == []


def _desk_process(url, barrier, calls, results):
    """One server process: its own engine and desk, `calls` made from 8 threads at once."""
    from config import database_url
    from invoiceapp.api.desk import desk
    from invoiceapp.db import DatabaseSettings, init_engine
    from invoiceapp.services.errors import DomainError

    init_engine(database_url(url), DatabaseSettings(pool_size=8, lock_timeout_ms=60000))

    def thread(share):
        for investor_id, invoice_id, amount in share:
            try:
                desk.fund(investor_id, invoice_id, amount, None)
                results.put("ok")
            except DomainError as error:
                results.put(error.code)
            except Exception as error:  # report it rather than leave the test waiting
                results.put(repr(error))

    threads = [threading.Thread(target=thread, args=(calls[n::8],)) for n in range(8)]
    barrier.wait()
    for each in threads:
        each.start()
    for each in threads:
        each.join()


def test_desks_of_several_processes_funding_crossing_wallets_never_deadlock(pg_app):
    """Four processes, each booking batches over the same invoices for the same investors:
    every batch locks its invoices and then all its accounts in ascending id order, so
    PostgreSQL never finds a deadlock (it would retry it silently, after a 1 s stall)."""
    import multiprocessing
    import random

    from sqlalchemy import create_engine, text

    from tests.factories import Factory

    factory = Factory(pg_app.test_client())
    seller = factory.user("seller")
    investors = [factory.user("investor").id for _ in range(4)]
    invoices = [
        factory.invoice(seller, amount=400_000, discount_rate_bps=0)["id"] for _ in range(20)
    ]  # room for 4 fundings of ₹1,000 each: some fill, and the rest are refused
    url = pg_app.config["DATABASE_URL"]
    engine = create_engine(url)

    def deadlocks():
        with engine.connect() as connection:
            connection.execute(text("SELECT pg_stat_clear_snapshot()"))
            return connection.scalar(
                text("SELECT deadlocks FROM pg_stat_database WHERE datname = current_database()")
            )

    before = deadlocks()
    rng = random.Random(7)
    plans = [
        [(rng.choice(investors), rng.choice(invoices), 100_000) for _ in range(60)]
        for _ in range(4)
    ]
    ctx = multiprocessing.get_context("fork")
    barrier, results = ctx.Barrier(len(plans)), ctx.Queue()
    procs = [ctx.Process(target=_desk_process, args=(url, barrier, p, results)) for p in plans]
    for proc in procs:
        proc.start()
    outcomes = [results.get(timeout=120) for plan in plans for _ in plan]
    for proc in procs:
        proc.join(60)
        assert proc.exitcode == 0
    assert set(outcomes) <= {"ok", "exceeds_remaining", "invoice_not_fundable"}, outcomes
    assert outcomes.count("ok") == 20 * 4
    time.sleep(1.1)  # each backend's statistics reach pg_stat_database within a second
    assert deadlocks() == before
    assert verify_ledger() == []
    engine.dispose()


def test_an_invoice_held_elsewhere_holds_up_only_its_own_requests(pg_app, batches):
    """The leader waits for its own invoice only: a queued request for an invoice that another
    transaction holds stays queued, and the others are booked without it."""
    from tests.factories import Factory

    factory = Factory(pg_app.test_client())
    seller, ann, bob, cat = (factory.user(role) for role in ("seller", *["investor"] * 3))
    a, b, c = (factory.invoice(seller, amount=10**10, discount_rate_bps=0)["id"] for _ in range(3))
    holders = [hold(pg_app, a), hold(pg_app, b)]
    answers = {}

    def fund(name, investor, invoice_id):
        answers[name] = factory.fund(investor, invoice_id, 100_000).status_code

    threads = [threading.Thread(target=fund, args=("a", ann, a))]
    threads[0].start()
    queued(1)
    time.sleep(0.2)  # it leads, and waits for a
    for name, investor, invoice_id in (("b", bob, b), ("c", cat, c)):
        threads.append(threading.Thread(target=fund, args=(name, investor, invoice_id)))
        threads[-1].start()
    queued(3)
    holders[0].rollback()  # a is free; b is still held
    threads[0].join(10)
    threads[2].join(10)
    assert answers == {"a": 201, "c": 201} and batches == [2]
    holders[1].rollback()
    threads[1].join(10)
    assert answers["b"] == 201 and batches == [2, 1]
    for holder in holders:
        holder.close()
    assert verify_ledger() == []
