"""What a transaction did, recorded while it runs and handed on only once it has committed.

Services call `changes(session)` and note invoices listed or changed, fundings, wallet ledger
entries and investors whose portfolio moved (their summaries are read just before the commit,
in the same transaction). When the session commits, every subscriber (the realtime layer)
receives the `ChangeSet`; on rollback it is thrown away. An idempotent replay
records nothing, so it announces nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import event
from sqlalchemy.orm import Session

from ..db import SessionFactory
from ..models import Account, Investment, Invoice, LedgerEntry
from .reports import PortfolioSummary, portfolio_summaries

log = logging.getLogger(__name__)

_KEY = "changes"


@dataclass
class Funding:
    invoice: Invoice
    investment: Investment
    investor_wallet: Account
    fully_funded: bool


@dataclass
class ChangeSet:
    listed: list[Invoice] = field(default_factory=list)
    invoices: dict[int, Invoice] = field(default_factory=dict)  # last state per invoice
    fundings: list[Funding] = field(default_factory=list)
    # wallet owner's user id -> (wallet, its ledger entries in this transaction)
    wallets: dict[int, tuple[Account, list[LedgerEntry]]] = field(default_factory=dict)
    investors: set[int] = field(default_factory=set)
    # investor id -> portfolio summary, read in the same transaction just before it commits
    portfolios: dict[int, PortfolioSummary] = field(default_factory=dict)

    def invoice_changed(self, invoice: Invoice) -> None:
        self.invoices[invoice.id] = invoice

    def wallet_entry(self, account: Account, entry: LedgerEntry) -> None:
        if account.user_id is not None:
            self.wallets.setdefault(account.user_id, (account, []))[1].append(entry)

    def __bool__(self) -> bool:
        return bool(self.invoices or self.wallets or self.investors)


def changes(session: Session) -> ChangeSet:
    return session.info.setdefault(_KEY, ChangeSet())


_subscribers: list[Callable[[ChangeSet], None]] = []


def subscribe(callback: Callable[[ChangeSet], None]) -> None:
    if callback not in _subscribers:
        _subscribers.append(callback)


@event.listens_for(SessionFactory, "before_commit")
def _read_portfolios(session: Session) -> None:
    change_set = session.info.get(_KEY)
    if change_set and change_set.investors:
        change_set.portfolios = portfolio_summaries(session, change_set.investors)


@event.listens_for(SessionFactory, "after_commit")
def _publish(session: Session) -> None:
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
