"""The one place that turns committed changes into Socket.IO events: a registry with, for each
event, the fact it comes from, who receives it, and how its payload is built. Adding an event is
one entry here (plus its TypeScript type in the SPA and a test).

Events of one commit leave in registry order and in one batch through the bus (bus.py), which
gives each its offset; every payload carries `offset`, `event_id` and `occurred_at`.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cached_property
from typing import Any

from ..models import InvestmentSource, Invoice
from ..schemas.invoices import AuctionSchema, BidSchema, InvestmentSchema, InvoiceSchema
from ..schemas.money import SummarySchema, TransactionSchema, WalletSchema
from ..schemas.notifications import NotificationSchema
from ..services import changes as facts
from ..services.invoices import PRIVATE_STATUSES
from .bus import PLACEHOLDER, Outgoing

USERS, INVESTORS, SELLERS, BUYERS, OPERATORS = (
    "users",
    "investors",
    "sellers",
    "buyers",
    "operators",
)
ROLE_ROOMS = {"investor": INVESTORS, "seller": SELLERS, "buyer": BUYERS, "operator": OPERATORS}


def user_room(user_id: int) -> str:
    return f"user:{user_id}"


def rooms_for(user_id: int, role: str) -> tuple[str, ...]:
    """The rooms a user's sockets join: from the verified identity only."""
    return user_room(user_id), USERS, ROLE_ROOMS[role]


class Payloads:
    """Payload parts, each serialized once per commit whatever the number of events using it."""

    invoice_schema = InvoiceSchema()
    investment_schema = InvestmentSchema()
    wallet_schema = WalletSchema()
    transactions_schema = TransactionSchema(many=True)
    summary_schema = SummarySchema()
    notification_schema = NotificationSchema()
    bid_schema = BidSchema()
    auction_schema = AuctionSchema()

    def __init__(self) -> None:
        self._invoices: dict[int, dict] = {}

    def invoice(self, invoice: Invoice) -> dict:
        if invoice.id not in self._invoices:
            self._invoices[invoice.id] = self.invoice_schema.dump(invoice)
        return self._invoices[invoice.id]

    def investment(self, investment) -> dict:
        return self.investment_schema.dump(investment)

    def investment_to_seller(self, investment) -> dict:
        """An auction's winners stay unnamed to the seller, as its bidders were."""
        dumped = self.investment(investment)
        if investment.source == InvestmentSource.AUCTION:
            del dumped["investor_id"]
        return dumped

    def wallet(self, wallet) -> dict:
        return self.wallet_schema.dump(wallet)

    def bid(self, bid) -> dict:
        return self.bid_schema.dump(bid)


def invoice_audience(invoice: Invoice) -> list[str]:
    """Who sees an invoice change: everyone, unless only its parties may see it yet."""
    if invoice.status in PRIVATE_STATUSES:
        rooms = [user_room(invoice.seller_id), OPERATORS]
        if invoice.buyer_id is not None:
            rooms.append(user_room(invoice.buyer_id))
        return rooms
    return [USERS]


def invoice_parties(invoice: Invoice, investor_ids: Iterable[int]) -> list[str]:
    rooms = [user_room(invoice.seller_id), *(user_room(i) for i in sorted(set(investor_ids)))]
    if invoice.buyer_id is not None:
        rooms.append(user_room(invoice.buyer_id))
    return rooms


@dataclass(frozen=True)
class EventType:
    name: str
    fact: type
    to: Callable[[Any], Iterable[str]]
    payload: Callable[[Any, Payloads], dict]
    # For the AsyncAPI document (/api/asyncapi.json): who receives it, and its payload's
    # fields (a schema name of the OpenAPI document, or a JSON schema).
    audience: str = ""
    fields: dict = field(default_factory=dict)
    replay: bool = True


