def test_wallet_history_is_newest_first_with_running_balance(client, factory, seller, investor):
    invoices = [factory.invoice(seller) for _ in range(3)]
    for invoice in invoices:
        assert factory.fund(investor, invoice["id"], 100_000_00).status_code == 201
    page = client.get("/api/wallet/transactions?limit=2", headers=investor.headers).get_json()
    assert [t["balance_after"] for t in page["items"]] == [
        100_000_000 - 300_000_00,
        100_000_000 - 200_000_00,
    ]
    assert page["items"][0]["invoice_id"] == invoices[2]["id"]
    assert page["items"][0]["direction"] == "debit" and page["items"][0]["kind"] == "investment"
    rest = client.get(
        f"/api/wallet/transactions?limit=2&cursor={page['next_cursor']}", headers=investor.headers
    ).get_json()
    assert [t["kind"] for t in rest["items"]] == ["investment", "demo_credit"]
    assert rest["next_cursor"] is None


def test_portfolio_and_dashboards(client, factory, seller, investor):
    a, b, _c = (factory.invoice(seller, amount=300_000_00) for _ in range(3))
    factory.fund(investor, a["id"], a["funding_target"])
    factory.fund(investor, b["id"], 200_000_00)
    client.post(f"/api/invoices/{a['id']}/settle", headers=seller.headers)
    portfolio = client.get("/api/portfolio", headers=investor.headers).get_json()
    assert portfolio["summary"] == {
        "invested": 200_000_00,
        "expected_return": 200_000_00 * b["amount"] // b["funding_target"],
        "realized_gain": a["amount"] - a["funding_target"],
        "active_count": 1,
        "settled_count": 1,
        "received": a["amount"],
        "overdue_amount": 0,
        "defaulted_amount": 0,
        "loss": 0,
    }
    assert [i["invoice_id"] for i in portfolio["investments"]] == [b["id"], a["id"]]
    assert portfolio["investments"][0]["invoice"]["invoice_number"] == b["invoice_number"]
    investor_stats = client.get("/api/dashboard/stats", headers=investor.headers).get_json()
    assert investor_stats == {
        "invested": 200_000_00,
        "expected_return": portfolio["summary"]["expected_return"],
        "realized_gain": portfolio["summary"]["realized_gain"],
        "active_count": 1,
        "marketplace_count": 2,
        "received": a["amount"],
        "overdue_amount": 0,
        "defaulted_amount": 0,
        "loss": 0,
    }
    seller_stats = client.get("/api/dashboard/stats", headers=seller.headers).get_json()
    assert seller_stats == {
        "listed_count": 2,
        "pending_count": 0,
        "funded_count": 0,
        "settled_count": 1,
        "overdue_count": 0,
        "total_raised": a["funding_target"],
        "face_value_outstanding": 0,
    }
    assert client.get("/api/portfolio", headers=seller.headers).status_code == 403
