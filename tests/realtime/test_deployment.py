"""The deployment pieces: nginx in front of two workers (sticky, WebSocket upgrades), the
Origin check of the handshake, and `flask listen-events` for operators."""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import time

import pytest
import requests

from deploy.cluster import NGINX, ROOT

from .conftest import FAST_ENV, IN_CI, Listener, list_invoice, make_cluster, register, require_redis

pytestmark = [pytest.mark.postgres, pytest.mark.slow]


@pytest.fixture(scope="module")
def cluster(cluster_database):
    require_redis()
    if not (shutil.which("nginx") or os.path.exists(NGINX)):
        if IN_CI:
            pytest.fail("nginx is not installed: .ci/run installs it")
        pytest.skip("nginx is not installed (apt-get install nginx)")
    running = make_cluster(
        cluster_database,
        "eventlet",
        nginx=True,
        env={**FAST_ENV, "FRONTEND_URL": "http://localhost:5173"},
    ).start()
    yield running
    running.stop()


@pytest.mark.parametrize("transport", ["websocket", "polling"])
def test_events_flow_through_nginx(cluster, transport):
    a, _ = cluster.worker_urls
    seller, investor = register(cluster.url, "seller"), register(cluster.url, "investor")
    through_nginx = Listener(cluster.url, investor["access_token"], transport)
    invoice = list_invoice(a, seller).json()["invoice"]
    through_nginx.wait_for("newInvoiceListed", lambda d: d["invoice"]["id"] == invoice["id"])
    through_nginx.close()


def test_keep_alive_answers_are_not_held_back_by_nagle(cluster):
    """An answer bigger than the worker's 2 KiB write buffer leaves in several writes; with
    Nagle's algorithm on, the last one waited for the client's delayed ACK: ~40 ms added to
    every such answer on a kept-alive connection (what browsers use)."""
    a, _ = cluster.worker_urls
    seller, investor = register(a, "seller"), register(a, "investor")
    for _ in range(8):
        list_invoice(a, seller)
    session = requests.Session()
    took = []
    for _ in range(15):
        started = time.perf_counter()
        page = session.get(
            f"{a}/api/invoices?status=listed", headers=investor["headers"], timeout=10
        )
        took.append(time.perf_counter() - started)
        assert page.status_code == 200 and len(page.content) > 4096
    assert statistics.median(took) < 0.030, took


@pytest.mark.parametrize(
    "origin,allowed",
    [
        (None, True),
        ("own", True),
        ("http://localhost:5173", True),
        ("http://evil.example", False),
        ("null", False),
    ],
)
def test_handshake_origin_must_be_the_apps_own_or_frontend_url(cluster, origin, allowed):
    url = cluster.url
    headers = {}
    if origin == "own":
        headers["Origin"] = url
    elif origin:
        headers["Origin"] = origin
    response = requests.get(f"{url}/socket.io/?EIO=4&transport=polling", headers=headers, timeout=5)
    assert (response.status_code == 200) is allowed, response.text
    if allowed and origin:
        assert response.headers.get("Access-Control-Allow-Origin") == headers["Origin"]


def test_listen_events_prints_what_arrives(cluster):
    a, b = cluster.worker_urls
    seller, investor = register(a, "seller"), register(a, "investor")
    env = {
        **os.environ,
        **FAST_ENV,
        "JWT_SECRET_KEY": cluster.secret,
        "DATABASE_URL": cluster.database_url,
        "REDIS_URL": cluster.redis_url,
    }
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "flask",
            "--app",
            "invoiceapp",
            "listen-events",
            "--url",
            b,
            "--token",
            investor["access_token"],
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and "connected" not in proc.stderr.readline():
            pass
        assert '"event": "ready"' in proc.stdout.readline()  # live from here
        invoice = list_invoice(a, seller).json()["invoice"]
        line = proc.stdout.readline()
        assert '"event": "newInvoiceListed"' in line and f'"id": {invoice["id"]}' in line
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_start_up_says_where_and_how_it_serves(tmp_path):
    from deploy.cluster import free_port, wait_healthy
    from tests.support.databases import migrate

    port, db_url = free_port(), f"sqlite:///{tmp_path / 'start.db'}"
    migrate(db_url)
    env = {
        **os.environ,
        "PORT": str(port),
        "HOST": "127.0.0.1",
        "DATABASE_URL": db_url,
        "LOG_LEVEL": "INFO",
    }
    env.pop("REDIS_URL", None)
    log = tmp_path / "server.log"
    proc = subprocess.Popen(
        [sys.executable, str(ROOT / "wsgi.py")],
        cwd=ROOT,
        env=env,
        stdout=open(log, "wb"),
        stderr=subprocess.STDOUT,
    )
    try:
        wait_healthy(f"http://127.0.0.1:{port}", proc=proc)
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    line = next(line for line in log.read_text().splitlines() if "serving on" in line)
    assert f"http://localhost:{port}" in line
    assert "embedded (one process)" in line and "SQLite" in line and "async mode eventlet" in line
