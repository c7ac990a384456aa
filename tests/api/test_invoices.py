from datetime import timedelta

import pytest

from invoiceapp.services.dates import today_ist


def test_seller_lists_an_invoice_with_target_and_yield_fixed(client, factory, seller):
    invoice = factory.invoice(
        seller,
        amount=1_000_000_00,
        discount_rate_bps=1000,
        due_date=(today_ist() + timedelta(days=73)).isoformat(),
    )
    assert invoice["funding_target"] == 980_000_00
    assert invoice["annual_yield_bps"] == 1020
    assert invoice["tenor_days"] == 73
    assert invoice["remaining"] == 980_000_00
    assert invoice["funded_amount"] == 0
    assert (invoice["status"], invoice["version"], invoice["overdue"]) == ("listed", 1, False)
    assert invoice["seller_name"] == "Seller" and invoice["currency"] == "INR"
    assert invoice["created_at"].endswith("+00:00")
    fetched = client.get(f"/api/invoices/{invoice['id']}", headers=seller.headers).get_json()
    assert fetched["invoice"] == invoice


@pytest.mark.parametrize(
    "field,value",
    [
        ("amount", 99_999),
        ("amount", 10**10 + 1),
        ("amount", "100000"),
        ("amount", 1e6),
        ("amount", True),
        ("amount", None),
        ("discount_rate_bps", 5001),
        ("discount_rate_bps", -1),
        ("discount_rate_bps", 10.5),
        ("invoice_number", ""),
        ("invoice_number", "x" * 65),
        ("buyer_name", "   "),
        ("buyer_name", "b" * 201),
        ("description", "d" * 2001),
        ("due_date", "2020-01-01"),
        ("due_date", "not a date"),
        ("buyer_name", "nul\x00byte"),
    ],
)
def test_invoice_validation(client, factory, seller, field, value):
    response = client.post(
        "/api/invoices", json=factory.invoice_body(**{field: value}), headers=seller.headers
    )
    assert response.status_code == 422, response.get_json()
    error = response.get_json()["error"]
    assert error["code"] == "validation_error" and field in error["details"]


@pytest.mark.parametrize("days,ok", [(6, False), (7, True), (365, True), (366, False)])
def test_due_date_window_is_7_to_365_days_inclusive(client, factory, seller, days, ok):
    due = (today_ist() + timedelta(days=days)).isoformat()
    response = client.post(
        "/api/invoices", json=factory.invoice_body(due_date=due), headers=seller.headers
    )
    assert response.status_code == (201 if ok else 422)


def test_invoice_number_is_unique_per_seller(client, factory, seller):
    factory.invoice(seller, invoice_number="INV-1")
    response = client.post(
        "/api/invoices", json=factory.invoice_body(invoice_number="INV-1"), headers=seller.headers
    )
    assert response.status_code == 409
    assert response.get_json()["error"]["code"] == "duplicate_invoice_number"
    other = factory.user("seller")
    factory.invoice(other, invoice_number="INV-1")


def test_only_sellers_list(client, factory, investor):
    response = client.post("/api/invoices", json=factory.invoice_body(), headers=investor.headers)
    assert response.status_code == 403
    assert response.get_json()["error"]["code"] == "forbidden"


def test_role_is_checked_before_validation(client, investor):
    response = client.post("/api/invoices", json={"amount": "nonsense"}, headers=investor.headers)
    assert response.status_code == 403


def test_marketplace_lists_listed_newest_first_with_keyset_pages(client, factory, seller, investor):
    ids = [factory.invoice(seller)["id"] for _ in range(5)]
    seen, cursor = [], None
    while True:
        query = {"limit": 2, **({"cursor": cursor} if cursor else {})}
        body = client.get("/api/invoices", query_string=query, headers=investor.headers).get_json()
        seen += [item["id"] for item in body["items"]]
        cursor = body["next_cursor"]
        if cursor is None:
            break
    assert seen == ids[::-1]


def test_status_filter_and_mine(client, factory, seller, investor):
    first = factory.invoice(seller)
    second = factory.invoice(seller)
    factory.invoice(factory.user("seller"))
    factory.fund(investor, first["id"], first["funding_target"])
    listed = client.get("/api/invoices", headers=investor.headers).get_json()["items"]
    assert first["id"] not in [i["id"] for i in listed] and second["id"] in [
        i["id"] for i in listed
    ]
    funded = client.get("/api/invoices?status=funded", headers=investor.headers).get_json()["items"]
    assert [i["id"] for i in funded] == [first["id"]]
    mine = client.get("/api/invoices/mine", headers=seller.headers).get_json()["items"]
    assert [i["id"] for i in mine] == [second["id"], first["id"]]
    mine_funded = client.get("/api/invoices/mine?status=funded", headers=seller.headers).get_json()
    assert [i["id"] for i in mine_funded["items"]] == [first["id"]]
    assert client.get("/api/invoices/mine", headers=investor.headers).status_code == 403


