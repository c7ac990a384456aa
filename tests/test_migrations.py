"""Alembic on an empty PostgreSQL: upgrade, downgrade, upgrade; the models match the head;
the ledger is append-only in the database itself."""

import pytest
from alembic import command
from alembic.config import Config as AlembicConfig
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.exc import DBAPIError

from config import BASE_DIR, TestConfig, database_url
from invoiceapp import create_app, db, demo
from invoiceapp.services import notifications
from tests.conftest import create_postgres_database
from tests.support.databases import drop_database

pytestmark = pytest.mark.postgres


@pytest.fixture
def empty_postgres():
    url = create_postgres_database("invoiceapp_migrations")
    yield url
    drop_database(url)


def alembic_config(url: str) -> AlembicConfig:
    cfg = AlembicConfig(str(BASE_DIR / "alembic.ini"))
    cfg.attributes["url"] = url
    cfg.attributes["configure_logging"] = False
    return cfg


def test_upgrade_downgrade_upgrade_and_models_match_head(empty_postgres):
    cfg = alembic_config(empty_postgres)
    command.upgrade(cfg, "head")
    command.downgrade(cfg, "base")
    engine = create_engine(database_url(empty_postgres))
    assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
    command.upgrade(cfg, "head")
    command.check(cfg)  # raises if autogenerate would find a difference
    with engine.connect() as conn:
        assert conn.execute(text("SELECT kind, balance FROM accounts ORDER BY id")).all() == [
            ("faucet", 0),
            ("recoveries", 0),
        ]
    engine.dispose()


def test_ledger_rows_cannot_be_updated_or_deleted(empty_postgres):
    command.upgrade(alembic_config(empty_postgres), "head")
    engine = create_engine(database_url(empty_postgres))
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO ledger_entries (transfer_id, account_id, direction, amount, balance_after,"
                " kind, description, created_at) VALUES ('t', 1, 'debit', 5, -5, 'demo_credit', 'x', now())"
            )
        )
    for statement in ("UPDATE ledger_entries SET amount = 6", "DELETE FROM ledger_entries"):
        with pytest.raises(DBAPIError, match="append-only"), engine.begin() as conn:
            conn.execute(text(statement))
    engine.dispose()


def test_negative_balances_are_refused_by_the_database(empty_postgres):
    command.upgrade(alembic_config(empty_postgres), "head")
    engine = create_engine(database_url(empty_postgres))
    with pytest.raises(DBAPIError, match="balance_not_negative"), engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO accounts (kind, balance, created_at, updated_at) "
                "VALUES ('escrow', -1, now(), now())"
            )
        )
    engine.dispose()


def test_audit_rows_cannot_be_updated_or_deleted(empty_postgres):
    command.upgrade(alembic_config(empty_postgres), "head")
    engine = create_engine(database_url(empty_postgres))
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO audit_log (at, action, target_type, details) "
                "VALUES (now(), 'write_off', 'invoice', '{}')"
            )
        )
    for statement in ("UPDATE audit_log SET action = 'nothing'", "DELETE FROM audit_log"):
        with pytest.raises(DBAPIError, match="append-only"), engine.begin() as conn:
            conn.execute(text(statement))
    engine.dispose()


def test_the_recoveries_account_may_go_negative_and_wallets_may_not(empty_postgres):
    command.upgrade(alembic_config(empty_postgres), "head")
    engine = create_engine(database_url(empty_postgres))
    with engine.begin() as conn:
        conn.execute(text("UPDATE accounts SET balance = -100 WHERE kind = 'recoveries'"))
    with pytest.raises(DBAPIError, match="balance_not_negative"), engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO accounts (kind, balance, created_at, updated_at) VALUES ('hold', -1, now(), now())"
            )
        )
    engine.dispose()


def test_the_kept_figures_are_filled_from_the_rows_there_are(empty_postgres):
    """0005 fills portfolio_totals from the investments made before it: the demo's investors
    hold active, overdue, defaulted, settled, refunded and written-off investments. 0006 fills
    unread_counts from the notifications written before it, read ones left out."""
    cfg = alembic_config(empty_postgres)
    command.upgrade(cfg, "head")
    create_app(TestConfig(empty_postgres))
    list(demo.seed())
    someone = db.read(lambda s: s.scalar(text("SELECT min(user_id) FROM notifications")))
    notifications.mark_read(someone, up_to_id=10**9)
    kept_by_the_app = db.read(lambda s: [s.execute(text(sql)).all() for sql in KEPT_SQL])
    command.downgrade(cfg, "0004")
    command.upgrade(cfg, "head")
    figures, counts = db.read(lambda s: [s.execute(text(sql)).all() for sql in KEPT_SQL])
    db.get_engine().dispose()
    assert [figures, counts] == kept_by_the_app
    for figure in (
        "invested",
        "realized_gain",
        "received",
        "overdue_amount",
        "defaulted_amount",
        "loss",
    ):
        assert sum(getattr(row, figure) for row in figures) > 0, figure
    assert len(counts) > 1 and someone not in [user for user, _ in counts]


KEPT_SQL = [
    "SELECT * FROM portfolio_totals ORDER BY investor_id",
    # A user who has read everything may keep a row of 0, or have none: both mean 0.
    "SELECT user_id, unread FROM unread_counts WHERE unread > 0 ORDER BY user_id",
]
