"""Release 2's live markets in real browsers against the real server (whose one process also
closes auctions and fills auto-invest rules): two investors bidding while the seller watches,
an auto-invest fill arriving by itself, the Market page moving when someone funds elsewhere,
statements downloaded and read, and the outage banner coming and going."""

from __future__ import annotations

import csv
import re
import uuid

import pytest
from playwright.sync_api import expect

from invoiceapp.services.dates import today_ist

from .accounts import Account
from .conftest import open_page, screenshot

pytestmark = pytest.mark.e2e
PHONE = 390
# Long enough for two people to bid through the browser, short enough to watch it close.
AUCTION_SECONDS = 45


def place_bid(page, number: str, rupees: str, percent: str) -> None:
    page.locator("article", has_text=number).get_by_role("button", name="Place a bid").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("Face amount (₹)").fill(rupees)
    dialog.get_by_label("Rate (% a year)").fill(percent)
    dialog.get_by_role("button", name="Place bid").click()
    expect(dialog).to_be_hidden()


def seller_and_investor(server, investor_name: str) -> tuple[str, Account, Account]:
    tag = uuid.uuid4().hex[:6].upper()
    seller = Account.register(server, f"Seller {tag}", "seller")
    return tag, seller, Account.register(server, f"{investor_name} {tag}", "investor")


def inr(paise: int) -> str:
    """12345678 -> '1,23,456.78' (Indian grouping, as the SPA writes money)."""
    whole, fraction = divmod(paise, 100)
    digits = str(whole)
    head, groups = digits[:-3], [digits[-3:]]
    while head:
        groups.insert(0, head[-2:])
        head = head[:-2]
    return f"{','.join(groups)}.{fraction:02d}"


def rupees(text: str) -> int:
    """'₹1,23,456.78' -> 12345678 paise."""
    whole, _, fraction = re.sub(r"[^\d.]", "", text).partition(".")
    return int(whole) * 100 + int(fraction.ljust(2, "0")[:2])


def test_two_investors_bid_while_the_seller_watches_and_the_auction_closes_by_itself(
    new_page, server
):
    tag = uuid.uuid4().hex[:6].upper()
    seller = Account.register(server, f"Seller {tag}", "seller")
    first = Account.register(server, f"First {tag}", "investor")
    second = Account.register(server, f"Second {tag}", "investor")
    number = f"AUC-{tag}"
    seller.list_auction(number, 10_000_000, 45, 1500, AUCTION_SECONDS)

    watching = open_page(new_page, seller, "/dashboard")
    first_page = open_page(new_page, first, "/marketplace", PHONE)
    second_page = open_page(new_page, second, "/marketplace")
    seller_card = watching.get_by_role("region", name="Live auctions").locator(
        "article", has_text=number
    )
    expect(seller_card).to_contain_text("No bids yet")
    first_card = first_page.locator("article", has_text=number)
    expect(first_card).to_contain_text("Closes in")

    place_bid(first_page, number, "60,000", "12")
    expect(first_card.get_by_role("list", name="Your bids")).to_contain_text("Winning")
    for card in (seller_card, second_page.locator("article", has_text=number)):
        expect(card).to_contain_text("12.00%")
        expect(card).to_contain_text("60% covered")
    expect(seller_card.get_by_role("table")).to_contain_text("₹60,000.00")
    screenshot(first_page, "auction-card-phone")

    # The second investor takes the whole face value at a lower rate: the first is outbid.
    place_bid(second_page, number, "1,00,000", "11")
    second_card = second_page.locator("article", has_text=number)
    expect(second_card.get_by_role("list", name="Your bids")).to_contain_text("Winning")
    expect(first_card.get_by_role("list", name="Your bids")).to_contain_text("Outbid")
    expect(first_page.get_by_text("You were outbid")).to_be_visible()
    expect(first_page.get_by_role("button", name=re.compile("^Bid again on"))).to_be_visible()
    for card in (first_card, seller_card, second_card):
        expect(card).to_contain_text("11.00%")
        expect(card).to_contain_text("100% covered")
    expect(seller_card.get_by_role("button", name="Accept now")).to_be_enabled()
    screenshot(watching, "auction-seller-book")

    # Nobody clicks anything: the server closes it at its time and everyone sees it go.
    close = {"timeout": (AUCTION_SECONDS + 30) * 1000}
    expect(second_page.get_by_text("You won at auction")).to_be_visible(**close)
    expect(second_card).to_have_count(0, **close)
    expect(first_card).to_have_count(0, **close)
    expect(seller_card).to_have_count(0, **close)
    expect(watching.locator("tr, li.row-card").filter(has_text=number)).to_contain_text("Funded")
    second_page.get_by_role("link", name="Portfolio").click()
    won = second_page.get_by_role("table", name="Investments").locator("tr", has_text=number)
    expect(won).to_contain_text("Auction")


