"""An auction's events, through the registry, to the right people only: the book moves for every
investor and the seller, each bidder hears of its own bids, the close reaches everyone and is
followed by the funding events; no bidder is ever named to anyone else."""

from __future__ import annotations

import json
from datetime import timedelta

from invoiceapp.models import utcnow
from invoiceapp.services import auctions

from .conftest import events, grouped

L = 100_000_00  # ₹1,00,000


def _mentions(payloads: dict, user_id: int) -> bool:
    """Does any payload carry this user as an investor?"""
    text = json.dumps(payloads)
    return f'"investor_id": {user_id}' in text


def test_every_accepted_bid_moves_the_book_for_investors_and_the_seller(
    connect, factory, seller, investor
):
    rival, bystander, other_seller = (
        factory.user("investor"),
        factory.user("investor"),
        factory.user("seller"),
    )
    listed = factory.auction(seller, amount=10 * L)
    socks = {
        "seller": connect(seller),
        "investor": connect(investor),
        "rival": connect(rival),
        "bystander": connect(bystander),
        "other_seller": connect(other_seller),
    }

    assert factory.bid(investor, listed["id"], 6 * L, 1200).status_code == 201
    got = {who: events(sock) for who, sock in socks.items()}
    for who in ("seller", "investor", "rival", "bystander"):
        [update] = got[who]["auctionUpdated"]
        assert update["invoice_id"] == listed["id"] and update["offset"]
        assert update["auction"]["bid_count"] == 1 and update["auction"]["covered_face"] == 6 * L
        assert set(update) == {"invoice_id", "auction", "offset", "event_id", "occurred_at"}
    assert got["other_seller"] == {}
    assert got["investor"]["walletUpdated"][0]["transactions"][0]["kind"] == "bid_hold"
    assert set(got["bystander"]) == set(got["rival"]) == {"auctionUpdated"}

    # the rival covers the invoice below the first bid: the first bid is cut to 4 L
    assert factory.bid(rival, listed["id"], 6 * L, 1100).status_code == 201
    got = {who: events(sock) for who, sock in socks.items()}
    assert "bidOutbid" not in got["investor"]  # still in the winning set
    # then pushed out: its bidder alone hears of it, with its hold back
    assert factory.bid(bystander, listed["id"], 4 * L, 1000).status_code == 201
    got = {who: events(sock) for who, sock in socks.items()}
    [outbid] = got["investor"]["bidOutbid"]
    assert (outbid["bid"]["state"], outbid["bid"]["filled_face"]) == ("outbid", 0)
    assert got["investor"]["walletUpdated"][0]["transactions"][0]["kind"] == "bid_release"
    assert got["investor"]["notification"][0]["notification"]["kind"] == "bid_outbid"
    for who in ("seller", "rival", "bystander"):
        assert "bidOutbid" not in got[who]
        assert got[who]["auctionUpdated"][0]["auction"]["clearing_rate_bps"] == 1100
    # no bidder named to anyone: not even to itself outside its own bid's events
    for sock_events in got.values():
        assert not any(_mentions(sock_events, u.id) for u in (investor, rival, bystander))


