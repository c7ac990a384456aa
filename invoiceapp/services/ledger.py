"""Double-entry bookkeeping: every movement of money is a transfer between two accounts, written
as a debit row and a credit row in the caller's transaction."""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import SOURCE_ACCOUNTS, Account, AccountKind, LedgerEntry, TransferKind, utcnow
from .changes import changes
from .errors import InsufficientFunds


def lock_accounts(session: Session, account_ids: Iterable[int]) -> dict[int, Account]:
    """Lock the accounts a transaction will touch, always in ascending id order, so that two
    transactions touching overlapping accounts queue instead of deadlocking."""
    ids = sorted(set(account_ids))
    rows = session.scalars(
        select(Account)
        .where(Account.id.in_(ids))
        .order_by(Account.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).all()
    return {account.id: account for account in rows}


def user_accounts(
    session: Session, user_ids: Iterable[int], kind: AccountKind = AccountKind.WALLET
) -> dict[int, int]:
    """Account ids of some users' wallets (or hold accounts), by user id."""
    return dict(
        session.execute(
            select(Account.user_id, Account.id).where(
                Account.user_id.in_(set(user_ids)), Account.kind == kind
            )
        ).all()
    )


def system_account(session: Session, kind: AccountKind) -> Account:
    """The demo faucet or the recoveries account (made by the migrations)."""
    return session.scalars(select(Account).where(Account.kind == kind)).one()


def transfer(
    session: Session,
    source: Account,
    target: Account,
    amount: int,
    kind: TransferKind,
    description: str,
    invoice_id: int | None = None,
    investment_id: int | None = None,
) -> None:
    """Move `amount` from `source` to `target`; both must be locked by this transaction."""
    if amount <= 0:
        raise ValueError("transfer amounts are positive")
    if source.kind not in SOURCE_ACCOUNTS and source.balance < amount:
        raise InsufficientFunds()
    transfer_id = str(uuid.uuid4())
    now = utcnow()
    source.balance -= amount
    target.balance += amount
    source.updated_at = target.updated_at = now
    recorded = changes(session)
    for account, direction in ((source, "debit"), (target, "credit")):
        entry = LedgerEntry(
            transfer_id=transfer_id,
            account_id=account.id,
            direction=direction,
            amount=amount,
            balance_after=account.balance,
            kind=kind,
            invoice_id=invoice_id,
            investment_id=investment_id,
            description=description,
            created_at=now,
        )
        session.add(entry)
        recorded.wallet_entry(account, entry)
