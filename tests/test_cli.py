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
    from invoiceapp.demo import PASSWORD, USERS

    for email, _, role in USERS:
        response = client.post("/api/auth/login", json={"email": email, "password": PASSWORD})
        assert response.get_json()["user"]["role"] == role.value
    token = client.post(
        "/api/auth/login", json={"email": "operator@demo.test", "password": PASSWORD}
    ).get_json()["access_token"]
    headers = {"Authorization": f"Bearer {token}"}
    statuses = {
        status: len(
            client.get(f"/api/invoices?status={status}", headers=headers).get_json()["items"]
        )
        for status in (
            "listed",
            "pending_acceptance",
            "overdue",
            "funded",
            "settled",
            "defaulted",
            "written_off",
            "rejected",
            "cancelled",
        )
    }
    assert statuses == {
        "listed": 5,
        "pending_acceptance": 1,
        "overdue": 1,
        "funded": 1,
        "settled": 1,
        "defaulted": 1,
        "written_off": 1,
        "rejected": 1,
        "cancelled": 1,
    }
    listed = client.get("/api/invoices?status=listed", headers=headers).get_json()["items"]
    [auction] = [invoice["auction"] for invoice in listed if invoice["pricing"] == "auction"]
    assert (auction["state"], auction["bid_count"]) == ("open", 2)
    assert runner.invoke(args=["ledger", "verify"]).exit_code == 0


def test_ledger_verify_passes_on_real_activity_and_names_what_is_wrong(
    runner, factory, seller, investor
):
    invoice = factory.invoice(seller)
    factory.fund(investor, invoice["id"], invoice["funding_target"])
    result = runner.invoke(args=["ledger", "verify"])
    assert result.exit_code == 0 and "ledger OK" in result.output
    with get_engine().begin() as conn:  # money appears from nowhere
        conn.execute(
            text(
                "UPDATE accounts SET balance = balance + 1 WHERE user_id = :id AND kind = 'wallet'"
            ),
            {"id": investor.id},
        )
    result = runner.invoke(args=["ledger", "verify"])
    assert result.exit_code == 1
    assert "sum of all account balances is 1" in result.output
    assert "ledger rows sum to" in result.output


def test_jobs_run_once_and_the_daily_run_by_date(runner):
    from datetime import timedelta

    from invoiceapp.services.dates import today_ist

    assert runner.invoke(args=["jobs", "run", "--once"]).exit_code == 0
    today = today_ist()

    def daily(day):
        return runner.invoke(args=["jobs", "run", "--once", "--date", day.isoformat()])

    later = daily(today + timedelta(days=3))  # a future date is allowed (rehearsals, tests)
    assert later.exit_code == 0 and "closed" in later.output
    again = daily(today + timedelta(days=3))
    assert again.exit_code == 0 and "already closed" in again.output
    earlier = daily(today)
    assert earlier.exit_code != 0 and "cannot go back" in earlier.output
