"""Every page at phone, tablet and laptop widths (no sideways overflow, every action in view,
no serious or critical axe-core violations, a screenshot each), and every page's four states
with its API answering normally, slowly, with nothing, or with an error."""

from __future__ import annotations

import re
import uuid

import pytest
from playwright.sync_api import expect

from deploy.cluster import ROOT

from .accounts import Account, age_past_due
from .conftest import open_page as signed_in_page
from .conftest import screenshot

pytestmark = pytest.mark.e2e
AXE = ROOT / "frontend" / "node_modules" / "axe-core" / "axe.min.js"
WIDTHS = {"phone": 390, "tablet": 768, "laptop": 1366}


@pytest.fixture(scope="module")
def accounts(server):
    """A seller, an investor, a registered buyer and an operator with some of everything:
    listed, funded, settled, awaiting acceptance, overdue and defaulted invoices, and long
    names and large amounts that must not break a layout."""
    seller = Account.register(server, "Asha Traders Private Limited", "seller")
    investor = Account.register(server, "Ravi Capital", "investor")
    buyer = Account.register(server, f"Tata Motors Ltd {uuid.uuid4().hex[:4]}", "buyer")
    operator = Account.operator(server)
    tag = uuid.uuid4().hex[:4].upper()
    settled = seller.list_invoice(
        f"INV-2026-{tag}-000101", 20_000_000, 30, 1200, buyer="Infosys Ltd"
    )
    partial = seller.list_invoice(
        f"INV-2026-{tag}-000102",
        98_765_432_10,
        300,
        1450,
        buyer="Hindustan Construction Company Ltd",
    )
    seller.list_invoice(f"INV-2026-{tag}-000103", 50_000_000, 90, 0, buyer="Wipro Ltd")
    investor.post(f"/invoices/{settled['id']}/fund", {"amount": settled["funding_target"]})
    investor.post(f"/invoices/{partial['id']}/fund", {"amount": 5_000_000})
    seller.post(f"/invoices/{settled['id']}/settle")
    funded = seller.list_invoice(f"INV-2026-{tag}-000104", 10_000_000, 45, 1000, buyer="Tata Steel")
    investor.post(f"/invoices/{funded['id']}/fund", {"amount": funded["funding_target"]})

    # Against the registered buyer: one awaiting it, one it owes, one late, one defaulted.
    seller.list_invoice(f"AWAIT-{tag}-1", 15_000_000, 40, 1300, buyer_id=buyer.user["id"])
    for number, days_late in ((f"OWE-{tag}-1", None), (f"LATE-{tag}-1", 21), (f"DFLT-{tag}-1", 66)):
        invoice = seller.list_invoice(number, 10_000_000, 30, 1400, buyer_id=buyer.user["id"])
        invoice = buyer.post(f"/invoices/{invoice['id']}/accept")["invoice"]
        investor.post(f"/invoices/{invoice['id']}/fund", {"amount": invoice["funding_target"]})
        if days_late:
            age_past_due(server, invoice["id"], days_late)

    # A day-long auction with a bid on it, and a standing rule (at a yield nobody lists).
    auction = seller.list_auction(f"AUC-{tag}-1", 50_000_000, 60, 1600, 86_400)
    investor.post(f"/invoices/{auction['id']}/bids", {"face_amount": 20_000_000, "rate_bps": 1400})
    investor.post(
        "/auto-invest/rules",
        {"max_per_invoice": 2_500_000, "budget": 20_000_000, "min_yield_bps": 4500},
    )
    return {"seller": seller, "investor": investor, "buyer": buyer, "operator": operator}


def open_page(new_page, account: Account | None, path: str, width: int = 1280, route=None):
    """A signed-in page with axe-core, which rides in as an init script (the app's
    Content-Security-Policy refuses inline ones)."""
    return signed_in_page(new_page, account, path, width, route, init_scripts=[AXE])


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

# Finite animations (a panel fading in) finished: colours are measured as they end up.
ANIMATIONS_DONE = """() => document.getAnimations().every(
  (a) => a.playState !== 'running' || a.effect.getComputedTiming().iterations === Infinity)"""

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
    page.wait_for_function(ANIMATIONS_DONE)
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
    ("investor", "/auto-invest", "Rule #", "Auto-invest"),
    ("investor", "/market", "The last 30 days", "Market"),
    ("buyer", "/dashboard", "Awaiting your acceptance", "Dashboard"),
    ("buyer", "/wallet", "Transactions", "Wallet"),
    ("operator", "/operator", "Late invoices by age", "Operator overview"),
    ("operator", "/operator/invoices", "Overdue invoices", "Invoices by status"),
    ("operator", "/operator/buyers", "Registered buyers", "Buyers and credit"),
    ("operator", "/operator/audit", "Latest entries", "Audit trail"),
    ("operator", "/operator/people", "Accounts", "People"),
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
    page.get_by_role("button", name="Invest Now").first.click()
    dialog = page.get_by_role("dialog")
    expect(dialog.get_by_label("Amount (₹)")).to_be_focused()
    check_layout_and_accessibility(page, f"investor-invest-dialog-{size}")
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()

    # The notifications the server stored for this investor (fundings, a default), newest first.
    bell = page.get_by_role("button", name=re.compile(r"Notifications \(\d+ unread\)"))
    bell.click()
    panel = page.get_by_role("dialog", name="Notification list")
    expect(panel).to_contain_text("You invested")
    box = panel.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= WIDTHS[size]
    check_layout_and_accessibility(page, f"investor-notifications-{size}")


