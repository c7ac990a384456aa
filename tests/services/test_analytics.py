"""Market figures: exact against a data set whose answers are known, consistent under
concurrent fundings, and pushed at most about once a second however busy the market."""

from __future__ import annotations

import threading
import time
from datetime import datetime, timedelta

import pytest
from sqlalchemy import update

from invoiceapp import db
from invoiceapp.models import Invoice
from invoiceapp.services import analytics
from invoiceapp.services.dates import IST, today_ist


def early_today() -> datetime:
    """A minute past midnight, Indian time, today: the figures count by IST day, so times an
    hour ago were yesterday's during the first hour of the Indian day (18:30-19:30 UTC)."""
    return datetime.combine(today_ist(), datetime.min.time(), IST) + timedelta(minutes=1)


def place(invoice_id: int, created_at: datetime, funded_at: datetime) -> None:
    values = {"created_at": created_at, "funded_at": funded_at}
    db.transaction(
        lambda s: s.execute(update(Invoice).where(Invoice.id == invoice_id).values(**values))
    )


def test_the_figures_of_a_known_market(app, factory, seller, investor):
    second = factory.user("investor")
    # four invoices funded after 60, 120, 300 and 600 seconds; one listed and unfunded
    waits = [60, 120, 300, 600]
    funded = []
    for n, wait in enumerate(waits):
        invoice = factory.invoice(seller, amount=(n + 1) * 100_000_00, buyer_name=f"Buyer {n % 2}")
        (investor if n % 2 else second)
        factory.fund(investor if n < 2 else second, invoice["id"], invoice["funding_target"])
        place(invoice["id"], early_today(), early_today() + timedelta(seconds=wait))
        funded.append(invoice)
    open_one = factory.invoice(seller, amount=500_000_00, buyer_name="Buyer 9")
    stats = analytics.market_stats(fresh=True)
    assert stats["time_to_fund_p50_s"] == 120 and stats["time_to_fund_p90_s"] == 600
    assert stats["funded_today"] == 4 and stats["listed_today"] == 5
    assert (
        stats["volume_funded_7d"]
        == stats["volume_funded_30d"]
        == sum(i["funding_target"] for i in funded)
    )
    expected_yield = sum(i["annual_yield_bps"] * i["amount"] for i in funded) // sum(
        i["amount"] for i in funded
    )
    assert stats["avg_yield_bps_7d"] == expected_yield
    assert stats["fully_funded_pct_30d"] == 80.0
    assert stats["overdue_pct"] == 0.0 and stats["default_pct"] == 0.0
    # live face value: Buyer 0 holds 1+3 lakh... of 15 lakh listed or outstanding
    assert stats["top_buyers"][0] == {"name": "Buyer 1", "share_pct": round(600 * 100 / 1500, 1)}
    assert {b["name"] for b in stats["top_buyers"]} == {"Buyer 0", "Buyer 1", "Buyer 9"}
    today = stats["daily"][-1]
    assert len(stats["daily"]) == 30 and today == {
        "date": today["date"],
        "listed": 5,
        "funded": 4,
        "volume": stats["volume_funded_7d"],
        "avg_yield_bps": expected_yield,
    }
    assert open_one["status"] == "listed"


def test_late_and_defaulted_shares_follow_the_daily_run(app, runner, factory, seller, investor):
    from datetime import date

    late = factory.invoice(seller, amount=300_000_00)
    on_time = factory.invoice(
        seller,
        amount=100_000_00,
        due_date=(date.fromisoformat(late["due_date"]) + timedelta(days=90)).isoformat(),
    )
    for invoice in (late, on_time):
        factory.fund(investor, invoice["id"], invoice["funding_target"])
    runner.invoke(
        args=[
            "jobs",
            "run",
            "--once",
            "--date",
            (date.fromisoformat(late["due_date"]) + timedelta(days=1)).isoformat(),
        ]
    )
    assert analytics.market_stats(fresh=True)["overdue_pct"] == 75.0
    runner.invoke(
        args=[
            "jobs",
            "run",
            "--once",
            "--date",
            (date.fromisoformat(late["due_date"]) + timedelta(days=60)).isoformat(),
        ]
    )
    stats = analytics.market_stats(fresh=True)
    assert stats["overdue_pct"] == 75.0 and stats["default_pct"] == 75.0


@pytest.mark.postgres
def test_every_figure_comes_from_one_snapshot_under_concurrent_fundings(postgres_url):
    from config import TestConfig
    from invoiceapp import create_app
    from tests.conftest import clean
    from tests.factories import Factory

    clean(postgres_url)
    app = create_app(TestConfig(postgres_url))
    factory = Factory(app.test_client())
    seller = factory.user("seller")
    investors = [factory.user("investor") for _ in range(4)]
    invoices = [factory.invoice(seller, amount=100_000_00) for _ in range(40)]
    stop = threading.Event()

    def fund(investor, mine):
        client = Factory(app.test_client())
        for invoice in mine:
            client.fund(investor, invoice["id"], invoice["funding_target"])

    threads = [
        threading.Thread(target=fund, args=(inv, invoices[n::4])) for n, inv in enumerate(investors)
    ]
    for thread in threads:
        thread.start()
    samples = 0
    while any(t.is_alive() for t in threads):
        stats = analytics.market_stats(fresh=True)
        today = stats["daily"][-1]
        assert today["funded"] == stats["funded_today"]
        assert today["volume"] == stats["volume_funded_7d"] == stats["volume_funded_30d"]
        assert (
            round(stats["funded_today"] * 100 / stats["listed_today"], 1)
            == stats["fully_funded_pct_30d"]
        )
        samples += 1
    stop.set()
    assert samples > 3


def test_a_burst_of_fundings_pushes_market_figures_about_once_a_second(
    app, client, factory, seller, investor
):
    from invoiceapp.background import Background
    from invoiceapp.extensions import socketio
    from tests.realtime.conftest import events, wait_until_ready

    invoices = [factory.invoice(seller, amount=100_000) for _ in range(100)]  # ₹1,000 each
    background = Background(app)
    background.tick()
    sock = socketio.test_client(
        app, flask_test_client=client, auth={"token": investor.access_token}
    )
    wait_until_ready(sock)
    started = time.monotonic()
    for invoice in invoices:
        factory.fund(investor, invoice["id"], invoice["funding_target"])
        background.tick()
    time.sleep(1.05)
    background.tick()
    seconds = time.monotonic() - started
    pushed = events(sock).get("marketStats", [])
    assert 1 <= len(pushed) <= seconds + 2
    assert pushed[-1]["stats"]["funded_today"] == 100
    assert "offset" in pushed[-1]
