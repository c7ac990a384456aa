"""An invoice's whole life through the API and the daily run (explicit dates): a registered
buyer accepts it, investors fund it, it falls due, turns overdue, accrues late interest, is
partly repaid, defaults, is partly recovered and written off. The books balance after every
step, and only the right party may do each thing."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from invoiceapp.services import money
from invoiceapp.services.books import verify_ledger

GRACE, PENALTY, DEFAULT_AFTER = 7, 1200, 60


@pytest.fixture
def people(app, factory):
    found = {
        "seller": factory.user("seller"),
        "buyer": factory.user("buyer", name="Tata Motors"),
        "ann": factory.user("investor"),
        "bob": factory.user("investor"),
    }
    found["operator"] = factory.operator()
    return found


def post(client, user, path, **body):
    return client.post(path, json=body or None, headers=user.headers)


def daily(runner, day: date):
    result = runner.invoke(args=["jobs", "run", "--once", "--date", day.isoformat()])
    assert result.exit_code == 0, result.output
    return result


def get(client, user, invoice_id) -> dict:
    return client.get(f"/api/invoices/{invoice_id}", headers=user.headers).get_json()["invoice"]


def books_balance():
    assert verify_ledger() == []


def test_the_whole_life_of_an_invoice(client, runner, factory, people):
    seller, buyer, ann, bob, ops = (
        people[k] for k in ("seller", "buyer", "ann", "bob", "operator")
    )
    body = factory.invoice_body(buyer_id=buyer.id, amount=1_000_000_00, discount_rate_bps=1000)
    del body["buyer_name"]
    listed = client.post("/api/invoices", json=body, headers=seller.headers)
    assert listed.status_code == 201
    invoice = listed.get_json()["invoice"]
    assert invoice["status"] == "pending_acceptance" and invoice["buyer_name"] == "Tata Motors"
    # investors see nothing yet
    assert client.get(f"/api/invoices/{invoice['id']}", headers=ann.headers).status_code == 404
    assert client.get("/api/invoices", headers=ann.headers).get_json()["items"] == []
    assert post(client, ann, f"/api/invoices/{invoice['id']}/accept").status_code == 403
    assert post(client, seller, f"/api/invoices/{invoice['id']}/accept").status_code == 403

    accepted = post(client, buyer, f"/api/invoices/{invoice['id']}/accept").get_json()["invoice"]
    assert accepted["status"] == "listed" and accepted["buyer_confirmed"] is True
    assert accepted["accepted_at"] and accepted["funding_target"]
    assert post(client, buyer, f"/api/invoices/{invoice['id']}/accept").status_code == 409
    books_balance()

    target = accepted["funding_target"]
    assert factory.fund(ann, invoice["id"], target * 3 // 5).status_code == 201
    assert factory.fund(bob, invoice["id"], target - target * 3 // 5).status_code == 201
    assert get(client, seller, invoice["id"])["status"] == "funded"
    books_balance()

    due = date.fromisoformat(accepted["due_date"])
    daily(runner, due)
    assert get(client, seller, invoice["id"])["status"] == "funded"
    daily(runner, due + timedelta(days=1))
    late = get(client, seller, invoice["id"])
    assert late["status"] == "overdue" and late["overdue"] and late["days_past_due"] == 1
    assert late["late_interest"] == 0  # within the grace period
    daily(runner, due + timedelta(days=GRACE + 3))  # three charged days: due+8, +9, +10
    charged = get(client, seller, invoice["id"])
    day = money.daily_late_interest(1_000_000_00, 1000, PENALTY)
    assert charged["late_interest"] == 3 * day and charged["days_past_due"] == GRACE + 3
    assert charged["owed"] == 1_000_000_00 + 3 * day
    books_balance()

    # only the buyer repays a buyer-confirmed invoice; interest is paid first
    assert (
        post(client, seller, f"/api/invoices/{invoice['id']}/repay", amount=100_000_00).status_code
        == 403
    )
    assert (
        post(client, ann, f"/api/invoices/{invoice['id']}/repay", amount=100_000_00).status_code
        == 403
    )
    too_much = post(
        client, buyer, f"/api/invoices/{invoice['id']}/repay", amount=charged["owed"] + 1
    )
    assert too_much.status_code == 409 and too_much.get_json()["error"]["code"] == "exceeds_owed"
    repaid = post(
        client, buyer, f"/api/invoices/{invoice['id']}/repay", amount=300_000_00
    ).get_json()["invoice"]
    assert repaid["repaid_amount"] == 300_000_00 and repaid["status"] == "overdue"
    kinds = [
        t["kind"]
        for t in client.get("/api/wallet/transactions", headers=ann.headers).get_json()["items"]
    ]
    assert kinds[:2] == ["repayment_received", "late_interest"]
    books_balance()

    daily(runner, due + timedelta(days=DEFAULT_AFTER))
    defaulted = get(client, seller, invoice["id"])
    assert defaulted["status"] == "defaulted" and defaulted["defaulted_at"]
    face_unpaid = 1_000_000_00 - (300_000_00 - 3 * day)
    later_days = DEFAULT_AFTER - GRACE - 3
    assert defaulted["late_interest"] == 3 * day + later_days * money.daily_late_interest(
        face_unpaid, 1000, PENALTY
    )
    books_balance()

    assert (
        post(
            client, buyer, f"/api/invoices/{invoice['id']}/recoveries", amount=1, note="x"
        ).status_code
        == 403
    )
    recovered = post(
        client,
        ops,
        f"/api/invoices/{invoice['id']}/recoveries",
        amount=200_000_00,
        note="Guarantor",
    )
    assert recovered.status_code == 200
    books_balance()
    assert post(client, seller, f"/api/invoices/{invoice['id']}/write-off").status_code == 403
    written = post(client, ops, f"/api/invoices/{invoice['id']}/write-off").get_json()["invoice"]
    assert written["status"] == "written_off"
    portfolio = client.get("/api/portfolio", headers=ann.headers).get_json()
    [investment] = portfolio["investments"]
    assert investment["status"] == "written_off"
    assert investment["loss"] == max(0, investment["amount"] - investment["received"])
    assert portfolio["summary"]["loss"] == investment["loss"]
    # a later recovery lowers the loss
    before = investment["loss"]
    post(
        client,
        ops,
        f"/api/invoices/{invoice['id']}/recoveries",
        amount=100_000_00,
        note="Court order",
    )
    after = client.get("/api/portfolio", headers=ann.headers).get_json()["investments"][0]
    assert after["loss"] < before
    books_balance()

    overview = client.get("/api/operator/overview", headers=ops.headers).get_json()
    assert overview["by_status"]["written_off"]["count"] == 1
    trail = client.get(
        f"/api/operator/audit?target_type=invoice&target_id={invoice['id']}", headers=ops.headers
    )
    actions = [entry["action"] for entry in trail.get_json()["items"]]
    assert {"list", "accept", "fund", "repay", "recovery", "write_off"} <= set(actions)
    assert client.get("/api/operator/audit", headers=seller.headers).status_code == 403


def test_paying_everything_owed_settles_the_invoice_and_each_investment(
    client, runner, factory, people
):
    seller, ann, bob = people["seller"], people["ann"], people["bob"]
    invoice = factory.invoice(seller, amount=300_000_00)
    factory.fund(ann, invoice["id"], 100_000_00)
    factory.fund(bob, invoice["id"], invoice["funding_target"] - 100_000_00)
    # not buyer-confirmed: the seller is the payer, in parts
    partial = post(client, seller, f"/api/invoices/{invoice['id']}/repay", amount=100_000_00)
    assert partial.get_json()["invoice"]["status"] == "funded"
    settled = post(client, seller, f"/api/invoices/{invoice['id']}/settle").get_json()["invoice"]
    assert settled["status"] == "settled" and settled["owed"] == 0
    payouts = [
        i["payout"]
        for u in (ann, bob)
        for i in client.get("/api/portfolio", headers=u.headers).get_json()["investments"]
    ]
    assert sum(payouts) == 300_000_00
    assert post(client, seller, f"/api/invoices/{invoice['id']}/repay").status_code == 409
    books_balance()


@pytest.mark.config(ACCEPTANCE_DAYS=3)
def test_an_invoice_not_accepted_in_time_is_cancelled(client, runner, factory, people):
    from invoiceapp.services.dates import today_ist

    seller, buyer = people["seller"], people["buyer"]
    body = factory.invoice_body(buyer_id=buyer.id)
    del body["buyer_name"]
    invoice = client.post("/api/invoices", json=body, headers=seller.headers).get_json()["invoice"]
    daily(runner, today_ist() + timedelta(days=2))
    assert get(client, seller, invoice["id"])["status"] == "pending_acceptance"
    daily(runner, today_ist() + timedelta(days=3))
    cancelled = get(client, seller, invoice["id"])
    assert cancelled["status"] == "cancelled" and cancelled["reason"] == "not accepted in time"


def test_a_buyer_may_reject_with_a_reason_and_the_seller_hears_of_it(client, factory, people):
    seller, buyer = people["seller"], people["buyer"]
    body = factory.invoice_body(buyer_id=buyer.id)
    del body["buyer_name"]
    invoice = client.post("/api/invoices", json=body, headers=seller.headers).get_json()["invoice"]
    assert post(client, buyer, f"/api/invoices/{invoice['id']}/reject").status_code == 422
    rejected = post(
        client, buyer, f"/api/invoices/{invoice['id']}/reject", reason="We never ordered this"
    )
    assert rejected.get_json()["invoice"]["status"] == "rejected"
    notes = client.get("/api/notifications", headers=seller.headers).get_json()["items"]
    assert notes[0]["kind"] == "acceptance_rejected" and "never ordered" in notes[0]["body"]
    assert (
        client.get(f"/api/invoices/{invoice['id']}", headers=people["ann"].headers).status_code
        == 404
    )


def test_acceptance_is_refused_past_the_buyers_credit_limit(client, factory, people):
    seller, buyer, ops = people["seller"], people["buyer"], people["operator"]
    assert (
        client.patch(
            f"/api/buyers/{buyer.id}", json={"credit_limit": 150_000_00}, headers=seller.headers
        ).status_code
        == 403
    )
    limited = client.patch(
        f"/api/buyers/{buyer.id}", json={"credit_limit": 150_000_00}, headers=ops.headers
    )
    assert limited.get_json()["buyer"] == {
        "id": buyer.id,
        "name": "Tata Motors",
        "credit_limit": 150_000_00,
        "exposure": 0,
    }
    ids = []
    for amount in (100_000_00, 100_000_00):
        body = factory.invoice_body(buyer_id=buyer.id, amount=amount)
        del body["buyer_name"]
        ids.append(
            client.post("/api/invoices", json=body, headers=seller.headers).get_json()["invoice"][
                "id"
            ]
        )
    assert post(client, buyer, f"/api/invoices/{ids[0]}/accept").status_code == 200
    refused = post(client, buyer, f"/api/invoices/{ids[1]}/accept")
    assert (
        refused.status_code == 409
        and refused.get_json()["error"]["code"] == "credit_limit_exceeded"
    )
    found = client.get("/api/buyers?q=tata", headers=seller.headers).get_json()["items"]
    assert found == [
        {"id": buyer.id, "name": "Tata Motors", "credit_limit": 150_000_00, "exposure": 100_000_00}
    ]
    assert client.get("/api/buyers?q=zzz", headers=seller.headers).get_json()["items"] == []


def test_listing_against_someone_who_is_not_a_buyer_is_refused(client, factory, people):
    body = factory.invoice_body(buyer_id=people["ann"].id)
    del body["buyer_name"]
    response = client.post("/api/invoices", json=body, headers=people["seller"].headers)
    assert response.status_code == 422 and "buyer_id" in response.get_json()["error"]["details"]


@pytest.mark.parametrize("runs", ["one run for the range", "one run a day"])
def test_accrual_over_a_range_equals_the_sum_of_its_days(client, runner, factory, people, runs):
    seller, ann = people["seller"], people["ann"]
    invoice = factory.invoice(seller, amount=500_000_00)
    factory.fund(ann, invoice["id"], invoice["funding_target"])
    due = date.fromisoformat(invoice["due_date"])
    daily(runner, due)
    if runs == "one run a day":
        for offset in range(1, 20):
            daily(runner, due + timedelta(days=offset))
    else:
        closed = daily(runner, due + timedelta(days=19))
        assert closed.output.count(", ") >= 18  # it closed the 19 days in order
    per_day = money.daily_late_interest(500_000_00, invoice["discount_rate_bps"], PENALTY)
    charged_days = [offset for offset in range(1, 20) if offset > GRACE]
    assert get(client, seller, invoice["id"])["late_interest"] == per_day * len(charged_days)


def test_an_auction_that_will_never_open_is_unfilled(client, factory, people):
    seller, buyer = people["seller"], people["buyer"]
    rejected = factory.auction(seller, buyer_id=buyer.id, buyer_name=None)
    assert rejected["auction"]["state"] == "pending"
    post(client, buyer, f"/api/invoices/{rejected['id']}/reject", reason="Not ours")
    assert get(client, seller, rejected["id"])["auction"]["state"] == "unfilled"
    withdrawn = factory.auction(seller, buyer_id=buyer.id, buyer_name=None)
    post(client, seller, f"/api/invoices/{withdrawn['id']}/cancel")
    assert get(client, seller, withdrawn["id"])["auction"]["state"] == "unfilled"