@pytest.mark.parametrize("size", WIDTHS)
def test_bid_and_rule_dialogs_fit(new_page, accounts, size):
    page = open_page(new_page, accounts["investor"], "/marketplace", WIDTHS[size])
    card = page.locator("article", has_text="AUC-")
    expect(card.get_by_role("list", name="Your bids")).to_contain_text("Winning")
    card.get_by_role("button", name="Place a bid").click()
    dialog = page.get_by_role("dialog")
    expect(dialog.get_by_label("Face amount (₹)")).to_be_focused()
    expect(dialog).to_contain_text("You would pay about")
    check_layout_and_accessibility(page, f"investor-bid-dialog-{size}")
    page.keyboard.press("Escape")

    page = open_page(new_page, accounts["investor"], "/auto-invest", WIDTHS[size])
    page.get_by_role("button", name=re.compile(r"^Change rule #")).first.click()
    expect(page.get_by_role("dialog")).to_contain_text("Up to ₹25,000 per invoice, yield ≥ 45 %")
    check_layout_and_accessibility(page, f"investor-rule-dialog-{size}")

    page = open_page(new_page, accounts["seller"], "/dashboard", WIDTHS[size])
    book = page.get_by_role("region", name="Live auctions").get_by_role("table")
    expect(book).to_contain_text("₹2,00,000.00")


ONE_LINE = """els => els.map((el) => {
  const range = document.createRange();
  range.selectNodeContents(el);
  return range.getClientRects().length;
})"""


@pytest.mark.parametrize("size", WIDTHS)
def test_tables_are_cards_below_900px_and_due_dates_stay_on_one_line(new_page, accounts, size):
    page = open_page(new_page, accounts["seller"], "/dashboard", WIDTHS[size])
    mine = page.get_by_role("region", name="My invoices").get_by_label("My invoices", exact=True)
    expect(mine).to_be_visible()
    narrow = WIDTHS[size] < 900
    assert mine.evaluate("el => el.tagName") == ("UL" if narrow else "TABLE")
    if narrow:
        expect(mine.locator("li.row-card").first).to_be_visible()
    else:
        lines = mine.locator("td .nowrap").evaluate_all(ONE_LINE)
        assert lines and set(lines) == {1}, lines


def open_dialog(page, row_text: str, button: str):
    """Click a row's action (a table row, or a card on narrow screens) and return the dialog."""
    row = page.locator("tr, li.row-card").filter(has_text=row_text).first
    row.get_by_role("button", name=re.compile(f"^{button}")).click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_be_visible()
    return dialog


@pytest.mark.parametrize("size", WIDTHS)
def test_buyer_and_operator_dialogs_fit(new_page, accounts, size):
    page = open_page(new_page, accounts["buyer"], "/dashboard", WIDTHS[size])
    dialog = open_dialog(page, "OWE-", "Repay")
    expect(dialog.get_by_label("Amount (₹)")).to_have_value(re.compile(r"^\d+(\.\d\d)?$"))
    check_layout_and_accessibility(page, f"buyer-repay-dialog-{size}")
    page.keyboard.press("Escape")
    open_dialog(page, "AWAIT-", "Accept")
    check_layout_and_accessibility(page, f"buyer-accept-dialog-{size}")
    page.keyboard.press("Escape")

    page = open_page(
        new_page, accounts["operator"], "/operator/invoices?status=defaulted", WIDTHS[size]
    )
    open_dialog(page, "DFLT-", "Record a recovery")
    check_layout_and_accessibility(page, f"operator-recovery-dialog-{size}")
    page.keyboard.press("Escape")
    page.get_by_role("button", name=re.compile("^Account menu")).click()
    menu = page.get_by_role("dialog", name="Account")
    expect(menu.get_by_role("switch", name="Email notifications")).to_be_visible()
    box = menu.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= WIDTHS[size]
    check_layout_and_accessibility(page, f"operator-account-menu-{size}")


# ------------------------------------------------------------------ four states per page

