"""Two workers, as the Procfile starts them, share events through Redis: a client on any
worker sees what happened on any other. In eventlet (the default) and gevent."""

from __future__ import annotations

import statistics
import time

import pytest
import requests

from .conftest import Listener, list_invoice, make_cluster, register, require_redis

pytestmark = [pytest.mark.postgres, pytest.mark.slow]


@pytest.fixture(scope="module", params=["eventlet", "gevent"])
def cluster(request, cluster_database):
    require_redis()
    running = make_cluster(cluster_database, request.param).start()
    yield running
    running.stop()


@pytest.fixture
def listeners():
    opened = []

    def _open(url, user, transport="websocket"):
        listener = Listener(url, user["access_token"], transport)
        opened.append(listener)
        return listener

    yield _open
    for listener in opened:
        listener.close()


@pytest.mark.parametrize("transport", ["websocket", "polling"])
def test_a_listing_on_worker_a_reaches_investors_on_both_workers(cluster, listeners, transport):
    a, b = cluster.worker_urls
    seller, investor = register(a, "seller"), register(b, "investor")
    on_a, on_b = listeners(a, investor, transport), listeners(b, investor, transport)
    response = list_invoice(a, seller)
    assert response.status_code == 201
    invoice_id = response.json()["invoice"]["id"]
    for listener in (on_a, on_b):
        data, _ = listener.wait_for("newInvoiceListed", lambda d: d["invoice"]["id"] == invoice_id)
        assert data["invoice"]["seller_id"] == seller["user"]["id"]
        listener.wait_for("invoiceUpdated", lambda d: d["invoice"]["id"] == invoice_id)
        assert listener.names().count("newInvoiceListed") == 1  # once, not once per worker


def test_a_funding_on_worker_b_reaches_the_seller_on_worker_a_privately(cluster, listeners):
    a, b = cluster.worker_urls
    seller, funder, bystander = (
        register(a, "seller"),
        register(b, "investor"),
        register(a, "investor"),
    )
    seller_on_a = listeners(a, seller)
    funder_on_b = listeners(b, funder, "polling")
    bystander_on_a = listeners(a, bystander)
    invoice = list_invoice(a, seller).json()["invoice"]
    response = requests.post(
        f"{b}/api/invoices/{invoice['id']}/fund",
        json={"amount": invoice["funding_target"]},
        headers=funder["headers"],
    )
    assert response.status_code == 201, response.text

    funded, _ = seller_on_a.wait_for("invoiceFunded", lambda d: d["invoice"]["id"] == invoice["id"])
    assert funded["fully_funded"] is True
    seller_on_a.wait_for("walletUpdated")
    funder_on_b.wait_for("investmentSuccess")
    funder_on_b.wait_for("walletUpdated")
    funder_on_b.wait_for("portfolioUpdate")
    bystander_on_a.wait_for("invoiceUpdated", lambda d: d["invoice"]["status"] == "funded")
    time.sleep(0.3)
    assert not {"investmentSuccess", "walletUpdated", "portfolioUpdate", "invoiceFunded"} & set(
        bystander_on_a.names() + [n for n in seller_on_a.names() if n == "investmentSuccess"]
    )


def test_cross_worker_delivery_latency(cluster, listeners, capsys):
    a, b = cluster.worker_urls
    seller, investor = register(a, "seller"), register(b, "investor")
    on_b = listeners(b, investor)
    delays = []
    for _ in range(20):
        sent = time.monotonic()
        invoice_id = list_invoice(a, seller).json()["invoice"]["id"]
        _, arrived = on_b.wait_for(
            "newInvoiceListed", lambda d, wanted=invoice_id: d["invoice"]["id"] == wanted
        )
        delays.append((arrived - sent) * 1000)
    with capsys.disabled():
        print(
            f"\n[{cluster.async_mode}] listing on A -> event on B, request included: "
            f"median {statistics.median(delays):.1f} ms, max {max(delays):.1f} ms"
        )
    assert max(delays) < 2000
