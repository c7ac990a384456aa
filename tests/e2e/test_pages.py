"""Every page at phone, tablet and laptop widths (no sideways overflow, every action in view,
no serious or critical axe-core violations, a screenshot each), and every page's four states
with its API answering normally, slowly, with nothing, or with an error."""

from __future__ import annotations

import json
import re
import uuid
from datetime import timedelta

import pytest
import requests
from playwright.sync_api import expect

from deploy.cluster import ROOT
from invoiceapp.services.dates import today_ist

from .conftest import screenshot

pytestmark = pytest.mark.e2e
PASSWORD = "password-123"
AXE = ROOT / "frontend" / "node_modules" / "axe-core" / "axe.min.js"
WIDTHS = {"phone": 390, "tablet": 768, "laptop": 1366}


class Account:
    def __init__(self, server, name: str, role: str):
        self.url = server.url
        body = requests.post(
            f"{self.url}/api/auth/register",
            json={
                "email": f"{role}-{uuid.uuid4().hex[:8]}@example.com",
                "password": PASSWORD,
                "name": name,
                "role": role,
            },
            timeout=10,
        ).json()
        self.user = body["user"]
        self.session = {
            "user": body["user"],
            "accessToken": body["access_token"],
            "refreshToken": body["refresh_token"],
        }

    def post(self, path: str, body: dict | None = None) -> dict:
        response = requests.post(
            f"{self.url}/api{path}",
            json=body,
            headers={"Authorization": f"Bearer {self.session['accessToken']}"},
            timeout=10,
        )
        assert response.ok, response.text
        return response.json()

    def list_invoice(self, number: str, buyer: str, amount: int, days: int, rate_bps: int):
        return self.post(
            "/invoices",
            {
                "invoice_number": number,
                "buyer_name": buyer,
                "amount": amount,
                "due_date": (today_ist() + timedelta(days=days)).isoformat(),
                "discount_rate_bps": rate_bps,
            },
        )["invoice"]


@pytest.fixture(scope="module")
def accounts(server):
    """A seller and an investor with some of everything: listed, funded, settled invoices, and
    long names and large amounts that must not break a layout."""
    seller = Account(server, "Asha Traders Private Limited", "seller")
    investor = Account(server, "Ravi Capital", "investor")
    tag = uuid.uuid4().hex[:4].upper()
    settled = seller.list_invoice(f"INV-2026-{tag}-000101", "Infosys Ltd", 20_000_000, 30, 1200)
    partial = seller.list_invoice(
        f"INV-2026-{tag}-000102", "Hindustan Construction Company Ltd", 98_765_432_10, 300, 1450
    )
    seller.list_invoice(f"INV-2026-{tag}-000103", "Wipro Ltd", 50_000_000, 90, 0)
    investor.post(f"/invoices/{settled['id']}/fund", {"amount": settled["funding_target"]})
    investor.post(f"/invoices/{partial['id']}/fund", {"amount": 5_000_000})
    seller.post(f"/invoices/{settled['id']}/settle")
    funded = seller.list_invoice(f"INV-2026-{tag}-000104", "Tata Steel", 10_000_000, 45, 1000)
    investor.post(f"/invoices/{funded['id']}/fund", {"amount": funded["funding_target"]})
    return {"seller": seller, "investor": investor}


def open_page(new_page, account: Account | None, path: str, width: int = 1280, route=None):
    """A page signed in as `account` (its session put where the SPA keeps it), with requests
    matching `route` = (pattern, handler) answered by the handler."""
    page = new_page()
    page.set_viewport_size({"width": width, "height": 860})
    if account is not None:
        session = json.dumps(account.session)
        page.add_init_script(f"localStorage.setItem('invoiceapp.session', {json.dumps(session)})")
    if route is not None:
        page.route(*route)
    page.goto(path)
    return page


