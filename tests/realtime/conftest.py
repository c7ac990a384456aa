"""Real servers: workers started as the Procfile starts them (`python wsgi.py`), on PostgreSQL
and Redis, with python-socketio clients connected to them."""

from __future__ import annotations

import os
import threading
import time
import uuid
from datetime import date, timedelta

import psycopg2
import pytest
import redis
import requests
import socketio

from deploy.cluster import Cluster
from invoiceapp.extensions import socketio as app_socketio
from tests.conftest import IN_CI, create_postgres_database
from tests.support.databases import drop_database, migrate

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
PASSWORD = "realtime-pass-2026"
FAST_ENV = {
    "ARGON2_TIME_COST": "1",
    "ARGON2_MEMORY_KIB": "8192",
    "LOGIN_RATE_LIMIT": "10000/minute",
    "REGISTER_RATE_LIMIT": "10000/minute",
    "LOGIN_ACCOUNT_RATE_LIMIT": "10000/minute",
    "LISTING_RATE_LIMIT": "100000/minute",
    "LOG_LEVEL": "WARNING",
}


def require_redis(url: str = REDIS_URL) -> None:
    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except redis.RedisError:
        if IN_CI:
            pytest.fail("Redis is unreachable and CI is set: it must run here")
        pytest.skip("Redis is unreachable (CI unset)")


@pytest.fixture(scope="module")
def cluster_database():
    url = create_postgres_database("invoiceapp_cluster")
    migrate(url)
    yield url
    drop_database(url)


class Listener:
    """A python-socketio client that records every event it receives."""

    def __init__(
        self, url: str, token: str, transport: str = "websocket", offset: str | None = None
    ):
        self.events: list[tuple[str, dict, float]] = []
        self.cond = threading.Condition()
        self.client = socketio.Client(reconnection=False)
        self.client.on("*", self._record)
        credentials = {"token": token, **({"offset": offset} if offset else {})}
        self.client.connect(url, auth=credentials, transports=[transport], wait_timeout=10)

    def _record(self, event, data):
        with self.cond:
            self.events.append((event, data, time.monotonic()))
            self.cond.notify_all()

    def wait_for(self, event: str, match=lambda data: True, timeout: float = 10.0):
        deadline = time.monotonic() + timeout
        with self.cond:
            while True:
                for name, data, at in self.events:
                    if name == event and match(data):
                        return data, at
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise AssertionError(f"no {event} within {timeout}s; got {self.names()}")
                self.cond.wait(remaining)

    def names(self) -> list[str]:
        return [name for name, _, _ in self.events]

    def domain_events(self) -> list[tuple[str, dict]]:
        """The events that carry an offset (not ready/recovered/resync), in arrival order."""
        with self.cond:
            return [
                (name, data)
                for name, data, _ in self.events
                if "offset" in data and name != "ready"
            ]

    def last_offset(self) -> str:
        """Where this client would resume: its last event's offset, else `ready`'s."""
        with self.cond:
            for _, data, _ in reversed(self.events):
                if "offset" in data:
                    return data["offset"]
        raise AssertionError("no offset yet")

    def close(self):
        self.client.disconnect()


def register(base_url: str, role: str) -> dict:
    response = requests.post(
        f"{base_url}/api/auth/register",
        json={
            "email": f"{role}-{uuid.uuid4().hex[:10]}@example.com",
            "password": PASSWORD,
            "name": role.title(),
            "role": role,
        },
        timeout=10,
    )
    assert response.status_code == 201, response.text
    body = response.json()
    body["headers"] = {"Authorization": f"Bearer {body['access_token']}"}
    return body


def list_invoice(base_url: str, seller: dict, **overrides) -> requests.Response:
    body = {
        "invoice_number": f"INV-{uuid.uuid4().hex[:8]}",
        "buyer_name": "Buyer Ltd",
        "amount": 500_000_00,
        "due_date": (date.today() + timedelta(days=40)).isoformat(),
        "discount_rate_bps": 900,
    }
    body.update(overrides)
    return requests.post(
        f"{base_url}/api/invoices", json=body, headers=seller["headers"], timeout=10
    )


# --- in-process: Flask-SocketIO's test client (no message queue) ----------------------------


@pytest.fixture
def connect(app, client):
    sockets = []

    def _connect(user=None, token=None):
        if token is None and user is not None:
            token = user.access_token
        auth = {"token": token} if token is not None else None
        sock = app_socketio.test_client(app, flask_test_client=client, auth=auth)
        sockets.append(sock)
        if token is not None and sock.is_connected():
            wait_until_ready(sock)
        return sock

    yield _connect
    for sock in sockets:
        if sock.is_connected():
            sock.disconnect()


def wait_until_ready(sock, timeout: float = 5.0) -> list[dict]:
    """The catch-up after a connect runs once the CONNECT is answered: wait for its `ready`."""
    deadline = time.monotonic() + timeout
    received = []
    while time.monotonic() < deadline:
        received += sock.get_received()
        if any(packet["name"] in ("ready", "resync") for packet in received):
            return received
        time.sleep(0.01)
    raise AssertionError(f"no ready within {timeout}s: {received}")


def events(sock) -> dict[str, list[dict]]:
    return grouped(sock.get_received())


def grouped(packets: list[dict]) -> dict[str, list[dict]]:
    """Received packets by event name, each name's payloads in the order they came."""
    received: dict[str, list[dict]] = {}
    for packet in packets:
        received.setdefault(packet["name"], []).append(packet["args"][0])
    return received


# --- real servers -------------------------------------------------------------------------


def wait_for_job_workers(database_url: str, timeout: float = 60) -> None:
    """A job worker's first tick runs the daily run for yesterday: its row says the loop runs
    (a worker takes seconds to start on a slow machine; the timing goals are a running one's)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with psycopg2.connect(database_url) as conn, conn.cursor() as cur:
            cur.execute("SELECT count(*) FROM daily_runs")
            if cur.fetchone()[0]:
                return
        time.sleep(0.1)
    raise AssertionError("no job worker ticked")


def make_cluster(
    database_url: str, async_mode: str, redis_url: str = REDIS_URL, env=None, **kwargs
) -> Cluster:
    """Two workers; start with `with make_cluster(...) as cluster:` or `.start()`."""
    return Cluster(
        workers=2,
        database_url=database_url,
        redis_url=redis_url,
        async_mode=async_mode,
        env=env or FAST_ENV,
        **kwargs,
    )
