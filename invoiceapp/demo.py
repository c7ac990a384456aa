"""Demo data for `make run` (`flask --app invoiceapp seed-demo`): one account of each role and
invoices in the states a newcomer should see, a live rate auction among them. Idempotent: a
second run adds nothing."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

from sqlalchemy import select, update

from . import db
from .models import Invoice, Pricing, Role
from .services import (
    acceptance,
    auctions,
    autoinvest,
    daily,
    funding,
    invoices,
    repayments,
    settings,
)
from .services import auth as accounts
from .services.dates import today_ist
from .services.errors import DuplicateInvoiceNumber, EmailTaken

PASSWORD = "demo-password-123"
USERS = [
    ("seller@demo.test", "Asha Traders (demo seller)", Role.SELLER),
    ("investor1@demo.test", "Ravi Capital (demo investor)", Role.INVESTOR),
    ("investor2@demo.test", "Meera Fund (demo investor)", Role.INVESTOR),
    ("buyer@demo.test", "Tata Motors Ltd (demo buyer)", Role.BUYER),
    ("operator@demo.test", "Platform Operator (demo)", Role.OPERATOR),
]
# number, buyer, face value (paise), days to due, annual discount (bps)
OPEN_LISTINGS = [
    ("DEMO-1001", "Infosys Ltd", 250_000_00, 45, 1200),
    ("DEMO-1002", "Reliance Retail", 1_000_000_00, 90, 1000),
    ("DEMO-1003", "Wipro Ltd", 75_000_00, 30, 1500),
]


def _user(email: str, name: str, role: Role):
    try:
        return accounts.register(email, PASSWORD, name, role), True
    except EmailTaken:
        return accounts.authenticate(email, PASSWORD), False


def _list(seller_id: int, number: str, **fields):
    try:
        return invoices.list_invoice(
            seller_id, invoices.NewInvoice(invoice_number=number, **fields)
        )
    except DuplicateInvoiceNumber:
        return None


def seed() -> Iterator[str]:
    users = {}
    for email, name, role in USERS:
        users[email], created = _user(email, name, role)
        if created:
            yield f"created {role.value} {email}"
    seller, buyer = users["seller@demo.test"], users["buyer@demo.test"]
    investor1, investor2 = users["investor1@demo.test"], users["investor2@demo.test"]
    today = today_ist()
    yield from _auto_invest_rules(investor1.id, investor2.id)

    for number, buyer_name, amount, days, rate in OPEN_LISTINGS:
        if _list(
            seller.id,
            number,
            buyer_name=buyer_name,
            amount=amount,
            due_date=today + timedelta(days=days),
            discount_rate_bps=rate,
        ):
            yield f"listed invoice {number}"

    auctioned = _list(
        seller.id,
        "DEMO-4001",
        buyer_name="Larsen & Toubro Ltd",
        amount=500_000_00,
        due_date=today + timedelta(days=60),
        pricing=Pricing.AUCTION,
        auction=invoices.AuctionTerms(max_rate_bps=1400, duration_seconds=86_400),
    )
    if auctioned:
        auctions.place_bid(investor1.id, auctioned.id, 300_000_00, 1250)
        auctions.place_bid(investor2.id, auctioned.id, 100_000_00, 1180)
        yield "opened a 24 h rate auction on DEMO-4001 with two bids (not yet covered)"

    confirmed = _list(
        seller.id,
        "DEMO-2001",
        buyer_id=buyer.id,
        amount=400_000_00,
        due_date=today + timedelta(days=60),
        discount_rate_bps=1100,
    )
    if confirmed:
        acceptance.accept(buyer.id, confirmed.id)
        yield "listed DEMO-2001 against the demo buyer, who accepted it"

    if _list(
        seller.id,
        "DEMO-2002",
        buyer_id=buyer.id,
        amount=150_000_00,
        due_date=today + timedelta(days=40),
        discount_rate_bps=1300,
    ):
        yield "listed DEMO-2002, awaiting the demo buyer's acceptance"

    late = _list(
        seller.id,
        "DEMO-3001",
        buyer_id=buyer.id,
        amount=300_000_00,
        due_date=today + timedelta(days=30),
        discount_rate_bps=1400,
    )
    if late:
        yield from _overdue_with_recovery(late, buyer.id, investor1.id, investor2.id)
    yield from _the_rest_of_a_life(seller.id, buyer.id, investor1.id, investor2.id)


# One rule each: investor1 takes a slice of most fixed-price listings, investor2 only
# buyer-confirmed ones (fields as in POST /api/auto-invest/rules).
DEMO_RULES = [
    {
        "min_yield_bps": 1000,
        "max_tenor_days": 120,
        "max_per_invoice": 25_000_00,
        "max_per_seller": 2_00_000_00,
        "budget": 3_00_000_00,
        "keep_balance": 2_00_000_00,
    },
    {
        "max_per_invoice": 50_000_00,
        "max_per_buyer": 1_00_000_00,
        "budget": 2_00_000_00,
        "keep_balance": 1_00_000_00,
        "buyer_confirmed_only": True,
    },
]


def _auto_invest_rules(*investor_ids: int) -> Iterator[str]:
    for investor_id, rule in zip(investor_ids, DEMO_RULES, strict=True):
        if not autoinvest.list_rules(investor_id):
            created = autoinvest.create_rule(investor_id, rule)
            yield f"auto-invest rule #{created.id} for investor {investor_id}"


def _funded_by_both(invoice: Invoice, *investor_ids: int) -> Invoice:
    first = invoice.funding_target * 3 // 5
    funding.fund(investor_ids[0], invoice.id, first)
    return funding.fund(investor_ids[1], invoice.id, invoice.funding_target - first).invoice


def _past_due(invoice: Invoice, days: int) -> None:
    """Demo data only: move a funded invoice's due date back by `days` and age it day by day
    with the daily run's own rule, as if those days had passed."""
    due = today_ist() - timedelta(days=days)
    db.transaction(
        lambda session: session.execute(
            update(Invoice).where(Invoice.id == invoice.id).values(due_date=due)
        )
    )
    for days_ago in range(days - 1, 0, -1):
        day = today_ist() - timedelta(days=days_ago)
        db.transaction(lambda session, d=day: daily.age_invoice(session, invoice.id, d))


