"""Durable events on real workers: a client that comes back with its offset gets exactly what
it missed, in order, from any worker, then live events with no gap and no repeat; or `resync`
when that cannot be done. Offsets follow the order in which commits are published, so a
transaction that started first but committed last is never skipped."""

from __future__ import annotations

import statistics
import threading
import time
import uuid
from datetime import date, timedelta

import pytest
import requests

from config import TestConfig

from .conftest import Listener, list_invoice, make_cluster, register, require_redis

pytestmark = [pytest.mark.postgres, pytest.mark.slow]


def position(offset: str) -> tuple[int, int]:
    _, ms, seq = offset.split("-")
    return int(ms), int(seq)


@pytest.fixture(scope="module")
def cluster(cluster_database):
    require_redis()
    running = make_cluster(cluster_database, "eventlet").start()
    yield running
    running.stop()


def fund(url: str, investor: dict, invoice_id: int, amount: int) -> None:
    response = requests.post(
        f"{url}/api/invoices/{invoice_id}/fund",
        json={"amount": amount},
        headers=investor["headers"],
        timeout=10,
    )
    assert response.status_code == 201, response.text


def ready(listener: Listener) -> str:
    data, _ = listener.wait_for("ready")
    return data["offset"]


def test_a_client_that_missed_events_gets_exactly_them_in_order_on_the_other_worker(cluster):
    a, b = cluster.worker_urls
    seller, investor, other = (
        register(a, "seller"),
        register(a, "investor"),
        register(b, "investor"),
    )
    witness = Listener(a, investor["access_token"])  # stays connected throughout
    subject = Listener(a, investor["access_token"])
    ready(witness), ready(subject)
    first = list_invoice(a, seller).json()["invoice"]
    subject.wait_for("invoiceUpdated", lambda d: d["invoice"]["id"] == first["id"])
    resume_from = subject.last_offset()
    subject.close()

    # Missed: listings on both workers, the investor's own funding (private events) and
    # someone else's (only the broadcast reaches this investor).
    second = list_invoice(a, seller).json()["invoice"]
    fund(b, investor, second["id"], 200_000_00)
    third = list_invoice(b, seller).json()["invoice"]
    fund(a, other, third["id"], 100_000_00)
    witness.wait_for(
        "invoiceUpdated",
        lambda d: d["invoice"]["id"] == third["id"] and d["invoice"]["version"] == 2,
    )
    time.sleep(0.3)
    missed = [
        (name, data["event_id"])
        for name, data in witness.domain_events()
        if position(data["offset"]) > position(resume_from)
    ]
    assert {"newInvoiceListed", "investmentSuccess", "walletUpdated", "portfolioUpdate"} <= {
        n for n, _ in missed
    }
    live = [position(data["offset"]) for _, data in witness.domain_events()]
    assert live == sorted(live)  # each commit's events, written together, arrive in order

    back = Listener(b, investor["access_token"], offset=resume_from)
    recovered, _ = back.wait_for("recovered")
    replayed = [(name, data["event_id"]) for name, data in back.domain_events()]
    assert replayed == missed
    assert recovered["replayed"] == len(missed)
    offsets = [position(data["offset"]) for _, data in back.domain_events()]
    assert offsets == sorted(offsets)

    # then live, with no gap and no repeat at the switch
    fourth = list_invoice(a, seller).json()["invoice"]
    back.wait_for("invoiceUpdated", lambda d: d["invoice"]["id"] == fourth["id"])
    time.sleep(0.3)
    ids = [data["event_id"] for _, data in back.domain_events()]
    assert len(ids) == len(set(ids))
    assert back.names().index("recovered") < back.names().index("ready")
    for listener in (witness, back):
        listener.close()


def test_out_of_order_commits_are_never_skipped(cluster):
    """T1 starts first, T2 commits first: a client that saw T2's events must still get T1's."""
    from invoiceapp import create_app, db
    from invoiceapp.services import invoices

    a, _ = cluster.worker_urls
    seller, investor = register(a, "seller"), register(a, "investor")
    create_app(
        TestConfig(cluster.database_url, REDIS_URL=cluster.redis_url, REDIS_CHANNEL=cluster.channel)
    )
    listener = Listener(a, investor["access_token"])
    ready(listener)

    def listing(number: str) -> invoices.NewInvoice:
        return invoices.NewInvoice(
            invoice_number=number,
            buyer_name="Buyer Ltd",
            amount=500_000_00,
            due_date=date.today() + timedelta(days=40),
            discount_rate_bps=900,
        )

    release, started = threading.Event(), threading.Event()
    slow = {}

    def first_transaction():
        def work(session):
            slow["invoice"] = invoices.list_invoice(
                seller["user"]["id"], listing(f"T1-{uuid.uuid4().hex[:6]}")
            )
            started.set()
            release.wait(10)

        db.transaction(work)

    thread = threading.Thread(target=first_transaction)
    thread.start()
    started.wait(10)
    fast = invoices.list_invoice(seller["user"]["id"], listing(f"T2-{uuid.uuid4().hex[:6]}"))
    listener.wait_for("invoiceUpdated", lambda d: d["invoice"]["id"] == fast.id)
    saw_t2 = listener.last_offset()
    listener.close()
    release.set()
    thread.join(10)

    back = Listener(a, investor["access_token"], offset=saw_t2)
    recovered, _ = back.wait_for("recovered")
    replayed = back.domain_events()
    assert [(name, data["invoice"]["id"]) for name, data in replayed] == [
        ("newInvoiceListed", slow["invoice"].id),
        ("invoiceUpdated", slow["invoice"].id),
    ]
    assert recovered["replayed"] == 2
    back.close()


