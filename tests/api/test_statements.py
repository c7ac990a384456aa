"""Statements: the wallet CSV reconciles with the wallet and the ledger to the paisa; the
portfolio CSV cuts the Indian financial year at IST midnight between 31 March and 1 April."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta

import pytest

from invoiceapp.services.books import verify_ledger
from invoiceapp.services.dates import today_ist


def parse(response) -> list[dict]:
    return list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))


def paise(text: str) -> int:
    return round(float(text) * 100) if text else 0


def test_the_wallet_statement_reconciles_with_the_wallet_and_the_ledger(
    client, factory, seller, investor
):
    invoice = factory.invoice(seller)
    factory.fund(investor, invoice["id"], 300_000_00)
    factory.fund(investor, invoice["id"], invoice["funding_target"] - 300_000_00)
    client.post(f"/api/invoices/{invoice['id']}/settle", headers=seller.headers)
    today = today_ist().isoformat()
    response = client.get(
        f"/api/wallet/statement.csv?from={today}&to={today}", headers=investor.headers
    )
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/csv")
    assert response.headers["Content-Disposition"] == (
        f'attachment; filename="wallet-statement-{today}-to-{today}.csv"'
    )
    rows = parse(response)
    assert list(rows[0]) == [
        "date",
        "time",
        "description",
        "kind",
        "invoice_id",
        "debit",
        "credit",
        "balance",
    ]
    opening, *movements, closing = rows
    assert (
        opening["description"] == "Opening balance" and closing["description"] == "Closing balance"
    )
    assert [row["kind"] for row in movements] == [
        "demo_credit",
        "investment",
        "investment",
        "repayment_received",  # one per investment
        "repayment_received",
    ]
    running = paise(opening["balance"])
    for row in movements:
        running += paise(row["credit"]) - paise(row["debit"])
        assert paise(row["balance"]) == running
    assert paise(closing["balance"]) == running == factory.balance(investor)
    assert all("," not in row["balance"] and row["balance"].count(".") == 1 for row in rows)
    assert verify_ledger() == []


def test_a_later_period_opens_where_the_earlier_one_closed(client, factory, seller, investor):
    factory.fund(investor, factory.invoice(seller)["id"], 200_000_00)
    tomorrow = (today_ist() + timedelta(days=1)).isoformat()
    later = parse(
        client.get(
            f"/api/wallet/statement.csv?from={tomorrow}&to={tomorrow}", headers=investor.headers
        )
    )
    assert len(later) == 2
    assert paise(later[0]["balance"]) == paise(later[1]["balance"]) == factory.balance(investor)


@pytest.mark.parametrize(
    "query",
    [
        "from=2026-02-30&to=2026-03-01",
        "from=2026-03-02&to=2026-03-01",
        "to=2026-03-01",
        "from=yesterday&to=2026-01-01",
    ],
)
def test_a_bad_date_range_is_422(client, investor, query):
    response = client.get(f"/api/wallet/statement.csv?{query}", headers=investor.headers)
    assert response.status_code == 422


@pytest.mark.parametrize("fy", ["2026", "2026-28", "26-27", "2026-2027", "abcd-ef", ""])
def test_a_bad_financial_year_is_422(client, investor, fy):
    assert (
        client.get(f"/api/portfolio/statement.csv?fy={fy}", headers=investor.headers).status_code
        == 422
    )


def test_the_financial_year_turns_at_ist_midnight_on_1_april(
    client, factory, seller, investor, monkeypatch
):
    from invoiceapp.services import invoices, ledger

    invoice = factory.invoice(seller, amount=200_000_00)
    factory.fund(investor, invoice["id"], invoice["funding_target"])

    def at(moment: datetime):
        for module in (ledger, invoices):
            monkeypatch.setattr(module, "utcnow", lambda: moment)

    at(datetime(2027, 3, 31, 18, 29, 59, tzinfo=UTC))  # 23:59:59 IST, 31 March
    client.post(
        f"/api/invoices/{invoice['id']}/repay", json={"amount": 50_000_00}, headers=seller.headers
    )
    at(datetime(2027, 3, 31, 18, 30, 0, tzinfo=UTC))  # 00:00:00 IST, 1 April
    client.post(f"/api/invoices/{invoice['id']}/settle", headers=seller.headers)

    def statement(fy):
        response = client.get(f"/api/portfolio/statement.csv?fy={fy}", headers=investor.headers)
        assert (
            response.headers["Content-Disposition"]
            == f'attachment; filename="portfolio-statement-FY{fy}.csv"'
        )
        return parse(response)

    [first] = statement("2026-27")
    assert (
        paise(first["received"]) == 50_000_00
        and first["gain_or_loss"] == ""
        and first["status"] == "active"
    )
    [second] = statement("2027-28")
    assert paise(second["received"]) == 150_000_00
    assert paise(second["gain_or_loss"]) == 200_000_00 - invoice["funding_target"]
    assert int(second["days_held"]) >= 0
    assert statement("2025-26") == []
    assert (
        client.get("/api/portfolio/statement.csv?fy=2026-27", headers=seller.headers).status_code
        == 403
    )
