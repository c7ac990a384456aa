from datetime import date, timedelta

import pytest

from invoiceapp.services.dates import today_ist

WALLET = 100_000_000


def test_invest_now_pays_the_seller_at_once(client, factory, seller, investor):
    invoice = factory.invoice(seller)
    target = invoice["funding_target"]
    response = factory.fund(investor, invoice["id"], target)
    assert response.status_code == 201
    body = response.get_json()
    assert body["invoice"]["status"] == "funded" and body["invoice"]["remaining"] == 0
    assert body["invoice"]["version"] == invoice["version"] + 1
    assert body["invoice"]["funded_at"] is not None
    assert body["investment"]["expected_return"] == invoice["amount"]
    assert body["investment"]["status"] == "active" and body["investment"]["payout"] is None
    assert body["wallet"]["balance"] == WALLET - target == factory.balance(investor)
    assert factory.balance(seller) == WALLET + target
    kinds = [
        t["kind"]
        for t in client.get("/api/wallet/transactions", headers=seller.headers).get_json()["items"]
    ]
    assert kinds == ["funding_received", "demo_credit"]


def test_fractional_funding_keeps_money_in_escrow_until_complete(client, factory, seller):
    invoice = factory.invoice(seller)
    first, second = factory.user("investor"), factory.user("investor")
    response = factory.fund(first, invoice["id"], 500_000_00)
    assert response.get_json()["invoice"]["status"] == "listed"
    assert response.get_json()["invoice"]["remaining"] == invoice["funding_target"] - 500_000_00
    assert factory.balance(seller) == WALLET
    rest = invoice["funding_target"] - 500_000_00
    assert factory.fund(second, invoice["id"], rest).get_json()["invoice"]["status"] == "funded"
    assert factory.balance(seller) == WALLET + invoice["funding_target"]


def test_one_investor_may_fund_the_same_invoice_twice(factory, seller, investor):
    invoice = factory.invoice(seller)
    assert factory.fund(investor, invoice["id"], 100_000).status_code == 201
    assert factory.fund(investor, invoice["id"], 100_000).status_code == 201


@pytest.mark.parametrize(
    "amount,code",
    [
        (99_999, "below_minimum"),
        (980_000_01, "exceeds_remaining"),
    ],
)
def test_amount_limits_are_state_conflicts(factory, seller, investor, amount, code):
    invoice = factory.invoice(seller)  # target 9,80,000.00
    response = factory.fund(investor, invoice["id"], amount)
    assert response.status_code == 409
    assert response.get_json()["error"]["code"] == code


def test_the_last_sliver_below_the_minimum_may_be_funded(factory, seller, investor):
    invoice = factory.invoice(seller)
    target = invoice["funding_target"]
    assert factory.fund(investor, invoice["id"], target - 50_000).status_code == 201
    assert (
        factory.fund(investor, invoice["id"], 49_999).get_json()["error"]["code"] == "below_minimum"
    )
    assert factory.fund(investor, invoice["id"], 50_000).status_code == 201


@pytest.mark.parametrize("amount", [0, -5, 10**12 + 1, "100000", 1000.5, True, None])
def test_amount_must_be_a_json_integer_in_range(factory, seller, investor, amount):
    invoice = factory.invoice(seller)
    response = factory.fund(investor, invoice["id"], amount)
    assert response.status_code == 422
    assert "amount" in response.get_json()["error"]["details"]


def test_insufficient_funds_moves_nothing(client, factory, seller, investor):
    invoice = factory.invoice(seller, amount=10**10, discount_rate_bps=0)
    response = factory.fund(investor, invoice["id"], WALLET + 1)
    assert response.status_code == 409
    assert response.get_json()["error"]["code"] == "insufficient_funds"
    assert factory.balance(investor) == WALLET
    fetched = client.get(f"/api/invoices/{invoice['id']}", headers=investor.headers).get_json()
    assert fetched["invoice"]["funded_amount"] == 0 and fetched["invoice"]["version"] == 1


