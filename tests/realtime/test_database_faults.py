"""When the connection to PostgreSQL breaks, on real workers behind a TCP proxy the test can cut:
dead connections are retried before COMMIT (no 5xx), an unreachable database is a quick 503,
a COMMIT whose answer never came is `outcome_unknown` and the Idempotency-Key then tells the
truth, and a lock held too long is `busy` with nothing booked."""

from __future__ import annotations

import threading
import time
import uuid

import psycopg2
import pytest
import requests

from config import database_url
from tests.support.tcp_proxy import TcpProxy

from .conftest import FAST_ENV, Listener, list_invoice, make_cluster, register, require_redis

pytestmark = [pytest.mark.postgres, pytest.mark.slow]


def direct(url: str):
    return psycopg2.connect(database_url(url).replace("postgresql+psycopg2", "postgresql"))


@pytest.fixture(scope="module")
def proxied(cluster_database):
    """Two workers whose every database connection goes through the proxy."""
    require_redis()
    proxy = TcpProxy("127.0.0.1", 5432)
    host = cluster_database.rsplit("/", 1)[0]
    through_proxy = cluster_database.replace(host, f"postgresql://postgres@127.0.0.1:{proxy.port}")
    env = {**FAST_ENV, "DB_LOCK_TIMEOUT_MS": "1000", "DB_CONNECT_TIMEOUT": "2"}
    cluster = make_cluster(through_proxy, "eventlet", env=env).start()
    yield cluster, proxy
    cluster.stop()
    proxy.close()


def fund(url, investor, invoice_id, amount, key=None, timeout=15):
    headers = dict(investor["headers"])
    if key:
        headers["Idempotency-Key"] = key
    return requests.post(
        f"{url}/api/invoices/{invoice_id}/fund",
        json={"amount": amount},
        headers=headers,
        timeout=timeout,
    )


def balance(url, user) -> int:
    return requests.get(f"{url}/api/wallet", headers=user["headers"], timeout=10).json()["wallet"][
        "balance"
    ]


def test_terminated_backends_under_load_answer_no_5xx_and_keep_every_funding(
    proxied, cluster_database
):
    cluster, _ = proxied
    a, b = cluster.worker_urls
    seller = register(a, "seller")
    investors = [register(a, "investor") for _ in range(6)]
    invoice = list_invoice(a, seller, amount=10**10, discount_rate_bps=0).json()["invoice"]
    statuses, refusals, stop = [], [], threading.Event()

    def load(investor, url):
        while not stop.is_set():
            key = uuid.uuid4().hex
            response = fund(url, investor, invoice["id"], 100_000, key=key)
            while response.status_code == 503 and response.json()["error"]["code"] == (
                "outcome_unknown"
            ):  # terminated with its COMMIT in flight: ask again with the key, as a client does
                response = fund(url, investor, invoice["id"], 100_000, key=key)
            statuses.append(response.status_code)
            if response.status_code != 201:
                refusals.append(response.text)

    threads = [
        threading.Thread(target=load, args=(inv, (a, b)[n % 2])) for n, inv in enumerate(investors)
    ]
    for thread in threads:
        thread.start()
    killer = direct(cluster_database)
    killer.autocommit = True
    name = cluster_database.rsplit("/", 1)[1]
    for _ in range(3):
        time.sleep(0.7)
        with killer.cursor() as cursor:  # a failover, or a pooler's idle timeout
            cursor.execute(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                "WHERE datname = %s AND pid <> pg_backend_pid()",
                (name,),
            )
            assert cursor.fetchone()[0] > 0
    time.sleep(0.7)
    stop.set()
    for thread in threads:
        thread.join(20)
    killer.close()
    assert statuses and not refusals, refusals
    funded = requests.get(
        f"{a}/api/invoices/{invoice['id']}", headers=seller["headers"], timeout=10
    ).json()
    assert funded["invoice"]["funded_amount"] == 100_000 * len(statuses)


def test_an_unreachable_database_is_a_quick_503_and_recovery_needs_no_restart(proxied):
    cluster, proxy = proxied
    a, b = cluster.worker_urls
    seller, investor = register(a, "seller"), register(b, "investor")
    invoice = list_invoice(a, seller).json()["invoice"]
    watcher = Listener(b, investor["access_token"])
    watcher.wait_for("ready")
    proxy.cut()
    try:
        ended = time.monotonic() + 5
        while time.monotonic() < ended:
            for url in (a, b):
                started = time.monotonic()
                response = fund(url, investor, invoice["id"], 100_000_00)
                took = time.monotonic() - started
                assert response.status_code == 503, response.text
                body = response.json()["error"]
                assert body["code"] == "service_unavailable" and response.headers["Retry-After"]
                assert took < 3, f"{took:.1f}s to say the database is unreachable"
            health = requests.get(f"{a}/api/health", timeout=5)
            assert health.status_code == 503 and health.json()["database"] == "down"
            time.sleep(0.5)
        assert watcher.client.connected  # Socket.IO stays up meanwhile
    finally:
        proxy.restore()
    back = time.monotonic()
    while fund(b, investor, invoice["id"], 100_000_00).status_code != 201:
        assert time.monotonic() - back < 5, "not back within 5 s of the network's return"
        time.sleep(0.2)
    assert requests.get(f"{a}/api/health", timeout=5).json()["database"] == "ok"
    watcher.close()


def test_a_commit_whose_answer_is_lost_is_outcome_unknown_and_the_key_tells_the_truth(proxied):
    cluster, proxy = proxied
    a, b = cluster.worker_urls
    seller, investor = register(a, "seller"), register(a, "investor")
    invoice = list_invoice(a, seller).json()["invoice"]
    before = balance(b, investor)
    proxy.break_next_commit()
    first = fund(a, investor, invoice["id"], 200_000_00, key="commit-lost")
    assert proxy.broken_commits >= 1
    assert first.status_code == 503 and first.json()["error"]["code"] == "outcome_unknown"
    assert first.headers["Retry-After"]
    retry = fund(b, investor, invoice["id"], 200_000_00, key="commit-lost")
    assert retry.status_code == 201 and retry.headers["Idempotent-Replayed"] == "true"
    assert balance(b, investor) == before - 200_000_00  # it happened, once


def test_a_lock_held_past_the_lock_timeout_is_busy_and_books_nothing(proxied, cluster_database):
    cluster, _ = proxied
    a, b = cluster.worker_urls
    seller, investor = register(a, "seller"), register(a, "investor")
    locked, free = (list_invoice(a, seller).json()["invoice"] for _ in range(2))
    before = balance(a, investor)
    holder = direct(cluster_database)
    with holder.cursor() as cursor:
        cursor.execute("SELECT id FROM invoices WHERE id = %s FOR UPDATE", (locked["id"],))
        started = time.monotonic()
        response = fund(a, investor, locked["id"], 100_000_00)
        took = time.monotonic() - started
        assert response.status_code == 503 and response.json()["error"]["code"] == "busy"
        assert response.headers["Retry-After"] and took < 3
        assert fund(b, investor, free["id"], 100_000_00).status_code == 201  # others go on
    holder.rollback()
    holder.close()
    assert balance(a, investor) == before - 100_000_00
