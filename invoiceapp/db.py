"""Engine and session factory: plain SQLAlchemy, no Flask, so services, CLI commands, jobs and
tests share one way of opening a transaction."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

T = TypeVar("T")

# expire_on_commit=False: what a service returns (and what events are built from) is the state
# it committed, readable after the commit without another round trip.
SessionFactory = sessionmaker(expire_on_commit=False)

_engine: Engine | None = None

# PostgreSQL SQLSTATEs worth retrying: serialization_failure, deadlock_detected.
RETRYABLE_SQLSTATES = {"40001", "40P01"}


def init_engine(url: str, pool_size: int = 10) -> Engine:
    global _engine
    if _engine is not None:
        # close=False: in a forked child the pooled connections belong to the parent.
        _engine.dispose(close=False)
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 30, "check_same_thread": False})
        _configure_sqlite(engine)
    else:
        # No pool_pre_ping: it costs a round trip per checkout on the hot path. A connection
        # the server dropped fails one request, and SQLAlchemy then invalidates the pool.
        # values_plus_batch: an executemany UPDATE (the balances) is one round trip.
        engine = create_engine(
            url,
            pool_size=pool_size,
            max_overflow=pool_size,
            pool_recycle=1800,
            executemany_mode="values_plus_batch",
        )
    SessionFactory.configure(bind=engine)
    _engine = engine
    return engine


def get_engine() -> Engine:
    if _engine is None:
        raise RuntimeError("init_engine() has not been called")
    return _engine


def _configure_sqlite(engine: Engine) -> None:
    """Let SQLAlchemy own transactions and start each with BEGIN IMMEDIATE, so concurrent
    writers queue on the database lock (busy timeout) instead of failing when a read
    transaction tries to upgrade to a write."""

    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection, _record):
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def on_begin(connection):
        connection.exec_driver_sql("BEGIN IMMEDIATE")


@contextmanager
def read_session() -> Iterator[Session]:
    with SessionFactory() as session:
        yield session


def run_in_transaction(work: Callable[[Session], T], attempts: int = 5) -> T:
    """Run `work(session)` in one transaction and commit; retry the whole unit when PostgreSQL
    reports a deadlock or a serialization failure (nothing has been committed in that case)."""
    for attempt in range(1, attempts + 1):
        session = SessionFactory()
        try:
            with session.begin():
                return work(session)
        except DBAPIError as exc:
            sqlstate = getattr(exc.orig, "pgcode", None)
            if sqlstate not in RETRYABLE_SQLSTATES or attempt == attempts:
                raise
            time.sleep(0.01 * attempt)
        finally:
            session.close()
    raise AssertionError("unreachable")