@pytest.mark.parametrize(
    "query",
    [
        {"cursor": "garbage!"},
        {"cursor": "WzEsMl0"},
        {"limit": 0},
        {"limit": 101},
        {"limit": "x"},
        {"status": "paid"},
    ],
)
def test_bad_list_queries_are_422(client, investor, query):
    response = client.get("/api/invoices", query_string=query, headers=investor.headers)
    assert response.status_code == 422
    assert response.get_json()["error"]["code"] == "validation_error"


def test_unknown_invoice_is_404(client, investor):
    response = client.get("/api/invoices/999999", headers=investor.headers)
    assert response.status_code == 404
    assert response.get_json()["error"]["code"] == "not_found"


def test_cancel_refunds_investors(client, factory, seller, investor):
    invoice = factory.invoice(seller)
    assert factory.fund(investor, invoice["id"], 300_000_00).status_code == 201
    assert factory.balance(investor) == 100_000_000 - 300_000_00
    response = client.post(f"/api/invoices/{invoice['id']}/cancel", headers=seller.headers)
    assert response.status_code == 200
    cancelled = response.get_json()["invoice"]
    assert cancelled["status"] == "cancelled" and cancelled["version"] == invoice["version"] + 2
    assert factory.balance(investor) == 100_000_000
    portfolio = client.get("/api/portfolio", headers=investor.headers).get_json()
    assert portfolio["investments"][0]["status"] == "refunded"
    kinds = [
        t["kind"]
        for t in client.get("/api/wallet/transactions", headers=investor.headers).get_json()[
            "items"
        ]
    ]
    assert kinds == ["refund", "investment", "demo_credit"]
    again = client.post(f"/api/invoices/{invoice['id']}/cancel", headers=seller.headers)
    assert again.status_code == 409 and again.get_json()["error"]["code"] == "invalid_state"


def test_cancel_and_settle_are_for_the_owning_seller(client, factory, seller, investor):
    invoice = factory.invoice(seller)
    other = factory.user("seller")
    for action in ("cancel", "settle"):
        response = client.post(f"/api/invoices/{invoice['id']}/{action}", headers=other.headers)
        assert response.status_code == 403
        assert (
            client.post(
                f"/api/invoices/{invoice['id']}/{action}", headers=investor.headers
            ).status_code
            == 403
        )
        assert (
            client.post(f"/api/invoices/424242/{action}", headers=other.headers).status_code == 404
        )


def test_settle_pays_each_investor_its_share_exactly(client, factory, seller):
    # target 9,80,000.00; three investors; payouts must add up to the face value exactly
    invoice = factory.invoice(seller, amount=1_000_000_01)
    target = invoice["funding_target"]
    investors = [factory.user("investor") for _ in range(3)]
    parts = [333_333_33, 333_333_33, target - 666_666_66]
    for who, part in zip(investors, parts, strict=False):
        assert factory.fund(who, invoice["id"], part).status_code == 201
    seller_before = factory.balance(seller)
    assert (
        client.post(f"/api/invoices/{invoice['id']}/settle", headers=seller.headers).status_code
        == 200
    )
    assert factory.balance(seller) == seller_before - invoice["amount"]
    payouts = []
    for who, part in zip(investors, parts, strict=False):
        investment = client.get("/api/portfolio", headers=who.headers).get_json()["investments"][0]
        assert investment["status"] == "settled"
        assert investment["payout"] - investment["expected_return"] in (0, 1)
        assert factory.balance(who) == 100_000_000 - part + investment["payout"]
        payouts.append(investment["payout"])
    assert sum(payouts) == invoice["amount"]
    again = client.post(f"/api/invoices/{invoice['id']}/settle", headers=seller.headers)
    assert again.get_json()["error"]["code"] == "invalid_state"


def test_settle_needs_a_funded_invoice_and_enough_money(client, factory, seller):
    listed = factory.invoice(seller)
    response = client.post(f"/api/invoices/{listed['id']}/settle", headers=seller.headers)
    assert response.get_json()["error"]["code"] == "invalid_state"
    # ₹10 crore at 50% for a year: the seller receives ₹5 crore and cannot repay ₹10 crore
    big = factory.invoice(
        seller,
        amount=10**10,
        discount_rate_bps=5000,
        due_date=(today_ist() + timedelta(days=365)).isoformat(),
    )
    assert big["funding_target"] == 5 * 10**9
    for _ in range(50):
        assert factory.fund(factory.user("investor"), big["id"], 10**8).status_code == 201
    before = factory.balance(seller)
    response = client.post(f"/api/invoices/{big['id']}/settle", headers=seller.headers)
    assert response.status_code == 409
    assert response.get_json()["error"]["code"] == "insufficient_funds"
    assert factory.balance(seller) == before
    invoice = client.get(f"/api/invoices/{big['id']}", headers=seller.headers).get_json()["invoice"]
    assert invoice["status"] == "funded"