def test_the_close_reaches_everyone_then_the_funding_events(connect, factory, seller, investor):
    rival, bystander = factory.user("investor"), factory.user("investor")
    listed = factory.auction(seller, amount=10 * L)
    factory.bid(investor, listed["id"], 7 * L, 900)
    factory.bid(rival, listed["id"], 5 * L, 950)  # 3 L of it in the set
    socks = {
        "seller": connect(seller),
        "investor": connect(investor),
        "rival": connect(rival),
        "bystander": connect(bystander),
        "other_seller": connect(factory.user("seller")),
    }
    accepted = factory.post(seller, f"/api/invoices/{listed['id']}/auction/accept")
    assert accepted.status_code == 200
    target = accepted.get_json()["invoice"]["funding_target"]
    packets = {who: sock.get_received() for who, sock in socks.items()}
    got = {who: grouped(received) for who, received in packets.items()}
    # the close's events come in registry order: the bid's fate and the close, then the funding
    order = [packet["name"] for packet in packets["investor"]]
    assert order.index("bidWon") < order.index("investmentSuccess")
    assert order.index("auctionClosed") < order.index("investmentSuccess")

    for who in got:  # to all
        [closed] = got[who]["auctionClosed"]
        assert closed["invoice"]["status"] == "funded"
        assert closed["invoice"]["auction"]["state"] == "closed"
        assert got[who]["invoiceUpdated"][-1]["invoice"]["status"] == "funded"

    funded = got["seller"]["invoiceFunded"]  # one per winner, the last completing it
    assert [f["fully_funded"] for f in funded] == [False, True]
    assert sum(f["investment"]["amount"] for f in funded) == target
    assert all("investor_id" not in f["investment"] for f in funded)  # winners stay unnamed
    assert got["seller"]["walletUpdated"][0]["transactions"][0]["kind"] == "funding_received"
    assert [n["notification"]["kind"] for n in got["seller"]["notification"]] == ["auction_closed"]

    for user, name, filled in ((investor, "investor", 7 * L), (rival, "rival", 3 * L)):
        mine = got[name]
        [won] = mine["bidWon"]
        assert (won["bid"]["state"], won["bid"]["filled_face"]) == ("won", filled)
        assert won["investment"]["id"] == won["bid"]["investment_id"]
        assert won["investment"]["investor_id"] == user.id
        assert won["investment"]["expected_return"] == filled
        [success] = mine["investmentSuccess"]
        assert success["investment"] == won["investment"]
        assert success["wallet"]["balance"] == factory.balance(user)
        [wallet] = mine["walletUpdated"]
        assert [t["kind"] for t in wallet["transactions"]] == ["bid_release"]
        assert mine["portfolioUpdate"][0]["summary"]["active_count"] == 1
        assert [n["notification"]["kind"] for n in mine["notification"]] == ["bid_won"]
    assert set(got["bystander"]) == {"auctionClosed", "invoiceUpdated"}


def test_an_unfilled_close_tells_each_bidder_it_lost(connect, factory, seller, investor):
    listed = factory.auction(seller, amount=10 * L)
    factory.bid(investor, listed["id"], 3 * L, 900)
    seller_sock, investor_sock = connect(seller), connect(investor)
    assert auctions.close_due(utcnow() + timedelta(days=2)) == 1
    mine, theirs = events(investor_sock), events(seller_sock)
    [lost] = mine["bidLost"]
    assert (lost["bid"]["state"], lost["bid"]["filled_face"]) == ("lost", 0)
    assert mine["walletUpdated"][0]["transactions"][0]["kind"] == "bid_release"
    assert mine["auctionClosed"][0]["invoice"]["status"] == "cancelled"
    assert mine["auctionClosed"][0]["invoice"]["reason"] == "auction_unfilled"
    assert [n["notification"]["kind"] for n in mine["notification"]] == ["bid_lost"]
    assert "invoiceFunded" not in theirs and "bidLost" not in theirs
    assert theirs["notification"][0]["notification"]["kind"] == "auction_closed"


def test_nothing_is_emitted_for_a_refused_bid_or_a_replay(connect, factory, seller, investor):
    listed = factory.auction(seller, amount=10 * L)
    socks = [connect(seller), connect(investor)]
    assert factory.bid(investor, listed["id"], 99_999, 900).status_code == 422
    assert factory.bid(investor, listed["id"], 11 * L, 900).status_code == 422
    assert factory.bid(investor, listed["id"], 10 * L, 900, key="k").status_code == 201
    for sock in socks:
        sock.get_received()
    assert factory.bid(investor, listed["id"], 10 * L, 900, key="k").status_code == 201  # replay
    assert factory.bid(factory.user("investor"), listed["id"], 1 * L, 899).status_code == 409
    assert all(sock.get_received() == [] for sock in socks)