OVERFLOW = """() => {
  const root = document.documentElement;
  const width = root.clientWidth;
  const actions = document.querySelectorAll('a[href], button, input, select, textarea, summary');
  const outside = [...actions].filter((el) => {
    const box = el.getBoundingClientRect();
    if (box.width <= 1 || box.height <= 1 || getComputedStyle(el).visibility === 'hidden') return false;
    return box.left < -1 || box.right > width + 1;
  }).map((el) => el.outerHTML.slice(0, 160));
  const wide = [...document.querySelectorAll('body *')]
    .filter((el) => el.getBoundingClientRect().right > width + 1)
    .slice(-3)
    .map((el) => `${el.tagName.toLowerCase()}.${el.className}`);
  return { overflow: root.scrollWidth - width, outside, wide };
}"""

AXE_RUN = """async () => {
  const { violations } = await axe.run(document);
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}"""


def check_layout_and_accessibility(page, name: str) -> None:
    page.wait_for_load_state("networkidle")
    expect(page.locator("[aria-busy=true]")).to_have_count(0)
    layout = page.evaluate(OVERFLOW)
    assert layout["overflow"] <= 0, (
        f"{name}: the document scrolls sideways by {layout['overflow']} px ({layout['wide']})"
    )
    assert layout["outside"] == [], f"{name}: actions outside the viewport: {layout['outside']}"
    page.add_script_tag(path=str(AXE))
    assert page.evaluate(AXE_RUN) == [], f"{name}: axe-core found serious or critical violations"
    screenshot(page, name)


# (who, path, a text that shows the page is loaded, its title)
PAGES = [
    (None, "/login", "Welcome back", "Log in"),
    (None, "/register", "Create your account", "Create an account"),
    (None, "/no-such-page", "Page not found", "Page not found"),
    ("seller", "/dashboard", "My invoices", "Dashboard"),
    ("seller", "/invoices/new", "What you get", "List an invoice"),
    ("seller", "/wallet", "Transactions", "Wallet"),
    ("investor", "/dashboard", "Latest listings", "Dashboard"),
    ("investor", "/marketplace", "open for funding", "Marketplace"),
    ("investor", "/portfolio", "Investments", "Portfolio"),
    ("investor", "/wallet", "Transactions", "Wallet"),
]


@pytest.mark.parametrize("size", WIDTHS)
@pytest.mark.parametrize(("who", "path", "marker", "title"), PAGES)
def test_page_fits_and_passes_axe(new_page, accounts, size, who, path, marker, title):
    page = open_page(new_page, accounts.get(who), path, WIDTHS[size])
    expect(page.get_by_text(marker).first).to_be_visible()
    expect(page).to_have_title(f"{title} · FactorFlow")
    name = f"{who or 'visitor'}-{path.strip('/').replace('/', '-')}-{size}"
    check_layout_and_accessibility(page, name)


@pytest.mark.parametrize("size", WIDTHS)
def test_invest_dialog_and_bell_fit(new_page, accounts, size):
    page = open_page(new_page, accounts["investor"], "/marketplace", WIDTHS[size])
    page.locator("article").first.get_by_role("button", name="Invest Now").click()
    dialog = page.get_by_role("dialog")
    expect(dialog.get_by_label("Amount (₹)")).to_be_focused()
    check_layout_and_accessibility(page, f"investor-invest-dialog-{size}")
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()

    # The server's stored notifications (answered here until the backend has them).
    items = [
        {
            "id": i,
            "kind": "investment",
            "title": f"Investment confirmed {i}",
            "body": "₹50,000.00 in INV-2026-000102 (Hindustan Construction Company Ltd)",
            "invoice_id": None,
            "created_at": "2026-01-02T10:00:00+05:30",
            "read_at": None,
        }
        for i in (3, 2, 1)
    ]
    page.route(
        re.compile(r"/api/notifications\?"),
        lambda route: route.fulfill(json={"items": items, "next_cursor": None, "unread_count": 3}),
    )
    page.reload()
    bell = page.get_by_role("button", name="Notifications (3 unread)")
    bell.click()
    panel = page.get_by_role("dialog", name="Notification list")
    expect(panel).to_contain_text("Investment confirmed 3")
    box = panel.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= WIDTHS[size]
    check_layout_and_accessibility(page, f"investor-notifications-{size}")


# ------------------------------------------------------------------ four states per page

