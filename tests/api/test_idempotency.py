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


def test_a_key_in_flight_is_409_in_progress(app, factory, seller, investor):
    from invoiceapp.db import run_in_transaction
    from invoiceapp.models import utcnow
    from invoiceapp.services.idempotency import fingerprint

    invoice = factory.invoice(seller)
    path = f"/api/invoices/{invoice['id']}/fund"
    run_in_transaction(
        lambda s: s.add(
            IdempotencyKey(
                user_id=investor.id,
                key="busy",
                created_at=utcnow(),
                fingerprint=fingerprint("POST", path, {"amount": 200_000_00}),
            )
        )
    )
    response = factory.fund(investor, invoice["id"], 200_000_00, key="busy")
    assert response.status_code == 409
    assert response.get_json()["error"]["code"] == "idempotency_in_progress"


def test_an_abandoned_claim_is_taken_over_by_a_retry(factory, seller, investor):
    from datetime import timedelta

    from invoiceapp.db import run_in_transaction
    from invoiceapp.models import utcnow
    from invoiceapp.services.idempotency import fingerprint

    invoice = factory.invoice(seller)
    path = f"/api/invoices/{invoice['id']}/fund"
    run_in_transaction(
        lambda s: s.add(
            IdempotencyKey(  # its worker died two minutes ago
                user_id=investor.id,
                key="orphan",
                created_at=utcnow() - timedelta(minutes=2),
                fingerprint=fingerprint("POST", path, {"amount": 200_000_00}),
            )
        )
    )
    first = factory.fund(investor, invoice["id"], 200_000_00, key="orphan")
    assert first.status_code == 201
    again = factory.fund(investor, invoice["id"], 200_000_00, key="orphan")
    assert again.status_code == 201 and again.get_json() == first.get_json()
    assert factory.balance(investor) == 100_000_000 - 200_000_00


def test_a_404_is_not_stored(factory, investor, seller):
    assert factory.fund(investor, 999_999, 200_000_00, key="k-404").status_code == 404
    invoice = factory.invoice(seller)
    # the key is free for another request afterwards
    assert factory.fund(investor, invoice["id"], 200_000_00, key="k-404").status_code == 201


def test_keys_are_purged_after_24_hours(app, factory, seller, investor):
    from datetime import timedelta

    from sqlalchemy import update

    from invoiceapp.db import run_in_transaction
    from invoiceapp.models import utcnow

    invoice = factory.invoice(seller)
    factory.fund(investor, invoice["id"], 200_000_00, key="old")
    factory.fund(investor, invoice["id"], 200_000_00, key="new")
    run_in_transaction(
        lambda s: s.execute(
            update(IdempotencyKey)
            .where(IdempotencyKey.key == "old")
            .values(created_at=utcnow() - timedelta(hours=25))
        )
    )
    result = app.test_cli_runner().invoke(args=["jobs", "purge-idempotency-keys"])
    assert "purged 1 key" in result.output


def test_overlong_key_is_422(factory, seller, investor):
    invoice = factory.invoice(seller)
    assert factory.fund(investor, invoice["id"], 200_000_00, key="k" * 256).status_code == 422