def test_replay_never_shows_another_users_private_events(cluster):
    a, b = cluster.worker_urls
    seller, me, someone = register(a, "seller"), register(a, "investor"), register(b, "investor")
    invoice = list_invoice(a, seller).json()["invoice"]
    mine = Listener(a, me["access_token"])
    resume_from = ready(mine)
    mine.close()
    fund(b, someone, invoice["id"], 150_000_00)
    time.sleep(0.5)
    back = Listener(b, me["access_token"], offset=resume_from)
    back.wait_for("recovered")
    names = [name for name, _ in back.domain_events()]
    assert names == ["invoiceUpdated"]
    back.close()


@pytest.mark.parametrize("offset", ["nonsense", "deadbeef-1-0", "-1-0", "x" * 100])
def test_an_unknown_offset_gets_resync(cluster, offset):
    a, _ = cluster.worker_urls
    investor = register(a, "investor")
    listener = Listener(a, investor["access_token"], offset=offset)
    listener.wait_for("resync")
    ready(listener)
    assert "recovered" not in listener.names()
    listener.close()


def test_an_offset_from_the_future_gets_resync(cluster):
    a, _ = cluster.worker_urls
    investor = register(a, "investor")
    live = Listener(a, investor["access_token"])
    epoch = ready(live).split("-")[0]
    live.close()
    future = f"{epoch}-{int(time.time() * 1000) + 86_400_000}-0"
    listener = Listener(a, investor["access_token"], offset=future)
    listener.wait_for("resync")
    listener.close()


def test_replay_latency(cluster, capsys):
    """Connect to recovered, for a client that missed 100 events, then 1,000."""
    a, b = cluster.worker_urls
    seller, investor = register(a, "seller"), register(a, "investor")
    figures = {}
    for missed in (100, 1000):
        listener = Listener(a, investor["access_token"])
        resume_from = ready(listener)
        listener.close()
        for _ in range(missed // 2):  # each listing is two events for an investor
            list_invoice(a, seller, amount=100_000_00)
        time.sleep(0.5)
        timings = []
        for _ in range(3):
            started = time.monotonic()
            back = Listener(b, investor["access_token"], offset=resume_from)
            recovered, arrived = back.wait_for("recovered", timeout=30)
            timings.append((arrived - started) * 1000)
            assert recovered["replayed"] == missed
            back.close()
        figures[missed] = statistics.median(timings)
    with capsys.disabled():
        print(
            "\nreplay, connect to `recovered` on the other worker (median of 3): "
            + ", ".join(f"{n} missed events {ms:.0f} ms" for n, ms in figures.items())
        )


def test_a_trimmed_history_gets_resync(cluster_database):
    """Retention: older than EVENT_RETENTION_SECONDS and beyond the newest
    EVENT_RETENTION_COUNT of a stream, events are dropped; a client that needed them resyncs."""
    from invoiceapp.realtime.bus import RedisBus, Retention

    with make_cluster(cluster_database, "eventlet") as cluster:
        a, _ = cluster.worker_urls
        seller, investor = register(a, "seller"), register(a, "investor")
        listener = Listener(a, investor["access_token"])
        resume_from = ready(listener)
        listener.close()
        for _ in range(6):
            list_invoice(a, seller, amount=100_000_00)
        time.sleep(1.2)
        RedisBus(cluster.redis_url, cluster.channel, Retention(seconds=1, count=4)).trim()
        back = Listener(a, investor["access_token"], offset=resume_from)
        back.wait_for("resync")
        back.close()
        # a client that only missed what is still kept gets its replay
        recent = Listener(a, investor["access_token"])
        resume_from = ready(recent)
        recent.close()
        list_invoice(a, seller, amount=100_000_00)
        time.sleep(0.3)
        again = Listener(a, investor["access_token"], offset=resume_from)
        recovered, _ = again.wait_for("recovered")
        assert recovered["replayed"] == 2
        again.close()
