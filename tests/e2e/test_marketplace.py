"""The scenarios of the product in a real browser, against the real server: live listings,
live funding with balances on both sides, three people at once, and a registered buyer who
accepts and repays while an investor watches; plus the connection indicator across a server
restart. Screenshots land in test-artifacts/."""

from __future__ import annotations

import re
import uuid
from datetime import timedelta

import pytest
import requests
from playwright.sync_api import expect

from invoiceapp.db import init_engine
from invoiceapp.services import invoices
from invoiceapp.services.dates import today_ist

from .accounts import PASSWORD, Account
from .conftest import screenshot

pytestmark = pytest.mark.e2e


def register(page, name: str, role: str):
    page.goto("/register")
    page.get_by_label("Name").fill(name)
    page.get_by_label("Email").fill(
        f"{name.lower().replace(' ', '')}-{uuid.uuid4().hex[:6]}@example.com"
    )
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_label("Role").select_option(role)
    page.get_by_role("button", name="Create account").click()
    expect(page).to_have_url(re.compile(r"/dashboard$"))
    expect(page.get_by_role("status")).to_contain_text("Live")
    return page


def list_invoice(
    page, number: str, rupees: str = "2,00,000", days: int = 45, rate: str = "12"
) -> None:
    page.get_by_role("link", name="New invoice").click()
    page.get_by_label("Invoice number").fill(number)
    page.get_by_label("Buyer", exact=True).fill("Infosys Ltd")
    page.get_by_label("Amount (₹)").fill(rupees)
    page.get_by_label("Due date").fill((today_ist() + timedelta(days=days)).isoformat())
    page.get_by_label("Discount rate (% p.a.)").fill(rate)
    page.get_by_role("button", name="List invoice").click()
    expect(page).to_have_url(re.compile(r"/dashboard"))


def invest(page, number: str, rupees: str | None = None) -> None:
    page.locator("article", has_text=number).get_by_role("button", name="Invest Now").click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_be_visible()
    if rupees is not None:
        dialog.get_by_label("Amount (₹)").fill(rupees)
    dialog.get_by_role("button", name="Confirm investment").click()
    expect(dialog).to_be_hidden()


def seller_lists_while_investor_watches(new_page, tag: str):
    seller = register(new_page(), f"Seller {tag}", "seller")
    investor = register(new_page(), f"Investor {tag}", "investor")
    investor.get_by_role("link", name="Marketplace").click()
    number = f"{tag.upper()}-{uuid.uuid4().hex[:6]}"
    list_invoice(seller, number)
    return seller, investor, number


def test_a_listing_appears_for_an_investor_without_reloading(new_page):
    seller, investor, number = seller_lists_while_investor_watches(new_page, "Live")
    card = investor.locator("article", has_text=number)
    expect(card).to_be_visible()
    expect(card).to_contain_text("Infosys Ltd")
    expect(card).to_contain_text("New")
    screenshot(investor, "marketplace")
    screenshot(seller, "seller-dashboard")


def test_investing_moves_both_wallets_and_the_invoice_leaves(new_page):
    seller, investor, number = seller_lists_while_investor_watches(new_page, "Fund")
    expect(investor.locator("article", has_text=number)).to_be_visible()
    expect(investor.get_by_label("Wallet balance")).to_have_text(re.compile(r"10,00,000\.00"))

    investor.locator("article", has_text=number).get_by_role("button", name="Invest Now").click()
    screenshot(investor, "invest-dialog")
    investor.get_by_role("dialog").get_by_role("button", name="Confirm investment").click()
    expect(investor.locator("article", has_text=number)).to_have_count(0)
    # ₹2,00,000 at 12% for 45 days: the price is ₹1,97,041.10
    expect(investor.get_by_label("Wallet balance")).to_have_text(re.compile(r"8,02,958\.90"))
    expect(seller.get_by_label("Wallet balance")).to_have_text(re.compile(r"11,97,041\.10"))
    expect(seller.get_by_text("Invoice fully funded")).to_be_visible()

    investor.get_by_role("link", name="Portfolio").click()
    expect(investor.get_by_text(number).first).to_be_visible()
    screenshot(investor, "portfolio")
    investor.get_by_role("link", name="Wallet").click()
    expect(investor.get_by_role("table")).to_be_visible()
    screenshot(investor, "wallet")