def test_an_auto_invest_fill_arrives_without_a_click(new_page, server):
    tag, seller, investor = seller_and_investor(server, "Auto")
    page = open_page(new_page, investor, "/auto-invest", PHONE)
    expect(page.get_by_text("No rules yet")).to_be_visible()
    page.get_by_role("button", name="New rule").first.click()
    dialog = page.get_by_role("dialog", name="New auto-invest rule")
    # A yield only this test's listing offers, so other tests' listings stay untouched.
    dialog.get_by_label("Minimum yield (% a year)").fill("40")
    dialog.get_by_label("Longest tenor (days)").fill("400")
    expect(dialog.get_by_text("Enter whole days, 7 to 365.")).to_be_visible()
    dialog.get_by_label("Longest tenor (days)").fill("90")
    dialog.get_by_label("Per invoice, at most (₹)").fill("25,000")
    expect(dialog).to_contain_text("Up to ₹25,000 per invoice, yield ≥ 40 %, ≤ 90 days")
    dialog.get_by_role("button", name="Create rule").click()
    expect(dialog).to_be_hidden()
    rule = page.locator("article", has_text="Up to ₹25,000 per invoice")
    expect(rule).to_contain_text("active")
    expect(rule).to_contain_text("None yet")

    number = f"AUTO-{tag}"
    invoice = seller.list_invoice(number, 20_000_000, 45, 4200, buyer="Infosys Ltd")
    fills = rule.get_by_role("list", name=re.compile("^Fills of rule"))
    expect(fills).to_contain_text(f"₹25,000.00 in invoice #{invoice['id']}")
    expect(fills).to_contain_text("Auto")
    expect(page.get_by_text("Auto-invest filled")).to_be_visible()
    expect(rule).to_contain_text("(₹25,000 invested)")
    screenshot(page, "auto-invest-phone")

    page.get_by_role("link", name="Portfolio").click()
    row = page.get_by_role("list", name="Investments").locator("li", has_text=number)
    expect(row).to_contain_text("Auto")


def test_the_market_page_moves_when_someone_funds_elsewhere(new_page, server):
    tag, seller, investor = seller_and_investor(server, "Investor")
    number = f"MKT-{tag}"
    invoice = seller.list_invoice(number, 30_000_000, 30, 1100, buyer="Tata Steel")

    watching = open_page(new_page, seller, "/market", PHONE)
    funded_7d = (
        watching.get_by_role("region", name="Key figures")
        .locator(".stat", has=watching.get_by_text("Funded in 7 days", exact=True))
        .locator(".stat__value")
    )
    expect(funded_7d).to_have_text(re.compile(r"^₹"))
    watching.wait_for_timeout(1500)  # earlier tests' figures have been pushed by now
    before = rupees(funded_7d.inner_text())

    funding = open_page(new_page, investor, "/marketplace")
    funding.locator("article", has_text=number).get_by_role("button", name="Invest Now").click()
    funding.get_by_role("dialog").get_by_role("button", name="Confirm investment").click()
    expect(funding.get_by_role("dialog")).to_be_hidden()

    after = inr(before + invoice["funding_target"])
    expect(funded_7d).to_have_text(re.compile(re.escape(after)))
    expect(watching.get_by_role("region", name="Buyer concentration")).to_contain_text("Tata Steel")
    screenshot(watching, "market-phone")


