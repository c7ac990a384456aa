"""The web surface around the API: the SPA's routes never shadow /api, the docs (OpenAPI and
AsyncAPI), and the listing rules that hold whoever calls the service."""

from __future__ import annotations

from datetime import timedelta

import pytest

from invoiceapp.realtime.events import REGISTRY


def test_unknown_api_paths_are_404_and_known_ones_with_the_wrong_method_405(client):
    assert client.post("/api/nope").status_code == 404
    assert client.get("/api/nope").get_json()["error"]["code"] == "not_found"
    wrong = client.get("/api/invoices/7/fund")
    assert wrong.status_code == 405 and "POST" in wrong.headers["Allow"]


def test_client_side_routes_get_the_spa(client):
    for path in ("/", "/marketplace", "/portfolio/anything"):
        response = client.get(path)
        assert response.status_code in (200, 503)  # 503: the SPA is not built in this checkout
        assert "json" not in response.content_type


def test_the_docs_page_answers_with_or_without_a_slash_and_links_both_documents(client):
    for path in ("/api/docs", "/api/docs/"):
        page = client.get(path)
        assert page.status_code == 200
        assert b"/api/openapi.json" in page.data and b"/api/asyncapi.json" in page.data


def _refs(node, found):
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref":
                found.add(value)
            else:
                _refs(value, found)
    elif isinstance(node, list):
        for value in node:
            _refs(value, found)
    return found


def test_the_asyncapi_document_describes_every_event_and_resolves(client):
    document = client.get("/api/asyncapi.json").get_json()
    assert document["asyncapi"].startswith("3.")
    messages = document["components"]["messages"]
    for event in REGISTRY:
        payload = messages[event.name]["payload"]
        assert {"offset", "event_id", "occurred_at", *event.fields} <= set(payload["properties"])
    assert {"ready", "recovered", "resync", "authenticate"} <= set(messages)
    for ref in _refs(document, set()):
        node = document
        for part in ref.removeprefix("#/").split("/"):
            node = node[part]


def test_the_openapi_document_names_every_conflict_and_who_may_call(client):
    spec = client.get("/api/openapi.json").get_json()
    fund = spec["paths"]["/api/invoices/{invoice_id}/fund"]["post"]
    conflict = fund["responses"]["409"]["description"]
    for code in (
        "insufficient_funds",
        "invoice_not_fundable",
        "exceeds_remaining",
        "below_minimum",
    ):
        assert code in conflict
    assert "Not an investor" in fund["responses"]["403"]["description"]
    assert "Not a investor" not in str(spec)
    parameters = {p["name"] for p in fund.get("parameters", [])}
    assert "Idempotency-Key" in parameters


@pytest.mark.parametrize("days", [0, 6, 366])
def test_the_listing_rules_hold_whoever_calls_the_service(app, seller, days):
    from invoiceapp.services import invoices
    from invoiceapp.services.dates import today_ist
    from invoiceapp.services.errors import ValidationFailed

    with pytest.raises(ValidationFailed) as refused:
        invoices.list_invoice(
            seller.id,
            invoices.NewInvoice(
                invoice_number="SVC-1",
                buyer_name="Buyer",
                amount=1_000_000_00,
                due_date=today_ist() + timedelta(days=days),
                discount_rate_bps=1000,
            ),
        )
    assert "due_date" in refused.value.details


def test_a_cancelled_invoice_shows_nothing_funded_and_nothing_left(
    client, factory, seller, investor
):
    invoice = factory.invoice(seller)
    factory.fund(investor, invoice["id"], 250_000_00)
    cancelled = client.post(
        f"/api/invoices/{invoice['id']}/cancel", headers=seller.headers
    ).get_json()
    assert cancelled["invoice"]["status"] == "cancelled"
    assert cancelled["invoice"]["funded_amount"] == 0 and cancelled["invoice"]["remaining"] == 0
