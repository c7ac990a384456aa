"""The auto-invest rules API: CRUD of an investor's own rules, validation that
explains itself, ownership, the status texts, and a rule's fills."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from invoiceapp import db
from invoiceapp.models import AuditEntry, Investment
from invoiceapp.services import jobs

RULES = "/api/auto-invest/rules"
VALID = {"max_per_invoice": 5_000_00, "budget": 50_000_00}


def create(client, user, **fields):
    return client.post(RULES, json={**VALID, **fields}, headers=user.headers)


def error(response) -> dict:
    return response.get_json()["error"]


def test_create_fills_in_defaults_and_reads_back(client, investor):
    response = create(client, investor)
    assert response.status_code == 201
    rule = response.get_json()["rule"]
    assert rule == {
        "id": rule["id"],
        "min_yield_bps": 0,
        "max_tenor_days": 365,
        "max_per_invoice": 5_000_00,
        "max_per_seller": None,
        "max_per_buyer": None,
        "budget": 50_000_00,
        "keep_balance": 0,
        "buyer_confirmed_only": False,
        "active": True,
        "invested": 0,
        "status": "active",
        "created_at": rule["created_at"],
        "updated_at": rule["updated_at"],
        "last_filled_at": None,
    }
    listing = client.get(RULES, headers=investor.headers).get_json()
    assert listing == {"items": [rule]}


def test_every_field_can_be_set_and_changed(client, investor):
    fields = {
        "min_yield_bps": 900,
        "max_tenor_days": 90,
        "max_per_invoice": 20_000_00,
        "max_per_seller": 1_00_000_00,
        "max_per_buyer": 50_000_00,
        "budget": 5_00_000_00,
        "keep_balance": 1_00_000_00,
        "buyer_confirmed_only": True,
        "active": True,
    }
    rule = create(client, investor, **fields).get_json()["rule"]
    assert {k: rule[k] for k in fields} == fields
    response = client.patch(
        f"{RULES}/{rule['id']}",
        json={"max_per_seller": None, "active": False, "min_yield_bps": 1000},
        headers=investor.headers,
    )
    assert response.status_code == 200
    changed = response.get_json()["rule"]
    assert changed["max_per_seller"] is None and changed["active"] is False
    assert changed["min_yield_bps"] == 1000 and changed["budget"] == fields["budget"]
    assert changed["status"] == "paused"
    assert changed["updated_at"] >= rule["updated_at"]


def test_rule_changes_are_audited(client, investor):
    rule = create(client, investor).get_json()["rule"]
    client.patch(f"{RULES}/{rule['id']}", json={"budget": 60_000_00}, headers=investor.headers)
    client.delete(f"{RULES}/{rule['id']}", headers=investor.headers)
    entries = db.read(
        lambda s: s.scalars(
            select(AuditEntry).where(AuditEntry.target_type == "auto_invest_rule")
        ).all()
    )
    assert [(e.action, e.target_id, e.actor_id) for e in entries] == [
        ("rule_create", rule["id"], investor.id),
        ("rule_update", rule["id"], investor.id),
        ("rule_delete", rule["id"], investor.id),
    ]
    assert entries[1].details == {"budget": 60_000_00}
    assert entries[0].details["max_per_invoice"] == 5_000_00


@pytest.mark.parametrize(
    "fields,field,words",
    [
        ({"max_per_invoice": 99_999}, "max_per_invoice", "can never fill"),
        ({"budget": 50_000}, "budget", "can never fill"),
        ({"max_per_seller": 1}, "max_per_seller", "can never fill"),
        ({"max_per_buyer": 0}, "max_per_buyer", "can never fill"),
        ({"max_tenor_days": 6}, "max_tenor_days", "can never fill"),
        ({"max_tenor_days": 366}, "max_tenor_days", "7 to 365"),
        ({"min_yield_bps": -1}, "min_yield_bps", "0 to 10000"),
        ({"keep_balance": -1}, "keep_balance", "0 to"),
        ({"max_per_invoice": "500000"}, "max_per_invoice", "integer"),
        ({"budget": 5_000_000.5}, "budget", "integer"),
        ({"max_per_invoice": 10**12 + 1}, "max_per_invoice", "At most"),
        ({"active": "yes"}, "active", "boolean"),
        ({"buyer_confirmed_only": 1}, "buyer_confirmed_only", "boolean"),
        ({"colour": "blue"}, "colour", "Unknown"),
    ],
)
def test_invalid_rules_are_refused_with_the_reason(client, investor, fields, field, words):
    response = create(client, investor, **fields)
    assert response.status_code == 422
    body = error(response)
    assert body["code"] == "validation_error"
    assert words.lower() in " ".join(body["details"][field]).lower()


def test_max_per_invoice_and_budget_are_required(client, investor):
    response = client.post(RULES, json={}, headers=investor.headers)
    assert response.status_code == 422
    assert set(error(response)["details"]) == {"max_per_invoice", "budget"}


def test_a_patch_is_validated_like_a_create(client, investor):
    rule = create(client, investor).get_json()["rule"]
    response = client.patch(
        f"{RULES}/{rule['id']}", json={"max_per_invoice": 500}, headers=investor.headers
    )
    assert response.status_code == 422
    assert "can never fill" in error(response)["details"]["max_per_invoice"][0]


def test_only_investors_and_only_their_own_rules(client, factory, investor, seller):
    assert client.get(RULES).status_code == 401
    assert create(client, seller).status_code == 403
    assert error(create(client, seller))["code"] == "forbidden"
    rule = create(client, investor).get_json()["rule"]
    other = factory.user("investor")
    assert client.get(RULES, headers=other.headers).get_json() == {"items": []}
    for method, path in [
        ("patch", f"{RULES}/{rule['id']}"),
        ("delete", f"{RULES}/{rule['id']}"),
        ("get", f"{RULES}/{rule['id']}/fills"),
        ("patch", f"{RULES}/999999"),
    ]:
        kwargs = {"json": {"active": False}} if method == "patch" else {}
        response = getattr(client, method)(path, headers=other.headers, **kwargs)
        assert response.status_code == 404, (method, path)
        assert error(response)["code"] == "not_found"
    # validation comes before ownership, as everywhere
    response = client.patch(f"{RULES}/{rule['id']}", json={"budget": 1}, headers=other.headers)
    assert response.status_code == 422
    assert client.get(RULES, headers=investor.headers).get_json()["items"][0]["active"] is True


def test_delete_removes_the_rule_and_keeps_its_investments(client, factory, seller, investor):
    rule = create(client, investor).get_json()["rule"]
    factory.invoice(seller)
    while jobs.run_next():
        pass
    assert (
        len(client.get(f"{RULES}/{rule['id']}/fills", headers=investor.headers).get_json()["items"])
        == 1
    )
    response = client.delete(f"{RULES}/{rule['id']}", headers=investor.headers)
    assert response.status_code == 204 and response.data == b""
    assert client.get(RULES, headers=investor.headers).get_json() == {"items": []}
    assert client.delete(f"{RULES}/{rule['id']}", headers=investor.headers).status_code == 404
    assert client.get(f"{RULES}/{rule['id']}/fills", headers=investor.headers).status_code == 404
    portfolio = client.get("/api/portfolio", headers=investor.headers).get_json()
    (investment,) = portfolio["investments"]
    assert investment["source"] == "auto" and investment["rule_id"] is None
    assert db.read(lambda s: s.scalars(select(Investment.amount)).all()) == [5_000_00]


def test_fills_lists_the_rules_investments_newest_first(client, factory, seller, investor):
    rule = create(client, investor).get_json()["rule"]
    other_rule = create(client, investor, max_per_invoice=2_000_00).get_json()["rule"]
    invoices = [factory.invoice(seller)["id"] for _ in range(3)]
    while jobs.run_next():
        pass
    items = client.get(f"{RULES}/{rule['id']}/fills", headers=investor.headers).get_json()["items"]
    assert [i["invoice_id"] for i in items] == invoices[::-1]
    assert {(i["rule_id"], i["source"], i["amount"]) for i in items} == {
        (rule["id"], "auto", 5_000_00)
    }
    assert set(items[0]) >= {
        "id",
        "invoice_id",
        "investor_id",
        "amount",
        "expected_return",
        "status",
    }
    others = client.get(f"{RULES}/{other_rule['id']}/fills", headers=investor.headers)
    assert [i["amount"] for i in others.get_json()["items"]] == [2_000_00] * 3
    listing = client.get(RULES, headers=investor.headers).get_json()["items"]
    assert [r["invested"] for r in listing] == [15_000_00, 6_000_00]
    assert all(r["last_filled_at"] for r in listing)


def test_status_texts(client, factory, seller, investor):
    wallet = factory.balance(investor)
    keeps_more = create(client, investor, keep_balance=wallet + 1).get_json()["rule"]
    assert keeps_more["status"] == "inactive until your wallet passes ₹10,00,000.01"
    off = create(client, investor, active=False).get_json()["rule"]
    assert off["status"] == "paused"
    ok = create(client, investor).get_json()["rule"]
    assert ok["status"] == "active"
    response = client.patch(
        f"{RULES}/{keeps_more['id']}", json={"keep_balance": 0}, headers=investor.headers
    )
    assert response.get_json()["rule"]["status"] == "active"


def test_the_demo_gives_each_demo_investor_one_rule_once(runner, client):
    from invoiceapp.demo import PASSWORD

    for _ in range(2):
        result = runner.invoke(args=["seed-demo"])
        assert result.exit_code == 0, result.output
    for email in ("investor1@demo.test", "investor2@demo.test"):
        token = client.post(
            "/api/auth/login", json={"email": email, "password": PASSWORD}
        ).get_json()["access_token"]
        rules = client.get(RULES, headers={"Authorization": f"Bearer {token}"}).get_json()
        assert len(rules["items"]) == 1 and rules["items"][0]["active"] is True
    while jobs.run_next():
        pass
    assert runner.invoke(args=["ledger", "verify"]).exit_code == 0