def _overdue_with_recovery(invoice: Invoice, buyer_id: int, *investor_ids: int) -> Iterator[str]:
    """Accepted, funded by both demo investors, 20 days past due, partly recovered."""
    acceptance.accept(buyer_id, invoice.id)
    _funded_by_both(invoices.get_invoice(invoice.id, buyer_id, Role.BUYER.value), *investor_ids)
    past_due = settings.get().grace_days + 13
    _past_due(invoice, past_due)
    repayments.recover(invoice.id, 40_000_00, "Partial recovery from the buyer's guarantor (demo)")
    owed = db.read(
        lambda session: session.scalar(
            select(Invoice.late_interest).where(Invoice.id == invoice.id)
        )
    )
    yield f"DEMO-3001 is {past_due - 1} days overdue (late interest {owed} paise) with ₹40,000 recovered"


def _the_rest_of_a_life(seller_id: int, buyer_id: int, *investor_ids: int) -> Iterator[str]:
    """One invoice in each remaining state: funded, settled, defaulted, written off, rejected,
    cancelled."""
    today = today_ist()

    def listing(number: str, days: int, **fields):
        return _list(
            seller_id,
            number,
            amount=100_000_00,
            due_date=today + timedelta(days=days),
            discount_rate_bps=1200,
            **fields,
        )

    funded = listing("DEMO-5001", 50, buyer_name="Mahindra Logistics")
    if funded:
        _funded_by_both(funded, *investor_ids)
        yield "DEMO-5001 is fully funded, awaiting repayment"
    settled = listing("DEMO-5002", 20, buyer_name="Asian Paints")
    if settled:
        _funded_by_both(settled, *investor_ids)
        repayments.settle(seller_id, settled.id)
        yield "DEMO-5002 was funded and settled"
    for number, written_off in (("DEMO-5003", False), ("DEMO-5004", True)):
        late = listing(number, 30, buyer_id=buyer_id)
        if late:
            acceptance.accept(buyer_id, late.id)
            _funded_by_both(
                invoices.get_invoice(late.id, buyer_id, Role.BUYER.value), *investor_ids
            )
            _past_due(late, settings.get().default_after_days + 5)
            if written_off:
                repayments.write_off(late.id)
            yield f"{number} defaulted" + (" and was written off" if written_off else "")
    rejected = listing("DEMO-5005", 45, buyer_id=buyer_id)
    if rejected:
        acceptance.reject(buyer_id, rejected.id, "The goods were returned (demo)")
        yield "DEMO-5005 was rejected by the demo buyer"
    cancelled = listing("DEMO-5006", 45, buyer_name="Bharat Forge")
    if cancelled:
        invoices.cancel(seller_id, cancelled.id)
        yield "DEMO-5006 was cancelled by the seller"
