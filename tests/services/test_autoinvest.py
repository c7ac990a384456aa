"""Auto-invest filling listings, the job run in-process on SQLite and PostgreSQL:
matching, the 70 % share and the last ₹1,000, every limit, the pause on insufficient funds,
listing order, exactly once, and fairness over many listings."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from invoiceapp import db
from invoiceapp.models import AuditEntry, Job, JobStatus, Notification, utcnow
from invoiceapp.services import autoinvest, jobs
from invoiceapp.services.books import verify_ledger

WALLET = 100_000_000
UNIT = 100_000


def run_jobs() -> None:
    while jobs.run_next():
        pass
    failed = db.read(
        lambda s: s.execute(select(Job.id, Job.last_error).where(Job.last_error.is_not(None))).all()
    )
    assert failed == []


def add_rule(client, investor, **fields) -> dict:
    body = {"max_per_invoice": 5_000_00, "budget": 100_000_00, **fields}
    response = client.post("/api/auto-invest/rules", json=body, headers=investor.headers)
    assert response.status_code == 201, response.get_json()
    return response.get_json()["rule"]


def get_rule(client, investor, rule_id) -> dict:
    items = client.get("/api/auto-invest/rules", headers=investor.headers).get_json()["items"]
    return next(item for item in items if item["id"] == rule_id)


def fills(client, investor, rule_id) -> list[dict]:
    response = client.get(f"/api/auto-invest/rules/{rule_id}/fills", headers=investor.headers)
    assert response.status_code == 200
    return response.get_json()["items"]


def invested_by(client, investors, rules) -> list[int]:
    return [
        sum(f["amount"] for f in fills(client, user, rule["id"]))
        for user, rule in zip(investors, rules, strict=True)
    ]


def listed(client, factory, seller, **overrides) -> dict:
    invoice = factory.invoice(seller, **overrides)
    run_jobs()
    return client.get(f"/api/invoices/{invoice['id']}", headers=seller.headers).get_json()[
        "invoice"
    ]


def notifications_of(user_id: int, kind: str) -> list[Notification]:
    return db.read(
        lambda s: list(
            s.scalars(
                select(Notification).where(
                    Notification.user_id == user_id, Notification.kind == kind
                )
            )
        )
    )


def test_a_listing_fills_a_matching_rule_as_a_normal_funding(client, factory, seller, investor):
    rule = add_rule(client, investor)
    invoice = listed(client, factory, seller)
    (fill,) = fills(client, investor, rule["id"])
    assert fill["amount"] == 5_000_00 and fill["source"] == "auto" and fill["rule_id"] == rule["id"]
    assert fill["invoice_id"] == invoice["id"] and fill["status"] == "active"
    assert fill["expected_return"] == 5_000_00 * invoice["amount"] // invoice["funding_target"]
    assert invoice["funded_amount"] == 5_000_00 and invoice["status"] == "listed"
    assert factory.balance(investor) == WALLET - 5_000_00
    after = get_rule(client, investor, rule["id"])
    assert after["last_filled_at"] is not None and after["invested"] == 5_000_00
    assert after["status"] == "active"
    (note,) = notifications_of(investor.id, "auto_invest_filled")
    assert note.title == f"Auto-invest rule #{rule['id']} invested ₹5,000.00"
    assert notifications_of(seller.id, "invoice_funding")
    portfolio = client.get("/api/portfolio", headers=investor.headers).get_json()
    assert portfolio["summary"]["invested"] == 5_000_00
    audit = db.read(
        lambda s: s.scalars(select(AuditEntry).where(AuditEntry.action == "fund")).one()
    )
    assert audit.details == {
        "amount": 5_000_00,
        "investment_id": fill["id"],
        "source": "auto",
        "rule_id": rule["id"],
    }
    assert verify_ledger() == []


def test_rules_fill_only_listings_they_accept(client, factory, seller):
    # the default listing: ₹10,00,000 at 10 % for 73 days yields 1,020 bps
    investors = [factory.user("investor") for _ in range(5)]
    picky_yield = add_rule(client, investors[0], min_yield_bps=1021)
    short_tenor = add_rule(client, investors[1], max_tenor_days=72)
    confirmed_only = add_rule(client, investors[2], buyer_confirmed_only=True)
    switched_off = add_rule(client, investors[3], active=False)
    taker = add_rule(client, investors[4], min_yield_bps=1020, max_tenor_days=73)
    listed(client, factory, seller)
    for user, rule in zip(
        investors, [picky_yield, short_tenor, confirmed_only, switched_off], strict=False
    ):
        assert fills(client, user, rule["id"]) == []
    assert len(fills(client, investors[4], taker["id"])) == 1
    assert get_rule(client, investors[3], switched_off["id"])["status"] == "paused"

    buyer = factory.user("buyer")
    pending = factory.invoice(seller, buyer_name=None, buyer_id=buyer.id)
    run_jobs()
    assert fills(client, investors[2], confirmed_only["id"]) == []  # not listed yet
    response = client.post(f"/api/invoices/{pending['id']}/accept", headers=buyer.headers)
    assert response.status_code == 200
    run_jobs()
    assert [f["invoice_id"] for f in fills(client, investors[2], confirmed_only["id"])] == [
        pending["id"]
    ]


def test_auction_listings_are_not_auto_invested(client, factory, seller, investor):
    add_rule(client, investor)
    body = factory.invoice_body(
        pricing="auction",
        discount_rate_bps=None,
        auction={"max_rate_bps": 1200, "duration_seconds": 300},
        due_date=(utcnow() + timedelta(days=60)).date().isoformat(),
    )
    response = client.post("/api/invoices", json=body, headers=seller.headers)
    assert response.status_code == 201, response.get_json()
    run_jobs()
    assert db.read(lambda s: s.scalars(select(Job.kind)).all()) == []


def test_wants_that_do_not_fit_share_the_units_on_offer(client, factory, seller):
    investors = [factory.user("investor") for _ in range(3)]
    rules = [add_rule(client, user) for user in investors]  # each wants 5 units
    # target ₹9,800: 70 % is ₹6,860, so 6 units for 15 wanted: 2 each
    invoice = listed(client, factory, seller, amount=10_000_00)
    assert invoice["funding_target"] == 9_800_00
    got = invested_by(client, investors, rules)
    assert got == [2_000_00, 2_000_00, 2_000_00]
    assert invoice["funded_amount"] == 6_000_00


@pytest.mark.config(AUTO_INVEST_SHARE=100)
def test_the_last_thousand_is_left_for_a_person_to_complete(client, factory, seller):
    investors = [factory.user("investor") for _ in range(3)]
    rules = [add_rule(client, user) for user in investors]
    # all of ₹9,800 on offer, less the last ₹1,000: 8 units; shares 2 each, 2 left over go to
    # the never-filled rules in id order
    invoice = listed(client, factory, seller, amount=10_000_00)
    got = invested_by(client, investors, rules)
    assert got == [3_000_00, 3_000_00, 2_000_00]
    assert invoice["remaining"] == 1_800_00
    person = factory.user("investor")
    response = factory.fund(person, invoice["id"], invoice["remaining"])
    assert response.status_code == 201
    assert response.get_json()["invoice"]["status"] == "funded"
    assert verify_ledger() == []


def test_budget_caps_the_rules_active_invested_amount(client, factory, seller, investor):
    rule = add_rule(client, investor, budget=12_000_00)
    for _ in range(4):
        listed(client, factory, seller)
    assert [f["amount"] for f in fills(client, investor, rule["id"])] == [
        2_000_00,
        5_000_00,
        5_000_00,
    ]
    assert get_rule(client, investor, rule["id"])["invested"] == 12_000_00


def test_seller_and_buyer_caps_are_shared_by_an_investors_rules(client, factory, seller, investor):
    first = add_rule(client, investor, max_per_seller=8_000_00)
    second = add_rule(client, investor, max_per_seller=8_000_00)
    other = factory.user("investor")
    by_buyer = add_rule(client, other, max_per_buyer=7_000_00)
    listed(client, factory, seller)
    assert [f["amount"] for f in fills(client, investor, first["id"])] == [5_000_00]
    assert [f["amount"] for f in fills(client, investor, second["id"])] == [3_000_00]
    listed(client, factory, seller)  # the same seller and buyer: both caps are reached
    assert len(fills(client, investor, first["id"]) + fills(client, investor, second["id"])) == 2
    assert [f["amount"] for f in fills(client, other, by_buyer["id"])] == [2_000_00, 5_000_00]
    listed(client, factory, factory.user("seller"), buyer_name="Another Buyer Ltd")
    assert len(fills(client, investor, first["id"])) == 2
    assert len(fills(client, other, by_buyer["id"])) == 3


def test_keep_balance_is_the_wallet_a_rule_never_goes_below(client, factory, seller, investor):
    rule = add_rule(client, investor, keep_balance=WALLET - 7_500_00)
    listed(client, factory, seller)
    listed(client, factory, seller)
    assert [f["amount"] for f in fills(client, investor, rule["id"])] == [2_000_00, 5_000_00]
    assert factory.balance(investor) == WALLET - 7_000_00


def test_a_keep_balance_above_the_wallet_is_allowed_and_explained(
    client, factory, seller, investor
):
    rule = add_rule(client, investor, keep_balance=2 * WALLET)
    assert rule["status"] == "inactive until your wallet passes ₹20,00,000.00"
    listed(client, factory, seller)
    assert fills(client, investor, rule["id"]) == []
    assert notifications_of(investor.id, "auto_invest_paused") == []
    assert get_rule(client, investor, rule["id"])["status"].startswith("inactive until")


def test_a_rule_short_of_funds_is_paused_and_told_once_then_resumes(
    client, factory, seller, investor
):
    rule = add_rule(client, investor)
    big = factory.invoice(seller, amount=20_000_000_00 // 10)  # target ₹19,60,000
    assert factory.fund(investor, big["id"], WALLET - 500_00).status_code == 201
    run_jobs()  # the big listing's own job finds the wallet spent already
    filled_before = len(fills(client, investor, rule["id"]))
    for _ in range(3):
        listed(client, factory, seller)
    assert len(fills(client, investor, rule["id"])) == filled_before
    assert get_rule(client, investor, rule["id"])["status"] == "paused: insufficient funds"
    (note,) = notifications_of(investor.id, "auto_invest_paused")
    assert note.title == f"Auto-invest rule #{rule['id']} paused: insufficient funds"

    assert (
        client.post(f"/api/invoices/{big['id']}/cancel", headers=seller.headers).status_code == 200
    )
    assert get_rule(client, investor, rule["id"])["status"] == "active"  # the wallet recovered
    listed(client, factory, seller)
    assert len(fills(client, investor, rule["id"])) == filled_before + 1
    assert db.read(lambda s: s.get(autoinvest.AutoInvestRule, rule["id"]).paused_reason) is None
    assert len(notifications_of(investor.id, "auto_invest_paused")) == 1


def test_listings_are_filled_in_listing_order_even_when_a_job_waits_to_retry(
    client, factory, seller, investor
):
    rule = add_rule(client, investor, budget=5_000_00)  # room for one listing only
    first = factory.invoice(seller)
    second = factory.invoice(seller)
    # the first listing's job failed once and waits for its retry; the second's is due
    db.transaction(
        lambda s: s.execute(
            update(Job)
            .where(Job.key == f"auto_invest:{first['id']}")
            .values(run_at=utcnow() + timedelta(minutes=5), attempts=1)
        )
    )
    assert jobs.run_next()
    (fill,) = fills(client, investor, rule["id"])
    assert fill["invoice_id"] == first["id"] != second["id"]
    statuses = db.read(lambda s: set(s.scalars(select(Job.status))))
    assert statuses == {JobStatus.DONE}
    assert not jobs.run_next()


def test_a_listing_is_filled_once(client, factory, seller, investor):
    rule = add_rule(client, investor)
    invoice = listed(client, factory, seller)
    db.transaction(
        lambda s: jobs.enqueue_in(
            s, "auto_invest", {"invoice_id": invoice["id"]}, key=f"auto_invest:{invoice['id']}"
        )
    )
    run_jobs()
    assert len(fills(client, investor, rule["id"])) == 1
    # and were the job run again by hand, the unique index refuses a second fill
    with pytest.raises(IntegrityError):
        db.transaction(lambda s: autoinvest.fill_in(s, invoice["id"]))
    assert len(fills(client, investor, rule["id"])) == 1


def test_identical_rules_take_turns_over_many_listings(client, factory, seller):
    investors = [factory.user("investor") for _ in range(7)]
    rules = [add_rule(client, user, max_per_invoice=1_000_00) for user in investors]
    # ₹5,000 listings: 70 % of the ₹4,900 target is 3 units for 7 rules wanting 1 each
    for _ in range(14):
        listed(client, factory, seller, amount=5_000_00)
    assert invested_by(client, investors, rules) == [6 * 1_000_00] * 7
    assert verify_ledger() == []


def test_a_suspended_investors_rules_do_not_fill(client, factory, seller, investor):
    from invoiceapp.services import auth

    add_rule(client, investor)
    auth.set_suspended(investor.id, True)
    listed(client, factory, seller)
    assert db.read(lambda s: s.scalars(select(autoinvest.Investment)).all()) == []
