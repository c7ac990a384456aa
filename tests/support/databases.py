"""Throwaway PostgreSQL databases for the tests and the benchmarks: create one, migrate it to
the head revision, drop it."""

from __future__ import annotations

import uuid
from pathlib import Path

import psycopg2
from alembic import command
from alembic.config import Config as AlembicConfig

ROOT = Path(__file__).resolve().parents[2]


def _run_on_server(server_url: str, statement: str) -> None:
    """Run one statement in the server's `postgres` database (server_url ends with host:port);
    CREATE/DROP DATABASE cannot run inside a transaction, hence autocommit."""
    conn = psycopg2.connect(f"{server_url}/postgres", connect_timeout=3)
    conn.autocommit = True
    try:
        with conn.cursor() as cursor:
            cursor.execute(statement)
    finally:
        conn.close()


def create_database(server_url: str, prefix: str) -> str:
    """A new, empty database; its URL in the standard postgresql:// form."""
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    _run_on_server(server_url, f'CREATE DATABASE "{name}"')
    return f"{server_url}/{name}"


def drop_database(url: str) -> None:
    server_url, name = url.rsplit("/", 1)
    _run_on_server(server_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def migrate(url: str, revision: str = "head") -> None:
    """Alembic, in this process, on any database URL the app accepts (SQLite too)."""
    cfg = AlembicConfig(str(ROOT / "alembic.ini"))
    cfg.attributes["url"] = url
    cfg.attributes["configure_logging"] = False
    command.upgrade(cfg, revision)
