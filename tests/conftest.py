"""Fixtures: `app` and `client` on SQLite and (where marked) PostgreSQL, a clean database per
test, and factories for users, tokens and invoices.

PostgreSQL is the machine's server at 127.0.0.1:5432 (override with TEST_POSTGRES_URL); each
run creates its own database. When it is unreachable, tests that need it are skipped, unless
CI is set: then they fail.
"""

from __future__ import annotations

import logging
import os
import re
import tempfile
import time
from pathlib import Path

import psycopg2
import pytest
from sqlalchemy import create_engine, text

from config import TestConfig
from invoiceapp import create_app, db
from invoiceapp.services import changes, notifications, portfolios
from tests.support.databases import create_database, drop_database, migrate

from .factories import Factory

# The server, without a database name: each run makes its own databases on it.
POSTGRES_SERVER_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432")
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
TABLES = [
    "audit_log",
    "notifications",
    "jobs",
    "daily_runs",
    "ledger_entries",
    "bids",
    "portfolio_totals",
    "unread_counts",
    "investments",
    "auto_invest_rules",
    "idempotency_keys",
    "auctions",
    "invoices",
    "revoked_tokens",
    "accounts",
    "users",
]


def postgres_available() -> bool:
    try:
        drop_database(f"{POSTGRES_SERVER_URL}/invoiceapp_probe_never_created")
        return True
    except psycopg2.Error:
        return False


def require_postgres() -> None:
    if not postgres_available():
        if IN_CI:
            pytest.fail("PostgreSQL is unreachable and CI is set: it must run here")
        pytest.skip("PostgreSQL is unreachable (CI unset)")


def create_postgres_database(prefix: str = "invoiceapp_test") -> str:
    """A fresh database on the test server; its URL (standard postgresql:// form)."""
    require_postgres()
    return create_database(POSTGRES_SERVER_URL, prefix)


@pytest.fixture(scope="session")
def sqlite_url(tmp_path_factory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"
    migrate(url)
    return url


@pytest.fixture(scope="session")
def postgres_url():
    url = create_postgres_database()
    migrate(url)
    yield url
    drop_database(url)


def clean(url: str) -> None:
    from config import database_url

    engine = create_engine(database_url(url))
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text(f"TRUNCATE {', '.join(TABLES)} RESTART IDENTITY CASCADE"))
        else:
            for table in TABLES:
                conn.execute(text(f"DELETE FROM {table}"))
        for kind in ("faucet", "recoveries"):
            conn.execute(
                text(
                    "INSERT INTO accounts (kind, balance, created_at, updated_at) "
                    f"VALUES ('{kind}', 0, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
                )
            )
    engine.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request) -> str:
    return request.getfixturevalue(f"{request.param}_url")


@pytest.fixture
def sqlite_only(sqlite_url) -> str:
    return sqlite_url


@pytest.fixture
def app(request, database_url):
    """The app on a clean database; `@pytest.mark.config(NAME=value)` overrides settings."""
    clean(database_url)
    marker = request.node.get_closest_marker("config")
    application = create_app(TestConfig(database_url, **(marker.kwargs if marker else {})))
    yield application
    changes._subscribers.clear()
    # Whatever the test did, each investor's kept figures and each user's kept unread count
    # still agree with the rows they are kept from.
    assert db.read(portfolios.mismatches) == []
    assert db.read(notifications.mismatches) == []


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def factory(client) -> Factory:
    return Factory(client)


@pytest.fixture
def seller(factory):
    return factory.user("seller")


@pytest.fixture
def investor(factory):
    return factory.user("investor")


class _Everything(logging.Handler):
    def __init__(self):
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(logging.Formatter("%(message)s %(exc_text)s").format(record))
        self.lines.append(repr(record.__dict__))


SECRET_MARKERS = [
    re.compile(r"eyJ[A-Za-z0-9_-]{10,}\.eyJ"),  # a JWT
    re.compile(r"\$argon2id?\$"),  # a password hash
    re.compile(r"Bearer\s+\S{20,}"),
]


@pytest.fixture(scope="session", autouse=True)
def no_secrets_in_logs():
    """Every log line of the whole run (this process, and the workers the tests started) is
    checked at the end: no token, password or password hash."""
    from tests.factories import PASSWORD

    from .realtime.conftest import PASSWORD as REALTIME_PASSWORD

    started = time.time()
    capture = _Everything()
    logging.getLogger().addHandler(capture)
    yield
    logging.getLogger().removeHandler(capture)
    texts = capture.lines[:]
    for log in Path(tempfile.gettempdir()).glob("invoiceapp-cluster-*/*.log"):
        if log.stat().st_mtime >= started:
            texts.append(log.read_text(errors="replace"))
    passwords = [PASSWORD, REALTIME_PASSWORD, "demo-password-123", "race-password-2026"]
    leaks = [
        text[:300]
        for text in texts
        if any(marker.search(text) for marker in SECRET_MARKERS)
        or any(p in text for p in passwords)
    ]
    assert not leaks, f"secrets in the logs: {leaks[:3]}"
