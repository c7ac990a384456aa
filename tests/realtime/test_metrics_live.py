"""Metrics on real processes: each web worker's /metrics and the job worker's, the socket gauge
through connects, disconnects, the auth-timeout drop and a client killed outright."""

from __future__ import annotations

import re
import signal
import subprocess
import sys
import time

import pytest
import requests

from deploy.cluster import ROOT

from .conftest import FAST_ENV, Listener, list_invoice, make_cluster, register, require_redis

pytestmark = [pytest.mark.postgres, pytest.mark.slow]
TOKEN = "live-metrics-token"


@pytest.fixture(scope="module")
def cluster(cluster_database):
    require_redis()
    env = {**FAST_ENV, "METRICS_TOKEN": TOKEN, "SOCKET_AUTH_TIMEOUT": "2"}
    running = make_cluster(cluster_database, "eventlet", env=env, job_workers=1).start()
    yield running
    running.stop()


def scrape(url: str) -> str:
    response = requests.get(
        f"{url}/metrics", headers={"Authorization": f"Bearer {TOKEN}"}, timeout=5
    )
    assert response.status_code == 200
    return response.text


def value(text: str, name: str, **labels) -> float:
    for line in text.splitlines():
        if line.startswith(name):
            found = dict(re.findall(r'(\w+)="([^"]*)"', line))
            if all(found.get(k) == v for k, v in labels.items()):
                return float(line.rsplit(" ", 1)[1])
    return 0.0


def sockets(url: str) -> tuple[float, float]:
    text = scrape(url)
    return (
        value(text, "invoiceapp_socket_connections", state="authenticated"),
        value(text, "invoiceapp_socket_connections", state="unauthenticated"),
    )


def settle(url: str, expected: tuple[float, float], timeout: float = 6.0) -> None:
    deadline = time.monotonic() + timeout
    while sockets(url) != expected:
        assert time.monotonic() < deadline, f"{sockets(url)} != {expected}"
        time.sleep(0.1)


KILLED_CLIENT = """
import socketio, sys, time
client = socketio.Client()
client.connect(sys.argv[1], auth={"token": sys.argv[2]}, transports=["websocket"])
print("connected", flush=True)
time.sleep(60)
"""


def test_the_socket_gauge_follows_connects_disconnects_drops_and_kills(cluster):
    a, _ = cluster.worker_urls
    investor = register(a, "investor")
    baseline = sockets(a)
    listener = Listener(a, investor["access_token"])
    listener.wait_for("ready")
    idle = Listener.__new__(Listener)
    import socketio

    idle.client = socketio.Client(reconnection=False)
    idle.client.connect(a, transports=["websocket"])  # never authenticates
    settle(a, (baseline[0] + 1, baseline[1] + 1))
    listener.close()
    settle(a, (baseline[0], baseline[1] + 1))
    settle(a, baseline)  # the unauthenticated one is dropped after SOCKET_AUTH_TIMEOUT
    killed = subprocess.Popen(
        [sys.executable, "-c", KILLED_CLIENT, a, investor["access_token"]],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert killed.stdout.readline().strip() == "connected"
    settle(a, (baseline[0] + 1, baseline[1]))
    killed.send_signal(signal.SIGKILL)
    killed.wait(5)
    settle(a, baseline)


def test_fundings_and_the_job_worker_are_measured(cluster):
    a, b = cluster.worker_urls
    seller, investor = register(a, "seller"), register(b, "investor")
    invoice = list_invoice(a, seller).json()["invoice"]
    before = value(scrape(b), "invoiceapp_fundings_total", source="manual")
    requests.post(
        f"{b}/api/invoices/{invoice['id']}/fund",
        json={"amount": 100_000_00},
        headers=investor["headers"],
        timeout=10,
    )
    text = scrape(b)
    assert value(text, "invoiceapp_fundings_total", source="manual") == before + 1
    assert value(text, "invoiceapp_message_queue_up") == 1
    assert requests.get(f"{a}/metrics", timeout=5).status_code == 404
    worker = f"http://127.0.0.1:{cluster.job_metrics_ports[0]}"
    deadline = time.monotonic() + 10
    while True:
        try:
            jobs = scrape(worker)
            break
        except requests.ConnectionError:
            assert time.monotonic() < deadline
            time.sleep(0.2)
    for name in (
        "invoiceapp_jobs_pending",
        "invoiceapp_job_lag_seconds",
        "invoiceapp_jobs_failed_total",
    ):
        assert name in jobs
    assert requests.get(f"{worker}/metrics", timeout=5).status_code == 404


def test_a_catch_up_is_measured(cluster):
    a, _ = cluster.worker_urls
    seller, investor = register(a, "seller"), register(a, "investor")
    listener = Listener(a, investor["access_token"])
    first = list_invoice(a, seller).json()["invoice"]
    listener.wait_for("invoiceUpdated", lambda d: d["invoice"]["id"] == first["id"])
    resume_from = listener.last_offset()
    listener.close()
    list_invoice(a, seller)
    list_invoice(a, seller)
    before = scrape(a)

    back = Listener(a, investor["access_token"], offset=resume_from)
    recovered, _ = back.wait_for("recovered")
    back.close()
    after = scrape(a)
    assert recovered["replayed"] >= 4  # two listings, each newInvoiceListed + invoiceUpdated
    for name, grew_by in (
        ("invoiceapp_catch_up_seconds_count", 1),
        ("invoiceapp_events_replayed_total", recovered["replayed"]),
    ):
        assert value(after, name) == value(before, name) + grew_by
