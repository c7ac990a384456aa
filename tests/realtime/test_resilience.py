"""What must hold on a real worker: a request stuck on a row lock does not stall the event
loop, and a Redis outage degrades events, never money."""

from __future__ import annotations

import shutil
import subprocess
import threading
import time

import psycopg2
import pytest
import requests

from config import database_url
from deploy.cluster import free_port

from .conftest import PASSWORD, Listener, list_invoice, make_cluster, register, require_redis

pytestmark = [pytest.mark.postgres, pytest.mark.slow]


@pytest.mark.parametrize("async_mode", ["eventlet", "gevent"])
def test_a_request_waiting_on_a_row_lock_does_not_block_the_worker(cluster_database, async_mode):
    require_redis()
    with make_cluster(cluster_database, async_mode) as cluster:
        a, b = cluster.worker_urls
        seller, investor, watcher = (
            register(b, "seller"),
            register(a, "investor"),
            register(a, "investor"),
        )
        invoice = list_invoice(b, seller).json()["invoice"]
        watcher_on_a = Listener(a, watcher["access_token"])

        dsn = database_url(cluster_database).replace("postgresql+psycopg2", "postgresql")
        locker = psycopg2.connect(dsn)
        cursor = locker.cursor()
        cursor.execute("SELECT id FROM invoices WHERE id = %s FOR UPDATE", (invoice["id"],))
        outcome = {}

        def fund():
            outcome["response"] = requests.post(
                f"{a}/api/invoices/{invoice['id']}/fund",
                json={"amount": 100_000_00},
                headers=investor["headers"],
                timeout=30,
            )

        funding = threading.Thread(target=fund)
        funding.start()
        time.sleep(0.5)  # the funding request is now waiting on the lock, inside worker A
        assert funding.is_alive()

        started = time.monotonic()
        assert requests.get(f"{a}/api/health", timeout=5).status_code == 200
        health_seconds = time.monotonic() - started
        other = list_invoice(b, seller).json()["invoice"]
        _, arrived = watcher_on_a.wait_for(
            "newInvoiceListed", lambda d: d["invoice"]["id"] == other["id"]
        )
        event_seconds = arrived - started

        locker.rollback()
        locker.close()
        funding.join(timeout=30)
        watcher_on_a.close()
        assert outcome["response"].status_code == 201
        assert health_seconds < 0.5, (
            f"health took {health_seconds:.2f}s while a request waited on a lock"
        )
        assert event_seconds < 1.0, (
            f"an event took {event_seconds:.2f}s while a request waited on a lock"
        )


@pytest.fixture
def private_redis():
    server = shutil.which("redis-server") or "/usr/bin/redis-server"
    port = free_port()

    def start():
        proc = subprocess.Popen(
            [
                server,
                "--port",
                str(port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            stdout=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                import redis

                redis.Redis(port=port).ping()
                return proc
            except Exception:
                time.sleep(0.05)
        raise RuntimeError("private redis-server did not start")

    state = {"proc": start(), "start": start, "url": f"redis://127.0.0.1:{port}/0"}
    yield state
    if state["proc"].poll() is None:
        state["proc"].kill()


def test_redis_outage_keeps_money_moving_and_events_resume_with_a_resync(
    cluster_database, private_redis
):
    with make_cluster(cluster_database, "eventlet", redis_url=private_redis["url"]) as cluster:
        a, b = cluster.worker_urls
        seller, investor = register(a, "seller"), register(b, "investor")
        on_a, on_b = Listener(a, seller["access_token"]), Listener(b, investor["access_token"])
        invoice = list_invoice(a, seller).json()["invoice"]
        on_b.wait_for("newInvoiceListed", lambda d: d["invoice"]["id"] == invoice["id"])

        away = Listener(b, investor["access_token"])  # will be away during the outage
        away.wait_for("ready")
        resume_from = away.last_offset()
        away.close()
        private_redis["proc"].kill()
        private_redis["proc"].wait()
        health = requests.get(f"{b}/api/health", timeout=5)
        assert health.status_code == 200 and health.json()["message_queue"] == "down"
        response = requests.post(
            f"{b}/api/invoices/{invoice['id']}/fund",
            json={"amount": 100_000_00},
            headers=investor["headers"],
            timeout=10,
        )
        assert response.status_code == 201
        assert list_invoice(a, seller).status_code == 201
        # rate limits live in Redis too: they fail open rather than lock everyone out
        login = requests.post(
            f"{a}/api/auth/login",
            json={"email": seller["user"]["email"], "password": PASSWORD},
            timeout=10,
        )
        assert login.status_code == 200

        private_redis["proc"] = private_redis["start"]()
        on_a.wait_for("resync", timeout=15)
        on_b.wait_for("resync", timeout=15)
        assert requests.get(f"{a}/api/health", timeout=5).json()["message_queue"] == "ok"
        after = list_invoice(a, seller).json()["invoice"]
        on_b.wait_for("newInvoiceListed", lambda d: d["invoice"]["id"] == after["id"], timeout=10)
        # events published during the outage are lost: a client that was away must refetch
        back = Listener(b, investor["access_token"], offset=resume_from)
        back.wait_for("resync")
        assert "recovered" not in back.names()
        back.close()
        on_a.close()
        on_b.close()
