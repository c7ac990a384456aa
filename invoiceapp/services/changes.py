"""What a transaction did, recorded while it runs and handed on only once it has committed.

Services record facts (`changes(session).add(Funded(...))`) and touch the aggregates that
become one event each per commit: the last state of each invoice, each wallet's ledger rows,
each investor whose portfolio moved, each user with new notifications. Figures those events
need (portfolio summaries, unread counts) are read in the same transaction just before it
commits. When the session commits, every subscriber (the realtime layer) receives the
`ChangeSet`; on rollback it is thrown away, so nothing is announced for work that did not
happen, nor for an idempotent replay, which records nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TypeVar

from sqlalchemy import event
from sqlalchemy.orm import Session

from ..db import SessionFactory
from ..models import Account, Auction, AutoInvestRule, Bid, Investment, Invoice, LedgerEntry
from ..models import Notification as NotificationRow

log = logging.getLogger(__name__)

_KEY = "changes"
F = TypeVar("F")


# --- facts a service records --------------------------------------------------------------


@dataclass
class Listed:
    invoice: Invoice


@dataclass
class Funded:
    invoice: Invoice
    investment: Investment
    investor_wallet: Account
    fully_funded: bool


@dataclass
class AwaitingAcceptance:
    invoice: Invoice


@dataclass
class Accepted:
    invoice: Invoice


@dataclass
class Rejected:
    invoice: Invoice


@dataclass
class RepaymentReceived:
    invoice: Invoice
    investment: Investment
    amount: int


@dataclass
class BecameOverdue:
    invoice: Invoice
    investor_ids: list[int]


@dataclass
class Defaulted:
    invoice: Invoice
    investor_ids: list[int]


@dataclass
class AuctionChanged:
    invoice: Invoice
    auction: Auction


@dataclass
class BidOutbid:
    bid: Bid


@dataclass
class BidWon:
    bid: Bid
    investment: Investment


@dataclass
class BidLost:
    bid: Bid


@dataclass
class AuctionClosed:
    invoice: Invoice


@dataclass
class AutoInvestFilled:
    rule: AutoInvestRule
    investment: Investment
    invoice: Invoice


@dataclass
class UserSuspended:
    user_id: int


@dataclass
class SessionRevoked:
    user_id: int
    session: str  # the refresh token's jti


@dataclass
class MarketChanged:
    """Something that moves the market figures (a listing, a funding, a repayment...)."""


# --- what the aggregates become at commit ---------------------------------------------------


@dataclass
class InvoiceState:
    invoice: Invoice


@dataclass
class WalletState:
    user_id: int
    wallet: Account
    entries: list[LedgerEntry]


@dataclass
class PortfolioState:
    investor_id: int
    summary: object  # portfolios.PortfolioSummary


@dataclass
class NotificationState:
    notification: NotificationRow
    unread_count: int


@dataclass
class ChangeSet:
    facts: list[object] = field(default_factory=list)
    invoices: dict[int, Invoice] = field(default_factory=dict)  # last state per invoice
    # wallet owner's user id -> (wallet, its ledger entries in this transaction)
    wallets: dict[int, tuple[Account, list[LedgerEntry]]] = field(default_factory=dict)
    investors: set[int] = field(default_factory=set)
    # investor id -> what the transaction adds to their portfolio figures (services/portfolios)
    portfolio_deltas: dict[int, tuple[int, ...]] = field(default_factory=dict)
    notifications: list[NotificationRow] = field(default_factory=list)
    audit_rows: list[dict] = field(default_factory=list)
    # read in the same transaction just before it commits
    portfolios: dict[int, object] = field(default_factory=dict)
    unread_counts: dict[int, int] = field(default_factory=dict)

    def add(self, fact: object) -> None:
        self.facts.append(fact)

    def invoice_changed(self, invoice: Invoice) -> None:
        self.invoices[invoice.id] = invoice

    def wallet_entry(self, account: Account, entry: LedgerEntry) -> None:
        if account.user_id is not None and account.kind.value == "wallet":
            self.wallets.setdefault(account.user_id, (account, []))[1].append(entry)

    def notified(self, notification: NotificationRow) -> None:
        self.notifications.append(notification)

    def audited(self, row: dict) -> None:
        self.audit_rows.append(row)

    def of(self, kind: type[F]) -> Iterator[F]:
        """The facts of one kind, the aggregates included, in the order they happened."""
        if kind is InvoiceState:
            yield from (InvoiceState(invoice) for invoice in self.invoices.values())
        elif kind is WalletState:
            for user_id, (wallet, entries) in self.wallets.items():
                yield WalletState(user_id, wallet, entries)
        elif kind is PortfolioState:
            for investor_id, summary in sorted(self.portfolios.items()):
                yield PortfolioState(investor_id, summary)
        elif kind is NotificationState:
            for notification in self.notifications:
                yield NotificationState(notification, self.unread_counts[notification.user_id])
        else:
            yield from (fact for fact in self.facts if isinstance(fact, kind))

    def __bool__(self) -> bool:
        return bool(
            self.facts
            or self.invoices
            or self.wallets
            or self.investors
            or self.portfolio_deltas
            or self.notifications
            or self.audit_rows
        )


def changes(session: Session) -> ChangeSet:
    return session.info.setdefault(_KEY, ChangeSet())


def discard(session: Session) -> None:
    """Forget what was recorded (the work was rolled back to a savepoint)."""
    session.info.pop(_KEY, None)


_subscribers: list[Callable[[ChangeSet], None]] = []
_before_commit: list[Callable[[Session, ChangeSet], None]] = []


def subscribe(callback: Callable[[ChangeSet], None]) -> None:
    if callback not in _subscribers:
        _subscribers.append(callback)


def before_commit(reader: Callable[[Session, ChangeSet], None]) -> Callable:
    """Register a read that completes a change set inside its transaction."""
    if reader not in _before_commit:
        _before_commit.append(reader)
    return reader


@event.listens_for(SessionFactory, "before_commit")
def _complete(session: Session) -> None:
    if session.in_nested_transaction():  # a savepoint's release is not the commit
        return
    change_set = session.info.get(_KEY)
    if change_set:
        for reader in _before_commit:
            reader(session, change_set)


@event.listens_for(SessionFactory, "after_commit")
def _publish(session: Session) -> None:
    if session.in_nested_transaction():  # SQLAlchemy fires this for savepoints too
        return
    change_set = session.info.pop(_KEY, None)
    if not change_set:
        return
    for callback in list(_subscribers):
        try:
            callback(change_set)
        except Exception:  # the money has moved; a lost notification must not undo the reply
            log.exception("publishing committed changes failed")


@event.listens_for(SessionFactory, "after_rollback")
def _discard(session: Session) -> None:
    session.info.pop(_KEY, None)