EMPTY_PAGE = {"items": [], "next_cursor": None}
EMPTY_PORTFOLIO = {
    "summary": {
        "invested": 0,
        "expected_return": 0,
        "realized_gain": 0,
        "active_count": 0,
        "settled_count": 0,
    },
    "investments": [],
}

# (who, path, the request to play with, its empty answer, what loading, empty, error and data say)
STATES = {
    "seller-invoices": (
        "seller",
        "/dashboard",
        r"/api/invoices/mine\?",
        EMPTY_PAGE,
        {
            "loading": "Loading your invoices",
            "empty": "No invoices yet",
            "error": "Couldn't load your invoices.",
            "data": "INV-2026-",
        },
    ),
    "investor-latest": (
        "investor",
        "/dashboard",
        r"/api/invoices\?",
        EMPTY_PAGE,
        {
            "loading": "Loading listings",
            "empty": "Nothing to fund right now",
            "error": "Couldn't load the latest listings.",
            "data": "Wipro Ltd",
        },
    ),
    "marketplace": (
        "investor",
        "/marketplace",
        r"/api/invoices\?",
        EMPTY_PAGE,
        {
            "loading": "Loading invoices",
            "empty": "No invoices open for funding",
            "error": "Couldn't load the open invoices.",
            "data": "Invest Now",
        },
    ),
    "portfolio": (
        "investor",
        "/portfolio",
        r"/api/portfolio$",
        EMPTY_PORTFOLIO,
        {
            "loading": "Loading your portfolio",
            "empty": "No investments yet",
            "error": "Couldn't load your investments.",
            "data": "Expected cash flows by maturity",
        },
    ),
    "wallet": (
        "investor",
        "/wallet",
        r"/api/wallet/transactions\?",
        EMPTY_PAGE,
        {
            "loading": "Loading transactions",
            "empty": "No transactions yet",
            "error": "Couldn't load your transactions.",
            "data": "Demo credit",
        },
    ),
}
# What a page must never claim while its data failed to load.
FALSE_CLAIMS = [
    "No invoices yet",
    "Nothing to fund right now",
    "No invoices open for funding",
    "0 invoices open",
    "Every listed invoice has been funded",
    "No investments yet",
    "Start investing",
    "No transactions yet",
]


@pytest.mark.parametrize("name", STATES)
def test_loading_then_data(new_page, accounts, name):
    who, path, request, _, says = STATES[name]
    held = []
    page = open_page(
        new_page, accounts[who], path, route=(re.compile(request), lambda route: held.append(route))
    )
    expect(page.get_by_label(says["loading"])).to_be_visible()
    expect(page.get_by_text(says["data"]).first).to_be_hidden()
    assert held, "the request was never made"
    for route in held:
        route.continue_()
    page.unroute(re.compile(request))
    expect(page.get_by_text(says["data"]).first).to_be_visible()
    expect(page.get_by_label(says["loading"])).to_have_count(0)


@pytest.mark.parametrize("name", STATES)
def test_empty(new_page, accounts, name):
    who, path, request, empty, says = STATES[name]
    answer = (re.compile(request), lambda route: route.fulfill(json=empty))
    page = open_page(new_page, accounts[who], path, route=answer)
    expect(page.get_by_text(says["empty"])).to_be_visible()
    expect(page.get_by_role("alert").filter(has_text="Couldn't load")).to_have_count(0)


@pytest.mark.parametrize("name", STATES)
def test_error_is_never_shown_as_empty(new_page, accounts, name):
    who, path, request, _, says = STATES[name]
    failure = {"error": {"code": "internal_error", "message": "The server had a problem."}}
    answer = (re.compile(request), lambda route: route.fulfill(status=500, json=failure))
    page = open_page(new_page, accounts[who], path, route=answer)
    alert = page.get_by_role("alert").filter(has_text=says["error"])
    expect(alert).to_be_visible(timeout=15_000)
    for claim in FALSE_CLAIMS:
        expect(page.get_by_text(claim)).to_have_count(0)
    screenshot(page, f"error-{name}")

    page.unroute(re.compile(request))
    alert.get_by_role("button", name="Try again").click()
    expect(page.get_by_text(says["data"]).first).to_be_visible()
