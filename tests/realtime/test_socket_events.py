"""Socket.IO with Flask-SocketIO's test client (no message queue: the test config drops it)."""

from __future__ import annotations

import time
import uuid
from datetime import date, timedelta

import pytest
from flask_jwt_extended import create_access_token

from .conftest import events


def test_connect_with_a_valid_token_joins_the_users_rooms(connect, investor):
    sock = connect(investor)
    assert sock.is_connected()


@pytest.mark.parametrize("token", ["garbage", ""])
def test_connect_with_a_bad_token_is_refused(connect, token):
    assert not connect(token=token).is_connected()


def test_connect_with_a_refresh_token_is_refused(connect, investor):
    assert not connect(token=investor.refresh_token).is_connected()


def test_connect_with_an_expired_token_is_refused(app, connect, investor):
    with app.app_context():
        token = create_access_token(
            str(investor.id),
            additional_claims={"role": "investor"},
            expires_delta=timedelta(seconds=-5),
        )
    assert not connect(token=token).is_connected()


def test_events_carry_id_and_time_and_reach_the_right_people(connect, factory, seller, investor):
    bystander = factory.user("investor")
    seller_sock, investor_sock, bystander_sock = (
        connect(seller),
        connect(investor),
        connect(bystander),
    )
    anonymous = connect()
    invoice = factory.invoice(seller)

    got = events(investor_sock)
    assert got["newInvoiceListed"][0]["invoice"]["id"] == invoice["id"]
    assert got["invoiceUpdated"][0]["invoice"]["version"] == 1
    assert "newInvoiceListed" not in events(seller_sock)  # sellers are not the audience
    events(bystander_sock)
    assert anonymous.get_received() == []

    response = factory.fund(investor, invoice["id"], 200_000_00)
    assert response.status_code == 201
    seller_got, investor_got, bystander_got = (
        events(seller_sock),
        events(investor_sock),
        events(bystander_sock),
    )
    funded = seller_got["invoiceFunded"][0]
    assert funded["fully_funded"] is False and funded["investment"]["amount"] == 200_000_00
    assert funded["invoice"]["version"] == 2
    # no wallet change yet; a stored notification of the funding
    assert set(seller_got) == {"invoiceFunded", "invoiceUpdated", "notification"}
    assert seller_got["notification"][0]["unread_count"] == 1
    success = investor_got["investmentSuccess"][0]
    assert success["wallet"]["balance"] == 100_000_000 - 200_000_00
    assert success["investment"] == response.get_json()["investment"]
    wallet = investor_got["walletUpdated"]
    assert len(wallet) == 1 and wallet[0]["transactions"][0]["kind"] == "investment"
    assert investor_got["portfolioUpdate"][0]["summary"]["active_count"] == 1
    assert set(bystander_got) == {"invoiceUpdated"}
    for payload in (funded, success, wallet[0]):
        uuid.UUID(payload["event_id"])
        assert payload["occurred_at"].endswith("+00:00")
    assert anonymous.get_received() == []


def test_completing_a_funding_updates_the_sellers_wallet(connect, factory, seller, investor):
    invoice = factory.invoice(seller)
    seller_sock = connect(seller)
    factory.fund(investor, invoice["id"], invoice["funding_target"])
    got = events(seller_sock)
    assert got["invoiceFunded"][0]["fully_funded"] is True
    assert got["walletUpdated"][0]["wallet"]["balance"] == 100_000_000 + invoice["funding_target"]
    assert got["walletUpdated"][0]["transactions"][0]["kind"] == "funding_received"