def read_csv(download) -> list[list[str]]:
    with open(download.path(), encoding="utf-8", newline="") as file:
        return list(csv.reader(file))


def test_statements_download_and_read(new_page, server, tmp_path):
    tag, seller, investor = seller_and_investor(server, "Investor")
    number = f"STMT-{tag}"
    invoice = seller.list_invoice(number, 10_000_000, 30, 1200, buyer="Wipro Ltd")
    investor.post(f"/invoices/{invoice['id']}/fund", {"amount": invoice["funding_target"]})
    seller.post(f"/invoices/{invoice['id']}/settle")

    page = open_page(new_page, investor, "/wallet", PHONE)
    statement = page.get_by_role("region", name="Statement")
    with page.expect_download() as wallet_download:
        statement.get_by_role("button", name="Download CSV").click()
    assert re.fullmatch(r"wallet-statement-.+\.csv", wallet_download.value.suggested_filename)
    rows = read_csv(wallet_download.value)
    text = "\n".join(",".join(row) for row in rows)
    assert len(rows) >= 4, rows  # a header, the demo credit, the investment, the repayment
    assert "1000000.00" in text and "100000.00" in text, text
    expect(statement).to_contain_text(f"Saved {wallet_download.value.suggested_filename}")

    # A period that ends before it starts: the server's 422, in plain words.
    statement.get_by_label("From").fill("2030-01-10")
    statement.get_by_label("To (IST dates)").fill("2030-01-01")
    statement.get_by_role("button", name="Download CSV").click()
    expect(statement.get_by_role("alert")).to_have_text(
        "The end date must be a real date, on or after the start date."
    )

    page.get_by_role("link", name="Portfolio").click()
    statement = page.get_by_role("region", name="Statement")
    year = today_ist().year if today_ist().month >= 4 else today_ist().year - 1
    expect(statement.get_by_label("Financial year")).to_have_value(f"{year}-{(year + 1) % 100:02d}")
    with page.expect_download() as portfolio_download:
        statement.get_by_role("button", name="Download CSV").click()
    rows = read_csv(portfolio_download.value)
    assert rows[0][:2] == ["invoice_number", "buyer"], rows[0]
    assert any(row[0] == number for row in rows[1:]), rows


def test_the_outage_banner_comes_and_goes_by_itself(new_page, server):
    investor = Account.register(server, f"Investor {uuid.uuid4().hex[:6]}", "investor")
    page = open_page(new_page, investor, "/wallet", PHONE)
    balance = page.get_by_label("Wallet balance")
    expect(balance).to_have_text(re.compile(r"10,00,000\.00"))

    def unavailable(route):
        route.fulfill(
            status=503,
            headers={"Retry-After": "1"},
            json={"error": {"code": "service_unavailable", "message": "Database down."}},
        )

    page.route(re.compile(r"/api/"), unavailable)
    page.get_by_role("link", name="Market", exact=True).click()
    banner = page.get_by_text("Can't reach the marketplace right now; retrying")
    expect(banner).to_be_visible()
    expect(page.get_by_label("Loading the market figures")).to_be_visible()
    expect(page.get_by_role("alert").filter(has_text="Couldn't load")).to_have_count(0)
    expect(balance).to_have_text(re.compile(r"10,00,000\.00"))  # what was shown stays
    screenshot(page, "outage-banner-phone")

    page.unroute(re.compile(r"/api/"))
    expect(banner).to_be_hidden(timeout=15_000)
    expect(page.get_by_label("Loading the market figures")).to_have_count(0)
    expect(page.get_by_role("alert").filter(has_text="Couldn't load")).to_have_count(0)
