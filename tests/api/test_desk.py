"""Group commit: fundings of one invoice arriving together are booked in one transaction, each
answered as if it had come alone after the ones before it."""

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


def test_a_rush_on_one_invoice_is_booked_in_batches_and_answered_one_by_one(pg_app, monkeypatch):
    from tests.factories import Factory

    factory = Factory(pg_app.test_client())
    seller = factory.user("seller")
    investors = [factory.user("investor") for _ in range(30)]
    invoice = factory.invoice(
        seller, amount=1_000_000, discount_rate_bps=0
    )  # room for 10 of ₹1,000
    batches = []
    real = funding.fund_batch_in

    def recording(session, invoice, requests):
        batches.append(len(requests))
        return real(session, invoice, requests)

    monkeypatch.setattr(funding, "fund_batch_in", recording)
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


def test_in_one_batch_each_investor_pays_only_what_its_wallet_holds(pg_app, monkeypatch):
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


def test_requests_that_queue_behind_another_process_join_one_batch(pg_app, monkeypatch):
    """While another process holds the invoice's row lock, the leader waits for it with its
    batch still open: every request that arrived meanwhile is booked with it."""
    from sqlalchemy import create_engine, text

    from invoiceapp.api.desk import desk
    from tests.factories import Factory

    factory = Factory(pg_app.test_client())
    seller = factory.user("seller")
    investors = [factory.user("investor") for _ in range(6)]
    invoice = factory.invoice(seller, amount=10**10, discount_rate_bps=0)
    batches = []
    real = funding.fund_batch_in
    monkeypatch.setattr(
        funding, "fund_batch_in", lambda s, i, r: batches.append(len(r)) or real(s, i, r)
    )
    other = create_engine(pg_app.config["DATABASE_URL"]).connect()
    other.execute(text("SELECT 1 FROM invoices WHERE id = :id FOR UPDATE"), {"id": invoice["id"]})
    done = []
    rush = threading.Thread(
        target=lambda: done.extend(
            together(pg_app, [(inv, invoice["id"], 100_000, None) for inv in investors])
        )
    )
    rush.start()
    deadline = time.monotonic() + 10
    while len(desk._queues.get(invoice["id"], ())) < len(investors) - 1:
        assert time.monotonic() < deadline, "the requests never queued"
        time.sleep(0.01)
    time.sleep(0.2)  # the last one, leading, is waiting for the row lock
    other.rollback()
    other.close()
    rush.join(30)
    assert [r.status_code for r in done] == [201] * len(investors)
    assert batches == [len(investors)]
    assert verify_ledger() == []
