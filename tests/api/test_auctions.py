"""Live rate auctions through the API: the listing while open, bids and their errors, who may
do what, Idempotency-Key on bids and early acceptance, and what each party reads."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from invoiceapp.models import utcnow
from invoiceapp.services import auctions
from invoiceapp.services.dates import today_ist

L = 100_000_00  # ₹1,00,000
WALLET = 100_000_000


def error_code(response) -> str:
    return response.get_json()["error"]["code"]


@pytest.fixture
def auction(factory, seller):
    return factory.auction(seller, amount=10 * L, max_rate_bps=1500)


@pytest.fixture
def operator(client, factory):
    from invoiceapp.services.auth import create_operator

    create_operator("ops@example.com", "operator-password-2026", "Ops")
    body = client.post(
        "/api/auth/login", json={"email": "ops@example.com", "password": "operator-password-2026"}
    ).get_json()
    return {"Authorization": f"Bearer {body['access_token']}"}


def test_an_open_auction_is_listed_without_a_price(client, factory, seller, investor):
    listed = factory.auction(seller, amount=10 * L, duration_seconds=3600, auto_accept_rate_bps=800)
    assert listed["status"] == "listed" and listed["pricing"] == "auction"
    for field in ("discount_rate_bps", "funding_target", "annual_yield_bps", "remaining"):
        assert listed[field] is None, field
    terms = listed["auction"]
    closes_at = datetime.fromisoformat(terms["closes_at"])
    assert abs((closes_at - utcnow()) - timedelta(seconds=3600)) < timedelta(seconds=30)
    assert terms | {"closes_at": None} == {
        "max_rate_bps": 1500,
        "auto_accept_rate_bps": 800,
        "closes_at": None,
        "extensions": 0,
        "clearing_rate_bps": None,
        "covered_face": 0,
        "bid_count": 0,
        "state": "open",
    }
    response = factory.fund(investor, listed["id"], 1 * L)
    assert (response.status_code, error_code(response)) == (409, "invoice_not_fundable")


def test_a_bid_answers_201_with_the_bid_and_the_auction(factory, auction, investor):
    response = factory.bid(investor, auction["id"], 4 * L, 1200)
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert set(body) == {"bid", "auction"}
    bid = body["bid"]
    assert "investor_id" not in bid
    assert (bid["face_amount"], bid["rate_bps"], bid["state"], bid["filled_face"]) == (
        4 * L,
        1200,
        "winning",
        4 * L,
    )
    assert bid["investment_id"] is None
    assert body["auction"]["bid_count"] == 1 and body["auction"]["covered_face"] == 4 * L
    assert body["auction"]["clearing_rate_bps"] == 1200
    assert factory.balance(investor) == WALLET - 4 * L  # held


@pytest.mark.parametrize(
    "body,field",
    [
        ({"face_amount": 99_999, "rate_bps": 1000}, "face_amount"),  # below ₹1,000
        ({"face_amount": 10 * L + 1, "rate_bps": 1000}, "face_amount"),  # above the invoice
        ({"face_amount": 1 * L, "rate_bps": -1}, "rate_bps"),
        ({"face_amount": 1 * L, "rate_bps": 1501}, "rate_bps"),  # above max_rate_bps
        ({"face_amount": 1 * L, "rate_bps": 5001}, "rate_bps"),
        ({"face_amount": "100000", "rate_bps": 1000}, "face_amount"),
        ({"face_amount": 1 * L, "rate_bps": 10.5}, "rate_bps"),
        ({"rate_bps": 1000}, "face_amount"),
        ({"face_amount": 1 * L}, "rate_bps"),
    ],
)
def test_bid_terms_out_of_bounds_are_422(factory, auction, investor, body, field):
    response = factory.post(investor, f"/api/invoices/{auction['id']}/bids", body)
    assert response.status_code == 422, response.get_json()
    assert error_code(response) == "validation_error"
    assert field in response.get_json()["error"]["details"]
    assert factory.balance(investor) == WALLET


def test_bid_state_conflicts_are_409(factory, seller, auction, investor):
    rich, other = factory.user("investor"), factory.user("investor")
    assert factory.bid(rich, auction["id"], 10 * L, 1000).status_code == 201  # covered at 10%
    refused = factory.bid(other, auction["id"], 1 * L, 996)
    assert (refused.status_code, error_code(refused)) == (409, "bid_not_competitive")
    assert refused.get_json()["error"]["details"] == {
        "clearing_rate_bps": 1000,
        "max_rate_bps": 995,
    }
    assert factory.bid(other, auction["id"], 1 * L, 995).status_code == 201

    broke = factory.bid(investor, factory.auction(seller, amount=20 * L)["id"], 11 * L, 900)
    assert (broke.status_code, error_code(broke)) == (409, "insufficient_funds")
    fixed = factory.bid(investor, factory.invoice(seller)["id"], 1 * L, 900)
    assert (fixed.status_code, error_code(fixed)) == (409, "invalid_state")

    assert auctions.close_due(utcnow() + timedelta(days=2)) >= 1
    late = factory.bid(investor, auction["id"], 1 * L, 100)
    assert (late.status_code, error_code(late)) == (409, "auction_closed")
    assert factory.balance(investor) == WALLET


def test_a_bid_after_closes_at_is_409_even_before_the_worker_closes(factory, auction, investor):
    response = factory.bid(investor, auction["id"], 1 * L, 100)
    assert response.status_code == 201
    deadline = datetime.fromisoformat(response.get_json()["auction"]["closes_at"])
    with pytest.raises(auctions.AuctionClosedError):
        auctions.place_bid(investor.id, auction["id"], 1 * L, 90, now=deadline)


def test_cancel_is_refused_after_the_first_bid(client, factory, seller, investor):
    untouched, bid_on = factory.auction(seller), factory.auction(seller)
    factory.bid(investor, bid_on["id"], 1 * L, 1000)
    refused = client.post(f"/api/invoices/{bid_on['id']}/cancel", headers=seller.headers)
    assert (refused.status_code, error_code(refused)) == (409, "invalid_state")
    cancelled = client.post(f"/api/invoices/{untouched['id']}/cancel", headers=seller.headers)
    assert cancelled.status_code == 200
    assert cancelled.get_json()["invoice"]["auction"]["state"] == "unfilled"


def test_only_investors_bid_and_only_the_owning_seller_accepts_early(
    client, factory, seller, auction, investor
):
    body = {"face_amount": 1 * L, "rate_bps": 1000}
    path = f"/api/invoices/{auction['id']}"
    assert client.post(f"{path}/bids", json=body).status_code == 401
    for role in ("seller", "buyer"):
        response = factory.post(factory.user(role), f"{path}/bids", body)
        assert (response.status_code, error_code(response)) == (403, "forbidden")
    response = factory.post(investor, "/api/invoices/99999/bids", body)
    assert (response.status_code, error_code(response)) == (404, "not_found")

    assert factory.bid(investor, auction["id"], 6 * L, 1000).status_code == 201
    not_covered = factory.post(seller, f"{path}/auction/accept")
    assert (not_covered.status_code, error_code(not_covered)) == (409, "invalid_state")
    assert factory.bid(factory.user("investor"), auction["id"], 6 * L, 1100).status_code == 201
    for someone in (investor, factory.user("seller")):
        response = factory.post(someone, f"{path}/auction/accept")
        assert (response.status_code, error_code(response)) == (403, "forbidden")
    accepted = factory.post(seller, f"{path}/auction/accept")
    assert accepted.status_code == 200, accepted.get_json()
    invoice = accepted.get_json()["invoice"]
    assert (invoice["status"], invoice["discount_rate_bps"]) == ("funded", 1100)
    assert invoice["auction"]["state"] == "closed"
    assert factory.balance(seller) == WALLET + invoice["funding_target"]


def test_a_bid_with_an_idempotency_key_is_placed_once(client, factory, auction, investor):
    first = factory.bid(investor, auction["id"], 4 * L, 1200, key="bid-1")
    again = factory.bid(investor, auction["id"], 4 * L, 1200, key="bid-1")
    assert first.status_code == again.status_code == 201
    assert first.get_json() == again.get_json()
    assert again.headers["Idempotent-Replayed"] == "true"
    assert factory.balance(investor) == WALLET - 4 * L
    items = client.get(f"/api/invoices/{auction['id']}/bids", headers=investor.headers)
    assert len(items.get_json()["items"]) == 1
    other = factory.bid(investor, auction["id"], 4 * L, 1100, key="bid-1")
    assert (other.status_code, error_code(other)) == (422, "idempotency_conflict")


def test_early_acceptance_with_an_idempotency_key_closes_once(factory, seller, auction):
    factory.bid(factory.user("investor"), auction["id"], 10 * L, 900)
    path = f"/api/invoices/{auction['id']}/auction/accept"
    first = factory.post(seller, path, key="accept-1")
    again = factory.post(seller, path, key="accept-1")
    assert first.status_code == again.status_code == 200, first.get_json()
    assert first.get_json() == again.get_json()
    assert factory.balance(seller) == WALLET + first.get_json()["invoice"]["funding_target"]


def test_what_each_party_reads_of_the_bids(client, factory, seller, auction, investor, operator):
    rival = factory.user("investor")
    factory.bid(investor, auction["id"], 4 * L, 1200)
    factory.bid(rival, auction["id"], 4 * L, 1100)
    factory.bid(rival, auction["id"], 4 * L, 1200)  # same level as the first: 2 L filled
    factory.bid(investor, auction["id"], 3 * L, 1000)  # the 1,200 level is now 2 L short
    path = f"/api/invoices/{auction['id']}/bids"

    own = client.get(path, headers=investor.headers).get_json()["items"]
    assert [(b["face_amount"], b["rate_bps"], b["state"], b["filled_face"]) for b in own] == [
        (4 * L, 1200, "winning", 3 * L),
        (3 * L, 1000, "winning", 3 * L),
    ]
    theirs = client.get(path, headers=rival.headers).get_json()["items"]
    assert [b["state"] for b in theirs] == ["winning", "outbid"]

    book = {
        "items": [
            {"rate_bps": 1000, "face_amount": 3 * L, "bid_count": 1, "filled_face": 3 * L},
            {"rate_bps": 1100, "face_amount": 4 * L, "bid_count": 1, "filled_face": 4 * L},
            {"rate_bps": 1200, "face_amount": 8 * L, "bid_count": 2, "filled_face": 3 * L},
        ]
    }
    assert client.get(path, headers=seller.headers).get_json() == book
    assert client.get(path, headers=operator).get_json() == book
    stranger = client.get(path, headers=factory.user("seller").headers)
    assert (stranger.status_code, error_code(stranger)) == (403, "forbidden")
    assert client.get("/api/invoices/99999/bids", headers=investor.headers).status_code == 404
    assert (
        client.get(f"/api/invoices/{auction['id']}", headers=investor.headers).get_json()[
            "invoice"
        ]["auction"]["covered_face"]
        == 10 * L
    )


def test_won_bids_name_their_investment(client, factory, seller, auction, investor):
    factory.bid(investor, auction["id"], 10 * L, 900)
    factory.post(seller, f"/api/invoices/{auction['id']}/auction/accept")
    [bid] = client.get(f"/api/invoices/{auction['id']}/bids", headers=investor.headers).get_json()[
        "items"
    ]
    portfolio = client.get("/api/portfolio", headers=investor.headers).get_json()
    [investment] = portfolio["investments"]
    assert (bid["state"], bid["investment_id"]) == ("won", investment["id"])
    assert investment["source"] == "auction" and investment["expected_return"] == 10 * L


def test_the_auction_due_date_rule(client, factory, seller):
    # 7 days after the latest close (24 h + 10 extensions of 120 s): day 8 at the earliest
    soon = (today_ist() + timedelta(days=7)).isoformat()
    body = factory.invoice_body(
        pricing="auction",
        discount_rate_bps=None,
        due_date=soon,
        auction={"max_rate_bps": 1000, "duration_seconds": 86_400},
    )
    response = client.post("/api/invoices", json=body, headers=seller.headers)
    assert response.status_code == 422 and "due_date" in response.get_json()["error"]["details"]


def test_an_auction_against_a_buyer_opens_at_acceptance_if_still_due_late_enough(
    client, factory, seller, investor, monkeypatch
):
    from invoiceapp.services import invoices

    buyer = factory.user("buyer")
    body = factory.invoice_body(
        pricing="auction",
        discount_rate_bps=None,
        buyer_id=buyer.id,
        due_date=invoices.earliest_auction_due_date(86_400).isoformat(),
        auction={"max_rate_bps": 1000, "duration_seconds": 86_400},
    )
    del body["buyer_name"]
    listed = client.post("/api/invoices", json=body, headers=seller.headers).get_json()["invoice"]
    assert (listed["status"], listed["auction"]["state"]) == ("pending_acceptance", "pending")
    assert factory.bid(investor, listed["id"], 1 * L, 900).status_code == 404  # not on the market
    accept = f"/api/invoices/{listed['id']}/accept"

    two_days_on = utcnow() + timedelta(days=2)  # the buyer takes its time: the close moves too
    monkeypatch.setattr(invoices, "utcnow", lambda: two_days_on)
    refused = client.post(accept, headers=buyer.headers)
    assert (refused.status_code, error_code(refused)) == (409, "invalid_state")
    monkeypatch.undo()

    accepted = client.post(accept, headers=buyer.headers)
    assert accepted.status_code == 200
    opened = accepted.get_json()["invoice"]
    assert (opened["status"], opened["auction"]["state"]) == ("listed", "open")
    assert factory.bid(investor, listed["id"], 1 * L, 900).status_code == 201
