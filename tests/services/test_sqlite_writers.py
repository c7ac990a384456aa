"""The embedded default (one process, SQLite) under concurrent writers."""

import threading

from config import TestConfig
from invoiceapp import create_app
from invoiceapp.services import funding
from invoiceapp.services.errors import DomainError
from tests.conftest import clean

from .test_concurrency import _invoice, _users, assert_books_balance


def test_concurrent_writers_on_sqlite_queue_instead_of_failing(sqlite_only):
    """The embedded default: threads funding at once on one SQLite file. Every transaction
    starts with BEGIN IMMEDIATE, so none fails with "database is locked" on a lock upgrade."""
    clean(sqlite_only)
    create_app(TestConfig(sqlite_only))
    (seller,) = _users("seller", 1)
    investors = _users("investor", 12)
    invoice = _invoice(seller)  # 9,80,000.00: room for 4 of 2,40,000.00
    barrier, outcomes = threading.Barrier(len(investors)), []

    def fund(investor_id):
        barrier.wait()
        try:
            funding.fund(investor_id, invoice.id, 240_000_00)
            outcomes.append("ok")
        except DomainError as error:
            outcomes.append(error.code)
        except Exception as error:  # e.g. sqlite3.OperationalError: database is locked
            outcomes.append(repr(error))

    threads = [threading.Thread(target=fund, args=(i,)) for i in investors]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["exceeds_remaining"] * 8 + ["ok"] * 4
    assert_books_balance()