REGISTRY: list[EventType] = [
    EventType(
        "newInvoiceListed",
        facts.Listed,
        lambda f: [INVESTORS],
        lambda f, p: {"invoice": p.invoice(f.invoice)},
        audience="every investor",
        fields={"invoice": "Invoice"},
    ),
    EventType(
        "invoiceAwaitingAcceptance",
        facts.AwaitingAcceptance,
        lambda f: [user_room(f.invoice.buyer_id)],
        lambda f, p: {"invoice": p.invoice(f.invoice)},
        audience="the registered buyer",
        fields={"invoice": "Invoice"},
    ),
    EventType(
        "invoiceAccepted",
        facts.Accepted,
        lambda f: [user_room(f.invoice.seller_id)],
        lambda f, p: {"invoice": p.invoice(f.invoice)},
        audience="the seller",
        fields={"invoice": "Invoice"},
    ),
    EventType(
        "invoiceRejected",
        facts.Rejected,
        lambda f: [user_room(f.invoice.seller_id)],
        lambda f, p: {"invoice": p.invoice(f.invoice)},
        audience="the seller",
        fields={"invoice": "Invoice"},
    ),
    EventType(
        "auctionUpdated",
        facts.AuctionChanged,
        lambda f: [INVESTORS, user_room(f.invoice.seller_id)],
        lambda f, p: {"invoice_id": f.invoice.id, "auction": p.auction_schema.dump(f.auction)},
        audience="every investor and the seller",
        fields={"invoice_id": {"type": "integer"}, "auction": "Auction"},
    ),
    EventType(
        "bidOutbid",
        facts.BidOutbid,
        lambda f: [user_room(f.bid.investor_id)],
        lambda f, p: {"bid": p.bid(f.bid)},
        audience="the bidder",
        fields={"bid": "Bid"},
    ),
    EventType(
        "bidWon",
        facts.BidWon,
        lambda f: [user_room(f.bid.investor_id)],
        lambda f, p: {"bid": p.bid(f.bid), "investment": p.investment(f.investment)},
        audience="the bidder",
        fields={"bid": "Bid", "investment": "Investment"},
    ),
    EventType(
        "bidLost",
        facts.BidLost,
        lambda f: [user_room(f.bid.investor_id)],
        lambda f, p: {"bid": p.bid(f.bid)},
        audience="the bidder",
        fields={"bid": "Bid"},
    ),
    EventType(
        "auctionClosed",
        facts.AuctionClosed,
        lambda f: [USERS],
        lambda f, p: {"invoice": p.invoice(f.invoice)},
        audience="every authenticated user",
        fields={"invoice": "Invoice"},
    ),
    EventType(
        "invoiceFunded",
        facts.Funded,
        lambda f: [user_room(f.invoice.seller_id)],
        lambda f, p: {
            "invoice": p.invoice(f.invoice),
            "investment": p.investment_to_seller(f.investment),
            "fully_funded": f.fully_funded,
        },
        audience="the seller",
        fields={
            "invoice": "Invoice",
            "investment": "Investment",
            "fully_funded": {"type": "boolean"},
        },
    ),
    EventType(
        "investmentSuccess",
        facts.Funded,
        lambda f: [user_room(f.investment.investor_id)],
        lambda f, p: {
            "investment": p.investment(f.investment),
            "invoice": p.invoice(f.invoice),
            "wallet": p.wallet(f.investor_wallet),
        },
        audience="the investor",
        fields={"investment": "Investment", "invoice": "Invoice", "wallet": "Wallet"},
    ),
    EventType(
        "autoInvestFilled",
        facts.AutoInvestFilled,
        lambda f: [user_room(f.investment.investor_id)],
        lambda f, p: {
            "rule_id": f.rule.id,
            "investment": p.investment(f.investment),
            "invoice": p.invoice(f.invoice),
        },
        audience="the investor",
        fields={"rule_id": {"type": "integer"}, "investment": "Investment", "invoice": "Invoice"},
    ),
    EventType(
        "repaymentReceived",
        facts.RepaymentReceived,
        lambda f: [user_room(f.investment.investor_id)],
        lambda f, p: {
            "invoice": p.invoice(f.invoice),
            "investment": p.investment(f.investment),
            "amount": f.amount,
        },
        audience="each investor paid",
        fields={
            "invoice": "Invoice",
            "investment": "Investment",
            "amount": {"type": "integer", "description": "paise"},
        },
    ),
    EventType(
        "invoiceOverdue",
        facts.BecameOverdue,
        lambda f: invoice_parties(f.invoice, f.investor_ids),
        lambda f, p: {"invoice": p.invoice(f.invoice)},
        audience="the seller, the buyer and each investor",
        fields={"invoice": "Invoice"},
    ),
    EventType(
        "invoiceDefaulted",
        facts.Defaulted,
        lambda f: invoice_parties(f.invoice, f.investor_ids),
        lambda f, p: {"invoice": p.invoice(f.invoice)},
        audience="the seller, the buyer and each investor",
        fields={"invoice": "Invoice"},
    ),
    EventType(
        "invoiceUpdated",
        facts.InvoiceState,
        lambda f: invoice_audience(f.invoice),
        lambda f, p: {"invoice": p.invoice(f.invoice)},
        audience="every authenticated user (only its parties while pending or rejected)",
        fields={"invoice": "Invoice"},
    ),
    EventType(
        "walletUpdated",
        facts.WalletState,
        lambda f: [user_room(f.user_id)],
        lambda f, p: {
            "wallet": p.wallet(f.wallet),
            "transactions": p.transactions_schema.dump(reversed(f.entries)),
        },
        audience="the wallet's owner, once per commit",
        fields={
            "wallet": "Wallet",
            "transactions": {
                "type": "array",
                "items": {"$ref": "#/components/schemas/Transaction"},
            },
        },
    ),
    EventType(
        "portfolioUpdate",
        facts.PortfolioState,
        lambda f: [user_room(f.investor_id)],
        lambda f, p: {"summary": p.summary_schema.dump(f.summary)},
        audience="each investor concerned",
        fields={"summary": "Summary"},
    ),
    EventType(
        "notification",
        facts.NotificationState,
        lambda f: [user_room(f.notification.user_id)],
        lambda f, p: {
            "notification": p.notification_schema.dump(f.notification),
            "unread_count": f.unread_count,
        },
        audience="its owner",
        fields={"notification": "Notification", "unread_count": {"type": "integer"}},
    ),
]


class Stamp:
    """Every event carries its offset (filled in by the bus), a unique id (clients deduplicate
    on it) and when it happened."""

    @cached_property
    def occurred_at(self) -> str:
        return datetime.now(UTC).isoformat()

    def encode(self, name: str, payload: dict) -> str:
        stamped = {
            "offset": PLACEHOLDER,
            "event_id": str(uuid.uuid4()),
            "occurred_at": self.occurred_at,
            **payload,
        }
        return json.dumps([name, stamped], separators=(",", ":"), ensure_ascii=False)


def outgoing(change_set: facts.ChangeSet) -> list[Outgoing]:
    """The events of one committed change set, in registry order."""
    payloads, stamp = Payloads(), Stamp()
    events = []
    for event_type in REGISTRY:
        for fact in change_set.of(event_type.fact):
            rooms = tuple(dict.fromkeys(event_type.to(fact)))
            body = stamp.encode(event_type.name, event_type.payload(fact, payloads))
            events.append(Outgoing(event_type.name, rooms, body, event_type.replay))
    return events


def encode_one(name: str, payload: dict, rooms: Iterable[str], replay: bool = True) -> Outgoing:
    """An event that does not come from a commit (the market figures)."""
    return Outgoing(name, tuple(rooms), Stamp().encode(name, payload), replay)