EMPTY_PAGE = {"items": [], "next_cursor": None}
EMPTY_PORTFOLIO = {
    "summary": {
        "invested": 0,
        "expected_return": 0,
        "realized_gain": 0,
        "active_count": 0,
        "settled_count": 0,
        "received": 0,
        "overdue_amount": 0,
        "defaulted_amount": 0,
        "loss": 0,
    },
    "investments": [],
}
EMPTY_MARKET = {
    "listed_today": 0,
    "funded_today": 0,
    "volume_funded_7d": 0,
    "volume_funded_30d": 0,
    "avg_yield_bps_7d": 0,
    "time_to_fund_p50_s": None,
    "time_to_fund_p90_s": None,
    "fully_funded_pct_30d": 0,
    "overdue_pct": 0,
    "default_pct": 0,
    "top_buyers": [],
    "daily": [],
}
EMPTY_OVERVIEW = {
    "by_status": {},
    "aging": {bucket: {"count": 0, "owed": 0} for bucket in ("1-30", "31-60", "60+")},
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
    "buyer-awaiting": (
        "buyer",
        "/dashboard",
        r"/api/invoices/mine\?.*status=pending_acceptance",
        EMPTY_PAGE,
        {
            "loading": "Loading invoices awaiting you",
            "empty": "Nothing to accept",
            "error": "Couldn't load the invoices awaiting you.",
            "data": "AWAIT-",
        },
    ),
    "buyer-owed": (
        "buyer",
        "/dashboard",
        r"/api/invoices/mine\?limit=\d+$",
        EMPTY_PAGE,
        {
            "loading": "Loading what you owe",
            "empty": "You owe nothing right now",
            "error": "Couldn't load what you owe.",
            "data": "OWE-",
        },
    ),
    "operator-overview": (
        "operator",
        "/operator",
        r"/api/operator/overview$",
        EMPTY_OVERVIEW,
        {
            "loading": "Loading the overview",
            "empty": "No invoices on the platform yet",
            "error": "Couldn't load the overview.",
            "data": "Late invoices by age",
        },
    ),
    "operator-invoices": (
        "operator",
        "/operator/invoices",
        r"/api/invoices\?",
        EMPTY_PAGE,
        {
            "loading": "Loading the invoices",
            "empty": "No overdue invoices",
            "error": "Couldn't load the invoices.",
            "data": "LATE-",
        },
    ),
    "operator-buyers": (
        "operator",
        "/operator/buyers",
        r"/api/buyers\?",
        {"items": []},
        {
            "loading": "Loading the buyers",
            "empty": "No buyers registered yet",
            "error": "Couldn't load the buyers.",
            "data": "Set limit",
        },
    ),
    "operator-audit": (
        "operator",
        "/operator/audit",
        r"/api/operator/audit\?",
        EMPTY_PAGE,
        {
            "loading": "Loading the audit trail",
            "empty": "Nothing recorded yet",
            "error": "Couldn't load the audit trail.",
            "data": "invoice #",
        },
    ),
    "auto-invest": (
        "investor",
        "/auto-invest",
        r"/api/auto-invest/rules$",
        {"items": []},
        {
            "loading": "Loading your rules",
            "empty": "No rules yet",
            "error": "Couldn't load your rules.",
            "data": "Rule #",
        },
    ),
    "market": (
        "investor",
        "/market",
        r"/api/market/stats$",
        EMPTY_MARKET,
        {
            "loading": "Loading the market figures",
            "empty": "No market activity yet",
            "error": "Couldn't load the market figures.",
            "data": "The last 30 days",
        },
    ),
    "operator-people": (
        "operator",
        "/operator/people",
        r"/api/users\?",
        {"items": []},
        {
            "loading": "Loading the people",
            "empty": "Nobody found",
            "error": "Couldn't load the people.",
            "data": "@example.com",
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
    "Nothing to accept",
    "You owe nothing right now",
    "No invoices on the platform yet",
    "No overdue invoices",
    "No buyers registered yet",
    "Nothing recorded yet",
    "No rules yet",
    "No market activity yet",
    "Nobody found",
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
    for _ in range(100):  # the route's handler runs when Playwright next hears from the browser
        if held:
            break
        page.wait_for_timeout(50)
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
    # The page retries a 500 twice, 1 s then 2 s later unless told when: "Retry-After: 0".
    retry_now = {"Retry-After": "0"}
    answer = (
        re.compile(request),
        lambda route: route.fulfill(status=500, json=failure, headers=retry_now),
    )
    page = open_page(new_page, accounts[who], path, route=answer)
    alert = page.get_by_role("alert").filter(has_text=says["error"])
    expect(alert).to_be_visible(timeout=15_000)
    for claim in FALSE_CLAIMS:
        expect(page.get_by_text(claim)).to_have_count(0)
    screenshot(page, f"error-{name}")

    page.unroute(re.compile(request))
    alert.get_by_role("button", name="Try again").click()
    expect(page.get_by_text(says["data"]).first).to_be_visible()