def test_settlement_and_cancellation_events(client, connect, factory, seller, investor):
    other = factory.user("investor")
    settled = factory.invoice(seller, amount=200_000_00)
    factory.fund(investor, settled["id"], 50_000_00)  # two investments by one investor
    factory.fund(investor, settled["id"], 50_000_00)
    factory.fund(other, settled["id"], settled["funding_target"] - 100_000_00)
    cancelled = factory.invoice(seller)
    factory.fund(investor, cancelled["id"], 100_000_00)
    socks = {
        who: connect(user)
        for who, user in (("seller", seller), ("investor", investor), ("other", other))
    }

    client.post(f"/api/invoices/{settled['id']}/settle", headers=seller.headers)
    got = {who: events(sock) for who, sock in socks.items()}
    assert got["seller"]["invoiceUpdated"][0]["invoice"]["status"] == "settled"
    assert got["seller"]["walletUpdated"][0]["transactions"][0]["kind"] == "repayment_paid"
    # one walletUpdated per wallet per commit, carrying every row of that commit
    [investor_wallet] = got["investor"]["walletUpdated"]
    assert [t["kind"] for t in investor_wallet["transactions"]] == ["repayment_received"] * 2
    assert got["investor"]["portfolioUpdate"][0]["summary"]["settled_count"] == 2
    [other_wallet] = got["other"]["walletUpdated"]
    assert [t["kind"] for t in other_wallet["transactions"]] == ["repayment_received"]
    assert got["other"]["portfolioUpdate"][0]["summary"]["settled_count"] == 1

    client.post(f"/api/invoices/{cancelled['id']}/cancel", headers=seller.headers)
    got = {who: events(sock) for who, sock in socks.items()}
    assert got["investor"]["walletUpdated"][0]["transactions"][0]["kind"] == "refund"
    assert "portfolioUpdate" in got["investor"]
    assert set(got["other"]) == {"invoiceUpdated"} and set(got["seller"]) == {"invoiceUpdated"}
    assert all(packet["offset"] for packets in got["investor"].values() for packet in packets)


def test_going_overdue_and_defaulting_update_each_investors_portfolio(
    app, runner, connect, factory, seller, investor
):
    from invoiceapp.services import settings

    invoice = factory.invoice(seller)
    funded = factory.fund(investor, invoice["id"], invoice["funding_target"]).get_json()
    owed = funded["investment"]["expected_return"]
    sock = connect(investor)
    due = date.fromisoformat(invoice["due_date"])

    def close(day: date) -> dict:
        runner.invoke(args=["jobs", "run", "--once", "--date", day.isoformat()])
        return events(sock)

    got = close(due + timedelta(days=1))
    assert "invoiceOverdue" in got
    [overdue] = got["portfolioUpdate"]
    assert overdue["summary"]["overdue_amount"] == owed
    with app.app_context():
        default_after = settings.get().default_after_days
    got = close(due + timedelta(days=default_after + 1))
    assert "invoiceDefaulted" in got
    [defaulted] = got["portfolioUpdate"]
    assert defaulted["summary"]["overdue_amount"] == 0
    assert defaulted["summary"]["defaulted_amount"] == owed


def test_nothing_is_emitted_for_a_rolled_back_funding_or_a_replay(
    connect, factory, seller, investor
):
    invoice = factory.invoice(seller)
    socks = [connect(seller), connect(investor)]
    assert factory.fund(investor, invoice["id"], 99_999).status_code == 409
    assert factory.fund(investor, invoice["id"], 10**9).status_code == 409
    assert all(sock.get_received() == [] for sock in socks)
    assert factory.fund(investor, invoice["id"], 200_000_00, key="once").status_code == 201
    for sock in socks:
        sock.get_received()
    assert factory.fund(investor, invoice["id"], 200_000_00, key="once").status_code == 201
    assert all(sock.get_received() == [] for sock in socks)


def test_authenticate_event_after_connecting(connect, factory, seller, investor):
    sock = connect()
    sock.emit("authenticate", {"token": "nope"})
    assert events(sock)["unauthorized"][0]["message"]
    sock.emit("authenticate", {"token": investor.refresh_token})
    assert "unauthorized" in events(sock)
    sock.emit("authenticate", {"token": investor.access_token})
    assert events(sock)["authenticated"][0]["user"]["id"] == investor.id
    factory.invoice(seller)
    assert "newInvoiceListed" in events(sock)


@pytest.mark.config(SOCKET_AUTH_TIMEOUT=0.5)
def test_unauthenticated_sockets_are_dropped_after_the_timeout(app, connect, investor):
    idle, authed = connect(), connect()
    authed.emit("authenticate", {"token": investor.access_token})
    time.sleep(1.5)
    assert not idle.is_connected()
    assert authed.is_connected()


def test_sockets_are_dropped_when_their_token_expires_unless_renewed(app, connect, investor):
    with app.app_context():
        short = create_access_token(
            str(investor.id),
            additional_claims={"role": "investor", "rti": investor.session},
            expires_delta=timedelta(seconds=2),
        )
    expiring, renewed = connect(token=short), connect(token=short)
    renewed.emit("authenticate", {"token": investor.access_token})
    time.sleep(3)
    assert not expiring.is_connected()
    assert renewed.is_connected()
