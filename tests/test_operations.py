"""What the person on call relies on: metrics that move with real work and stay bounded,
request ids in every log line, JSON logs, and an audit trail that is complete and untouchable."""

from __future__ import annotations

import json
import re

import pytest
from sqlalchemy import func, select

from invoiceapp import db
from invoiceapp.models import AuditEntry

TOKEN = "metrics-token-for-tests"


def scrape(client, token=TOKEN):
    return client.get("/metrics", headers={"Authorization": f"Bearer {token}"} if token else {})


def sample(text: str, name: str, **labels) -> float:
    for line in text.splitlines():
        if line.startswith(name + "{") or line.startswith(name + " "):
            found = dict(re.findall(r'(\w+)="([^"]*)"', line.split(" ")[0]))
            if all(found.get(k) == v for k, v in labels.items()):
                return float(line.rsplit(" ", 1)[1])
    return 0.0


@pytest.mark.config(METRICS_TOKEN=None)
def test_metrics_are_not_there_without_a_token_configured(client):
    assert scrape(client).status_code == 404


@pytest.mark.config(METRICS_TOKEN=TOKEN)
def test_metrics_need_the_token(client):
    assert scrape(client, token=None).status_code == 404
    assert scrape(client, token="wrong").status_code == 404
    assert scrape(client).status_code == 200


@pytest.mark.config(METRICS_TOKEN=TOKEN)
def test_counters_and_histograms_move_with_real_requests(client, factory, seller, investor):
    before = scrape(client).get_data(as_text=True)
    invoice = factory.invoice(seller)
    factory.fund(investor, invoice["id"], 200_000_00)
    after = scrape(client).get_data(as_text=True)
    route = "/api/invoices/<int:invoice_id>/fund"
    assert sample(
        after, "invoiceapp_http_requests_total", method="POST", route=route, status="201"
    ) == (
        sample(before, "invoiceapp_http_requests_total", method="POST", route=route, status="201")
        + 1
    )
    assert sample(after, "invoiceapp_http_request_duration_seconds_count", route=route) >= 1
    assert (
        sample(after, "invoiceapp_fundings_total", source="manual")
        == sample(before, "invoiceapp_fundings_total", source="manual") + 1
    )
    assert (
        sample(after, "invoiceapp_funding_amount_paise_total")
        - sample(before, "invoiceapp_funding_amount_paise_total")
        == 200_000_00
    )
    assert sample(after, "invoiceapp_events_published_total", event="investmentSuccess") >= 1
    assert sample(after, "invoiceapp_message_queue_up") == 1
    assert "invoiceapp_db_pool_in_use" in after and "invoiceapp_socket_connections" in after


@pytest.mark.config(METRICS_TOKEN=TOKEN)
def test_route_labels_stay_bounded(client, investor):
    for invoice_id in range(1, 1001):
        client.get(f"/api/invoices/{invoice_id}", headers=investor.headers)
    text = scrape(client).get_data(as_text=True)
    series = [
        line
        for line in text.splitlines()
        if line.startswith("invoiceapp_http_requests_total{") and "GET" in line
    ]
    routes = {dict(re.findall(r'(\w+)="([^"]*)"', line))["route"] for line in series}
    assert "/api/invoices/<int:invoice_id>" in routes
    assert not any(re.search(r"/\d", route) for route in routes)  # templates, never raw paths
    invoice_series = [line for line in series if 'route="/api/invoices/<int:invoice_id>"' in line]
    assert len(invoice_series) <= 3  # one per status code seen


@pytest.mark.config(METRICS_TOKEN=TOKEN)
def test_the_socket_gauge_returns_to_its_baseline(app, client, investor):
    from invoiceapp.extensions import socketio

    def connected(state):
        return sample(
            scrape(client).get_data(as_text=True), "invoiceapp_socket_connections", state=state
        )

    baseline = connected("authenticated"), connected("unauthenticated")
    sockets = [
        socketio.test_client(app, flask_test_client=client, auth={"token": investor.access_token})
        for _ in range(3)
    ]
    idle = socketio.test_client(app, flask_test_client=client)
    assert connected("authenticated") == baseline[0] + 3
    assert connected("unauthenticated") == baseline[1] + 1
    for sock in [*sockets, idle]:
        sock.disconnect()
    assert (connected("authenticated"), connected("unauthenticated")) == baseline


@pytest.mark.config(LOG_FORMAT="json", ACCESS_LOG=True)
def test_json_logs_carry_the_request_id_of_the_response(client, investor, capsys):
    capsys.readouterr()
    response = client.get(
        "/api/wallet?secret=should-not-appear",
        headers={**investor.headers, "X-Request-ID": "req-42"},
    )
    assert response.headers["X-Request-ID"] == "req-42"
    lines = [
        json.loads(line) for line in capsys.readouterr().err.splitlines() if line.startswith("{")
    ]
    access = [line for line in lines if line["logger"] == "invoiceapp.access"]
    assert len(access) == 1
    line = access[0]
    assert line["request_id"] == "req-42" and line["user_id"] == investor.id
    assert line["method"] == "GET" and line["path"] == "/api/wallet" and line["status"] == 200
    assert line["level"] == "INFO" and "ts" in line and "duration_ms" in line
    assert "should-not-appear" not in json.dumps(lines)


@pytest.mark.config(ACCESS_LOG=True)
def test_a_request_without_a_sane_id_gets_a_new_one(client):
    for given in ("", "x" * 65, "bad id with spaces", "<script>"):
        response = client.get("/api/health", headers={"X-Request-ID": given} if given else {})
        assert re.fullmatch(r"[0-9a-f]{32}", response.headers["X-Request-ID"])


def audit_rows():
    return db.read(
        lambda s: s.execute(
            select(
                AuditEntry.action, AuditEntry.actor_id, AuditEntry.target_type, AuditEntry.target_id
            )
        ).all()
    )


def test_each_action_writes_exactly_one_audit_row_with_its_actor_and_target(
    client, factory, seller, investor
):
    invoice = factory.invoice(seller)
    rows = audit_rows()
    assert rows.count(("list", seller.id, "invoice", invoice["id"])) == 1
    factory.fund(investor, invoice["id"], 200_000_00)
    assert audit_rows().count(("fund", investor.id, "invoice", invoice["id"])) == 1
    client.post(f"/api/invoices/{invoice['id']}/cancel", headers=seller.headers)
    assert audit_rows().count(("cancel", seller.id, "invoice", invoice["id"])) == 1
    registered = [row for row in audit_rows() if row[0] == "register"]
    assert {row[1] for row in registered} == {seller.id, investor.id}


def test_a_rolled_back_action_writes_no_audit_row(client, factory, seller, investor):
    invoice = factory.invoice(seller)
    before = db.read(lambda s: s.scalar(select(func.count()).select_from(AuditEntry)))
    assert factory.fund(investor, invoice["id"], 10**11).status_code == 409
    assert factory.fund(investor, invoice["id"], 200_000_00, key="audited").status_code == 201
    assert (
        factory.fund(investor, invoice["id"], 200_000_00, key="audited").status_code == 201
    )  # replay
    after = db.read(lambda s: s.scalar(select(func.count()).select_from(AuditEntry)))
    assert after == before + 1
