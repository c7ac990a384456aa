"""Stored notifications: written with the change that caused them, pushed live, paged, marked
read, and the email preference."""

from __future__ import annotations

from sqlalchemy import text

from invoiceapp import db
from invoiceapp.extensions import socketio
from invoiceapp.services.books import verify_ledger
from tests.realtime.conftest import events, wait_until_ready


def test_a_funding_notifies_both_sides_and_the_bell_survives_a_reload(
    client, factory, seller, investor
):
    invoice = factory.invoice(seller)
    sock = socketio.test_client(
        app=client.application, flask_test_client=client, auth={"token": seller.access_token}
    )
    wait_until_ready(sock)
    factory.fund(investor, invoice["id"], 200_000_00)
    pushed = events(sock)["notification"]
    assert pushed[0]["unread_count"] == 1 and pushed[0]["notification"]["kind"] == "invoice_funding"
    sock.disconnect()

    stored = client.get("/api/notifications", headers=seller.headers).get_json()
    assert stored["unread_count"] == 1
    [item] = stored["items"]
    assert item == pushed[0]["notification"]
    assert item["invoice_id"] == invoice["id"] and item["read_at"] is None
    assert "₹2,00,000.00" in item["title"]
    mine = client.get("/api/notifications", headers=investor.headers).get_json()
    assert [n["kind"] for n in mine["items"]] == ["investment_confirmed"]


def test_notifications_are_paged_newest_first_and_marked_read(client, factory, seller, investor):
    invoice = factory.invoice(seller)
    for _ in range(5):
        factory.fund(investor, invoice["id"], 100_000_00)
    page = client.get("/api/notifications?limit=2", headers=seller.headers).get_json()
    assert page["unread_count"] == 5 and len(page["items"]) == 2 and page["next_cursor"]
    ids = [n["id"] for n in page["items"]]
    assert ids == sorted(ids, reverse=True)
    rest = client.get(
        f"/api/notifications?limit=10&cursor={page['next_cursor']}", headers=seller.headers
    )
    assert len(rest.get_json()["items"]) == 3 and rest.get_json()["next_cursor"] is None

    oldest = rest.get_json()["items"][-1]["id"]
    marked = client.post("/api/notifications/read", json={"ids": [oldest]}, headers=seller.headers)
    assert marked.get_json() == {"unread_count": 4}
    unread = client.get("/api/notifications?unread_only=true", headers=seller.headers).get_json()
    assert oldest not in [n["id"] for n in unread["items"]] and len(unread["items"]) == 4
    everything = client.post(
        "/api/notifications/read", json={"up_to_id": ids[0]}, headers=seller.headers
    )
    assert everything.get_json() == {"unread_count": 0}
    # someone else's ids are not theirs to mark
    assert (
        client.post(
            "/api/notifications/read", json={"up_to_id": 10**6}, headers=investor.headers
        ).status_code
        == 200
    )
    assert (
        client.get("/api/notifications", headers=investor.headers).get_json()["unread_count"] == 0
    )


def test_the_kept_unread_count_moves_only_for_what_was_unread(
    client, runner, factory, seller, investor
):
    """Each user's unread count is kept (one row), not counted: marking what is already read
    takes nothing off it, and `ledger verify` names a count that drifted."""
    invoice = factory.invoice(seller)
    for _ in range(3):
        factory.fund(investor, invoice["id"], 100_000_00)
    newest, middle, oldest = [
        n["id"]
        for n in client.get("/api/notifications", headers=seller.headers).get_json()["items"]
    ]

    def mark(body):
        return client.post("/api/notifications/read", json=body, headers=seller.headers).get_json()

    assert mark({"ids": [oldest]}) == {"unread_count": 2}
    assert mark({"ids": [oldest]}) == {"unread_count": 2}
    assert mark({"ids": [oldest, middle]}) == {"unread_count": 1}
    assert mark({"up_to_id": middle}) == {"unread_count": 1}
    assert mark({"ids": [10**9]}) == {"unread_count": 1}

    db.transaction(lambda s: s.execute(text("UPDATE unread_counts SET unread = unread + 1")))
    drifted = f"user {seller.id} has 1 unread notifications but a kept count of 2"
    assert drifted in verify_ledger()
    assert drifted in runner.invoke(args=["ledger", "verify"]).output
    db.transaction(lambda s: s.execute(text("UPDATE unread_counts SET unread = unread - 1")))
    assert mark({"up_to_id": newest}) == {"unread_count": 0}


def test_mark_read_needs_one_way_of_saying_which(client, seller):
    for body in ({}, {"up_to_id": 1, "ids": [1]}, {"ids": []}, {"ids": ["1"]}):
        response = client.post("/api/notifications/read", json=body, headers=seller.headers)
        assert response.status_code == 422, body


def test_email_notifications_can_be_switched_off(client, investor):
    me = client.patch("/api/auth/me", json={"email_notifications": False}, headers=investor.headers)
    assert me.status_code == 200 and me.get_json()["user"]["email_notifications"] is False
    assert (
        client.patch(
            "/api/auth/me", json={"email_notifications": "no"}, headers=investor.headers
        ).status_code
        == 422
    )
