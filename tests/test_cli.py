import pytest
from sqlalchemy import text

from invoiceapp.db import get_engine


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


def test_seed_demo_is_idempotent_and_lets_the_demo_users_log_in(runner, client):
    first = runner.invoke(args=["seed-demo"])
    assert first.exit_code == 0, first.output
    second = runner.invoke(args=["seed-demo"])
    assert second.exit_code == 0 and "created" not in second.output
    from invoiceapp.cli import DEMO_PASSWORD, DEMO_USERS

    for email, _, role in DEMO_USERS:
        response = client.post("/api/auth/login", json={"email": email, "password": DEMO_PASSWORD})
        assert response.get_json()["user"]["role"] == role.value
    token = client.post(
        "/api/auth/login", json={"email": DEMO_USERS[1][0], "password": DEMO_PASSWORD}
    ).get_json()["access_token"]
    listed = client.get("/api/invoices", headers={"Authorization": f"Bearer {token}"}).get_json()
    assert len(listed["items"]) == 3


def test_ledger_verify_passes_on_real_activity_and_names_what_is_wrong(
    runner, factory, seller, investor
):
    invoice = factory.invoice(seller)
    factory.fund(investor, invoice["id"], invoice["funding_target"])
    result = runner.invoke(args=["ledger", "verify"])
    assert result.exit_code == 0 and "ledger OK" in result.output
    with get_engine().begin() as conn:  # money appears from nowhere
        conn.execute(
            text("UPDATE accounts SET balance = balance + 1 WHERE user_id = :id"),
            {"id": investor.id},
        )
    result = runner.invoke(args=["ledger", "verify"])
    assert result.exit_code == 1
    assert "sum of all account balances is 1" in result.output
    assert "ledger rows sum to" in result.output


def test_jobs_run_once(runner):
    result = runner.invoke(args=["jobs", "run", "--once"])
    assert result.exit_code == 0
    assert "expired 0 invoice(s)" in result.output and "purged 0 key(s)" in result.output
