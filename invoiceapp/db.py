"""Engine and units of work: plain SQLAlchemy, no Flask, so services, CLI commands, jobs and
tests share one way of opening a transaction.

`transaction(work)` runs `work(session)` in one database transaction and commits it. A call made
while another unit of work is running in the same thread of control joins it: that is how a
view wraps a service call and its Idempotency-Key record in one transaction, and how the auction
close or the auto-invest job reuse the funding rules.

What can go wrong with the connection is decided here, once:
- a deadlock or serialization failure: nothing was committed; the whole unit runs again;
- the connection died before COMMIT was sent (a failover, a proxy's idle timeout): nothing was
  committed either; the unit runs again on a fresh connection;
- the connection died while COMMIT was in flight: the outcome is unknown, so it is NOT retried
  (`OutcomeUnknown`; a client retries with its Idempotency-Key to learn what happened);
- the server cannot be reached: `ServiceUnavailable`; a lock or statement timeout: `Busy`.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass
from typing import TypeVar

from sqlalchemy import Engine, Table, create_engine, event
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import DBAPIError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.orm import Session, sessionmaker

from .services.errors import Busy, OutcomeUnknown, ServiceUnavailable

T = TypeVar("T")

# expire_on_commit=False: what a service returns (and what events are built from) is the state
# it committed, readable after the commit without another round trip.
SessionFactory = sessionmaker(expire_on_commit=False)

_engine: Engine | None = None
_current: ContextVar[Session | None] = ContextVar("invoiceapp_session", default=None)
_commit_sent: ContextVar[bool] = ContextVar("invoiceapp_commit_sent", default=False)

# PostgreSQL SQLSTATEs: serialization_failure, deadlock_detected (retry the unit of work);
# lock_not_available (lock_timeout), query_canceled (statement_timeout).
RETRYABLE_SQLSTATES = {"40001", "40P01"}
TIMEOUT_SQLSTATES = {"55P03", "57014"}
RETRIES_AFTER_CONFLICT = 5
RETRIES_AFTER_DISCONNECT = 2


@dataclass
class DatabaseSettings:
    """Bounded waits (seconds, milliseconds as named); see README, Configuration."""

    pool_size: int = 10
    pool_timeout: float = 5.0  # waiting for a pooled connection
    connect_timeout: int = 3  # reaching the server
    lock_timeout_ms: int = 3000  # waiting for a row lock held by another transaction
    statement_timeout_ms: int = 10000


def init_engine(url: str, settings: DatabaseSettings | None = None) -> Engine:
    global _engine
    settings = settings or DatabaseSettings()
    if _engine is not None:
        # close=False: in a forked child the pooled connections belong to the parent.
        _engine.dispose(close=False)
    if url.startswith("sqlite"):
        engine = create_engine(
            url, connect_args={"timeout": 30, "check_same_thread": False}, hide_parameters=True
        )
        _configure_sqlite(engine)
    else:
        # No pool_pre_ping: it costs a round trip per checkout on the hot path. A connection
        # found dead when used is retried above, and SQLAlchemy then recycles the whole pool.
        # values_plus_batch: an executemany UPDATE (the balances) is one round trip.
        options = (
            f"-c lock_timeout={settings.lock_timeout_ms} "
            f"-c statement_timeout={settings.statement_timeout_ms}"
        )
        engine = create_engine(
            url,
            pool_size=settings.pool_size,
            max_overflow=settings.pool_size,
            pool_timeout=settings.pool_timeout,
            pool_recycle=1800,
            executemany_mode="values_plus_batch",
            hide_parameters=True,  # errors never carry values (a password hash, a token) to logs
            connect_args={
                "connect_timeout": settings.connect_timeout,
                "options": options,
                # A peer that vanished without a FIN (a cut network) is noticed in ~25 s.
                "keepalives": 1,
                "keepalives_idle": 10,
                "keepalives_interval": 5,
                "keepalives_count": 3,
            },
        )
    event.listen(engine, "commit", _mark_commit_sent)
    SessionFactory.configure(bind=engine)
    _engine = engine
    return engine


def get_engine() -> Engine:
    if _engine is None:
        raise RuntimeError("init_engine() has not been called")
    return _engine


def _mark_commit_sent(connection) -> None:
    _commit_sent.set(True)


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


def add_to_kept(session: Session, table: Table, key: str, rows: list[dict]):
    """INSERT the rows, or where a row with the key exists, add each given column to it (a kept
    count or sum); the resulting rows. Give the rows in key order: that is the order they are
    locked in."""
    columns = tuple(name for name in rows[0] if name != key)
    statement = _adding(session.get_bind().dialect.name, table, key, columns)
    return session.execute(statement, rows)


@functools.cache  # built once per table: it runs in every funding
def _adding(dialect: str, table: Table, key: str, columns: tuple[str, ...]):
    insert = {"postgresql": postgresql, "sqlite": sqlite}[dialect].insert(table)
    return insert.on_conflict_do_update(
        index_elements=[table.c[key]],
        set_={name: table.c[name] + insert.excluded[name] for name in columns},
    ).returning(*table.c)


def current_session() -> Session | None:
    """The session of the unit of work running here, if any."""
    return _current.get()


def transaction(work: Callable[[Session], T]) -> T:
    """Run `work(session)` in one transaction and commit it, or join the running one."""
    return _run(work, commit=True)


def read(work: Callable[[Session], T]) -> T:
    """Run a read-only `work(session)`; the transaction is rolled back, never committed."""
    return _run(work, commit=False)


def _run(work: Callable[[Session], T], commit: bool) -> T:
    joined = _current.get()
    if joined is not None:
        return work(joined)
    conflicts = disconnects = 0
    while True:
        session = SessionFactory()
        token = _current.set(session)
        _commit_sent.set(False)
        try:
            result = work(session)
            if commit:
                session.commit()
            return result
        except DBAPIError as exc:
            session.rollback()
            sqlstate = getattr(exc.orig, "pgcode", None)
            if sqlstate in RETRYABLE_SQLSTATES and conflicts < RETRIES_AFTER_CONFLICT:
                conflicts += 1
                time.sleep(0.01 * conflicts)
                continue
            if sqlstate in TIMEOUT_SQLSTATES:
                raise Busy() from exc
            if exc.connection_invalidated or _is_unreachable(exc):
                if _commit_sent.get():
                    raise OutcomeUnknown() from exc
                if disconnects < RETRIES_AFTER_DISCONNECT:
                    disconnects += 1
                    continue
                raise ServiceUnavailable() from exc
            raise
        except PoolTimeout as exc:
            session.rollback()
            raise Busy("Every database connection is in use; try again shortly.") from exc
        except BaseException:
            session.rollback()
            raise
        finally:
            _current.reset(token)
            session.close()


def _is_unreachable(exc: DBAPIError) -> bool:
    """psycopg2 reports a failed connect (or a dropped one) as an OperationalError with no
    SQLSTATE; SQLite's "database is locked" is not that."""
    kind = type(exc.orig)
    return (
        kind.__module__.startswith("psycopg2")
        and kind.__name__ == "OperationalError"
        and not getattr(exc.orig, "pgcode", None)
    )
