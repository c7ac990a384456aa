"""Fixtures: `app` and `client` on SQLite and (where marked) PostgreSQL, a clean database per
test, and factories for users, tokens and invoices.

PostgreSQL is the machine's server at 127.0.0.1:5432 (override with TEST_POSTGRES_URL); each
run creates its own database. When it is unreachable, tests that need it are skipped, unless
CI is set: then they fail.
"""
from __future__ import annotations

import os
import uuid

import pytest
from alembic import command
from alembic.config import Config as AlembicConfig
from sqlalchemy import create_engine, text

from config import BASE_DIR, TestConfig
from invoiceapp import create_app
from invoiceapp.services import changes

from .factories import Factory

POSTGRES_ADMIN_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
TABLES = ["ledger_entries", "investments", "idempotency_keys", "invoices", "revoked_tokens",
          "accounts", "users"]


def migrate(url: str, revision: str = "head") -> None:
    cfg = AlembicConfig(str(BASE_DIR / "alembic.ini"))
    cfg.attributes["url"] = url
    cfg.attributes["configure_logging"] = False
    command.upgrade(cfg, revision)


def _admin_url() -> str:
    from config import database_url
    return database_url(POSTGRES_ADMIN_URL)


def postgres_available() -> bool:
    try:
        engine = create_engine(_admin_url(), connect_args={"connect_timeout": 3})
        with engine.connect():
            pass
        engine.dispose()
        return True
    except Exception:
        return False


def require_postgres() -> None:
    if not postgres_available():
        if IN_CI:
            pytest.fail("PostgreSQL is unreachable and CI is set: it must run here")
        pytest.skip("PostgreSQL is unreachable (CI unset)")


def create_postgres_database(prefix: str = "invoiceapp_test") -> str:
    """A fresh database; returns its URL (standard postgresql:// form)."""
    require_postgres()
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    engine = create_engine(_admin_url(), isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    return POSTGRES_ADMIN_URL.rsplit("/", 1)[0] + "/" + name


def drop_postgres_database(url: str) -> None:
    name = url.rsplit("/", 1)[1]
    engine = create_engine(_admin_url(), isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    engine.dispose()


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
    drop_postgres_database(url)


def clean(url: str) -> None:
    from config import database_url
    engine = create_engine(database_url(url))
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text(f"TRUNCATE {', '.join(TABLES)} RESTART IDENTITY CASCADE"))
        else:
            for table in TABLES:
                conn.execute(text(f"DELETE FROM {table}"))
        conn.execute(text("INSERT INTO accounts (kind, balance, created_at, updated_at) "
                          "VALUES ('faucet', 0, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"))
    engine.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request) -> str:
    return request.getfixturevalue(f"{request.param}_url")


@pytest.fixture
def sqlite_only(sqlite_url) -> str:
    return sqlite_url


@pytest.fixture
def app(database_url):
    clean(database_url)
    application = create_app(TestConfig(database_url))
    yield application
    changes._subscribers.clear()


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