def test_funded_or_cancelled_invoices_are_not_fundable(client, factory, seller, investor):
    funded = factory.invoice(seller)
    factory.fund(investor, funded["id"], funded["funding_target"])
    cancelled = factory.invoice(seller)
    client.post(f"/api/invoices/{cancelled['id']}/cancel", headers=seller.headers)
    for invoice in (funded, cancelled):
        response = factory.fund(factory.user("investor"), invoice["id"], 100_000)
        assert response.status_code == 409
        assert response.get_json()["error"]["code"] == "invoice_not_fundable"


def test_check_order_401_403_422_404_409(client, factory, seller, investor):
    invoice = factory.invoice(seller)
    url = f"/api/invoices/{invoice['id']}/fund"
    assert client.post(url, json={"amount": "x"}).status_code == 401
    assert client.post(url, json={"amount": "x"}, headers=seller.headers).status_code == 403
    assert (
        client.post(
            "/api/invoices/999999/fund", json={"amount": "x"}, headers=investor.headers
        ).status_code
        == 422
    )
    assert (
        client.post(
            "/api/invoices/999999/fund", json={"amount": 1}, headers=investor.headers
        ).status_code
        == 404
    )
    assert client.post(url, json={"amount": 1}, headers=investor.headers).status_code == 409


def test_expired_invoices_are_cancelled_with_refunds(
    app, client, factory, seller, investor, monkeypatch
):
    from invoiceapp.services import funding

    due = today_ist() + timedelta(days=7)
    invoice = factory.invoice(seller, due_date=due.isoformat())
    factory.fund(investor, invoice["id"], 200_000_00)
    monkeypatch.setattr(funding, "today_ist", lambda: due - timedelta(days=1))
    # due tomorrow: still open for funding, and the daily run for the day before leaves it
    assert factory.fund(investor, invoice["id"], 100_000).status_code == 201
    run = app.test_cli_runner().invoke(
        args=["jobs", "run", "--once", "--date", str(due - timedelta(days=2))]
    )
    assert "0 expired" in run.output
    monkeypatch.setattr(funding, "today_ist", lambda: due)
    # due today: closed to funding, and the daily run that closes the eve of the due date cancels it
    assert (
        factory.fund(investor, invoice["id"], 100_000).get_json()["error"]["code"]
        == "invoice_not_fundable"
    )
    run = app.test_cli_runner().invoke(
        args=["jobs", "run", "--once", "--date", str(due - timedelta(days=1))]
    )
    assert "1 expired" in run.output
    fetched = client.get(f"/api/invoices/{invoice['id']}", headers=seller.headers).get_json()[
        "invoice"
    ]
    assert fetched["status"] == "cancelled"
    assert fetched["funded_amount"] == 0 and fetched["remaining"] == 0
    assert factory.balance(investor) == WALLET


def test_overdue_is_shown_once_the_daily_run_passes_the_due_date(
    app, client, factory, seller, investor
):
    invoice = factory.invoice(seller)
    factory.fund(investor, invoice["id"], invoice["funding_target"])
    due = date.fromisoformat(invoice["due_date"])
    app.test_cli_runner().invoke(args=["jobs", "run", "--once", "--date", due.isoformat()])
    on_time = client.get(f"/api/invoices/{invoice['id']}", headers=seller.headers).get_json()
    assert on_time["invoice"]["overdue"] is False
    app.test_cli_runner().invoke(
        args=["jobs", "run", "--once", "--date", str(due + timedelta(days=1))]
    )
    late = client.get(f"/api/invoices/{invoice['id']}", headers=seller.headers).get_json()[
        "invoice"
    ]
    assert late["overdue"] is True and late["status"] == "overdue" and late["days_past_due"] == 1
    summary = client.get("/api/portfolio", headers=investor.headers).get_json()["summary"]
    assert summary["active_count"] == 1
    assert summary["overdue_amount"] == summary["expected_return"] > 0
    assert summary["defaulted_amount"] == 0