def test_three_people_at_once(new_page):
    seller = register(new_page(), "Seller Three", "seller")
    first = register(new_page(), "Investor A", "investor")
    second = register(new_page(), "Investor B", "investor")
    for page in (first, second):
        page.get_by_role("link", name="Marketplace").click()
    number = f"RACE-{uuid.uuid4().hex[:6]}"
    list_invoice(seller, number)
    expect(first.locator("article", has_text=number)).to_be_visible()
    expect(second.locator("article", has_text=number)).to_be_visible()

    invest(first, number, "50,000")  # a fraction: the progress bar moves for investor B
    bar = second.locator("article", has_text=number).get_by_role("progressbar")
    expect(bar).not_to_have_attribute("aria-valuenow", "0")
    invest(first, number)  # the rest (prefilled)
    expect(second.locator("article", has_text=number)).to_have_count(0)
    expect(seller.get_by_text("New funding received")).to_be_visible()
    expect(seller.get_by_text("Invoice fully funded")).to_be_visible()
    row = seller.locator("tr", has_text=number)
    expect(row).to_contain_text("Funded")
    screenshot(seller, "seller-funded")


def signed_in_user(page) -> dict:
    return page.evaluate("JSON.parse(localStorage.getItem('invoiceapp.session')).user")


def test_a_buyer_accepts_and_repays_while_an_investor_watches(new_page, server):
    tag = uuid.uuid4().hex[:6]
    seller = Account.register(server, f"Seller {tag}", "seller")
    buyer = register(new_page(), f"Buyer {tag}", "buyer")
    investor = register(new_page(), f"Investor {tag}", "investor")
    investor.get_by_role("link", name="Marketplace").click()
    investor.get_by_label("Buyer confirmed only").check()

    # Listed against the registered buyer: it waits for the buyer, unseen by investors.
    number = f"ACC-{tag.upper()}"
    seller.list_invoice(number, 20_000_000, 45, 1200, buyer_id=signed_in_user(buyer)["id"])
    awaiting = buyer.get_by_role("table", name="Invoices awaiting your acceptance").locator(
        "tr", has_text=number
    )
    expect(awaiting).to_be_visible()
    expect(investor.locator("article", has_text=number)).to_have_count(0)
    screenshot(buyer, "buyer-awaiting")

    awaiting.get_by_role("button", name=f"Accept {number}").click()
    buyer.get_by_role("dialog").get_by_role("button", name="Accept invoice").click()
    card = investor.locator("article", has_text=number)
    expect(card).to_be_visible()
    expect(card).to_contain_text("Buyer confirmed")
    expect(card).to_contain_text("New")
    screenshot(investor, "marketplace-buyer-confirmed")

    invest(investor, number)  # everything left: ₹2,00,000 at 12% for 45 days costs ₹1,97,041.10
    expect(investor.get_by_label("Wallet balance")).to_have_text(re.compile(r"8,02,958\.90"))
    investor.get_by_role("link", name="Portfolio").click()
    held = investor.get_by_role("table", name="Investments").locator("tr", has_text=number)
    expect(held).to_contain_text("Active")

    owed = buyer.get_by_role("table", name="Invoices you owe").locator("tr", has_text=number)
    expect(owed).to_contain_text("Funded")
    owed.get_by_role("button", name=f"Repay {number}").click()
    dialog = buyer.get_by_role("dialog")
    expect(dialog.get_by_label("Amount (₹)")).to_have_value("200000")
    dialog.get_by_role("button", name="Repay everything").click()
    expect(dialog).to_be_hidden()
    expect(buyer.get_by_label("Wallet balance")).to_have_text(re.compile(r"8,00,000\.00"))
    expect(owed).to_have_count(0)

    # The investor is repaid the face value: the portfolio and the wallet follow, live.
    expect(held).to_contain_text("Repaid")
    expect(held).to_contain_text("2,00,000.00")
    expect(investor.get_by_label("Wallet balance")).to_have_text(re.compile(r"10,02,958\.90"))
    expect(investor.get_by_text("Invoice repaid in full")).to_be_visible()
    screenshot(investor, "portfolio-repaid")


def test_indicator_goes_offline_with_the_server_and_data_refreshes_after(new_page, server):
    seller = requests.post(
        f"{server.url}/api/auth/register",
        json={
            "email": f"seller-{uuid.uuid4().hex[:6]}@example.com",
            "password": PASSWORD,
            "name": "Seller Four",
            "role": "seller",
        },
        timeout=10,
    ).json()["user"]
    investor = register(new_page(), "Investor Four", "investor")
    investor.get_by_role("link", name="Marketplace").click()
    server.stop()
    expect(investor.get_by_role("status")).to_contain_text("Offline", timeout=15_000)
    screenshot(investor, "offline")
    # listed while this investor is offline: no event will ever tell the page about it
    number = f"MISSED-{uuid.uuid4().hex[:6]}"
    init_engine(server.db_url)
    invoices.list_invoice(
        seller["id"],
        invoices.NewInvoice(
            invoice_number=number,
            buyer_name="Wipro Ltd",
            amount=300_000_00,
            due_date=today_ist() + timedelta(days=30),
            discount_rate_bps=900,
        ),
    )
    server.start()
    expect(investor.get_by_role("status")).to_contain_text("Live", timeout=20_000)
    expect(investor.locator("article", has_text=number)).to_be_visible()
