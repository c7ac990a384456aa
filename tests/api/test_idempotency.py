import time

import pytest

from invoiceapp.models import IdempotencyKey


def test_a_repeated_key_replays_the_201_and_moves_nothing(client, factory, seller, investor):
    invoice = factory.invoice(seller)
    first = factory.fund(investor, invoice["id"], 200_000_00, key="k-1")
    again = factory.fund(investor, invoice["id"], 200_000_00, key="k-1")
    assert first.status_code == again.status_code == 201
    assert first.get_json() == again.get_json()
    assert factory.balance(investor) == 100_000_000 - 200_000_00
    assert (
        len(client.get("/api/portfolio", headers=investor.headers).get_json()["investments"]) == 1
    )


def test_a_409_is_replayed_too(client, factory, seller, investor):
    invoice = factory.invoice(seller)
    first = factory.fund(investor, invoice["id"], 50_000, key="k-2")
    assert first.status_code == 409
    again = factory.fund(investor, invoice["id"], 50_000, key="k-2")
    assert again.status_code == 409 and again.get_json() == first.get_json()


def test_same_key_other_request_is_422(factory, seller, investor):
    invoice = factory.invoice(seller)
    assert factory.fund(investor, invoice["id"], 200_000_00, key="k-3").status_code == 201
    other = factory.fund(investor, invoice["id"], 300_000_00, key="k-3")
    assert other.status_code == 422
    assert other.get_json()["error"]["code"] == "idempotency_conflict"


def test_keys_belong_to_one_user(factory, seller, investor):
    invoice = factory.invoice(seller)
    assert factory.fund(investor, invoice["id"], 200_000_00, key="shared").status_code == 201
    other = factory.user("investor")
    response = factory.fund(other, invoice["id"], 200_000_00, key="shared")
    assert response.status_code == 201
    assert response.get_json()["investment"]["investor_id"] == other.id


@pytest.mark.postgres
def test_a_key_in_flight_is_409_and_never_taken_over_however_long_it_runs(postgres_url):
    """The double funding of the security review: the first request waits on a row lock for
    longer than any timer; a retry with its key is refused while it runs, and once it commits
    the retry gets its outcome. Two executions never both commit."""
    import threading

    import psycopg2

    from config import TestConfig, database_url
    from invoiceapp import create_app
    from tests.conftest import clean
    from tests.factories import Factory

    clean(postgres_url)
    app = create_app(TestConfig(postgres_url, DB_LOCK_TIMEOUT_MS=30_000))
    factory = Factory(app.test_client())
    seller, investor = factory.user("seller"), factory.user("investor")
    invoice = factory.invoice(seller)
    locker = psycopg2.connect(database_url(postgres_url).replace("+psycopg2", ""))
    cursor = locker.cursor()
    cursor.execute("SELECT id FROM invoices WHERE id = %s FOR UPDATE", (invoice["id"],))
    first = {}
    worker = threading.Thread(
        target=lambda: first.update(
            response=Factory(app.test_client()).fund(investor, invoice["id"], 200_000_00, key="K")
        )
    )
    worker.start()
    time.sleep(2.5)  # the first request is waiting on the row lock, holding its key
    retry = factory.fund(investor, invoice["id"], 200_000_00, key="K")
    assert retry.status_code == 409
    assert retry.get_json()["error"]["code"] == "idempotency_in_progress"
    locker.rollback()
    locker.close()
    worker.join(timeout=30)
    assert first["response"].status_code == 201
    replay = factory.fund(investor, invoice["id"], 200_000_00, key="K")
    assert replay.status_code == 201 and replay.get_json() == first["response"].get_json()
    assert replay.headers["Idempotent-Replayed"] == "true"
    assert factory.balance(investor) == 100_000_000 - 200_000_00


def test_a_request_that_dies_leaves_no_claim_behind(factory, seller, investor, monkeypatch):
    from invoiceapp.services import ledger

    invoice = factory.invoice(seller)
    real_transfer = ledger.transfer

    def crash(*args, **kwargs):
        raise RuntimeError("the worker died mid-request")

    monkeypatch.setattr(ledger, "transfer", crash)
    assert factory.fund(investor, invoice["id"], 200_000_00, key="orphan").status_code == 500
    monkeypatch.setattr(ledger, "transfer", real_transfer)
    retry = factory.fund(investor, invoice["id"], 200_000_00, key="orphan")
    assert retry.status_code == 201 and "Idempotent-Replayed" not in retry.headers
    assert factory.balance(investor) == 100_000_000 - 200_000_00


def test_keys_are_purged_after_24_hours_by_the_daily_run(app, factory, seller, investor):
    from datetime import timedelta

    from sqlalchemy import func, select, update

    from invoiceapp import db
    from invoiceapp.models import utcnow
    from invoiceapp.services.dates import today_ist

    invoice = factory.invoice(seller)
    factory.fund(investor, invoice["id"], 200_000_00, key="old")
    factory.fund(investor, invoice["id"], 200_000_00, key="new")
    db.transaction(
        lambda s: s.execute(
            update(IdempotencyKey)
            .where(IdempotencyKey.key == "old")
            .values(created_at=utcnow() - timedelta(hours=25))
        )
    )
    result = app.test_cli_runner().invoke(
        args=["jobs", "run", "--once", "--date", today_ist().isoformat()]
    )
    assert result.exit_code == 0, result.output
    keys = db.read(lambda s: s.scalars(select(IdempotencyKey.key)).all())
    assert keys == ["new"]
    assert db.read(lambda s: s.scalar(select(func.count()).select_from(IdempotencyKey))) == 1


def test_overlong_key_is_422(factory, seller, investor):
    invoice = factory.invoice(seller)
    assert factory.fund(investor, invoice["id"], 200_000_00, key="k" * 256).status_code == 422
