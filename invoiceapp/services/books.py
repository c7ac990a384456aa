"""`flask ledger verify`: the double-entry invariants, checked against the whole database, and
the kept portfolio figures against the investments and the kept unread counts against the
notifications."""

from __future__ import annotations

from sqlalchemy import case, func, or_, select

from .. import db
from ..models import SOURCE_ACCOUNTS, Account, LedgerEntry
from . import notifications, portfolios


def _int(value) -> int:
    return int(value or 0)


def verify_ledger() -> list[str]:
    """Return every broken invariant, described; an empty list means the books balance."""
    return db.read(_problems)


def _problems(session) -> list[str]:
    problems: list[str] = []
    total = _int(session.scalar(select(func.sum(Account.balance))))
    if total != 0:
        problems.append(f"sum of all account balances is {total}, not 0")
    signed = func.sum(
        case((LedgerEntry.direction == "credit", LedgerEntry.amount), else_=-LedgerEntry.amount)
    )
    rows = session.execute(
        select(Account.id, Account.kind, Account.balance, signed)
        .outerjoin(LedgerEntry, LedgerEntry.account_id == Account.id)
        .group_by(Account.id, Account.kind, Account.balance)
    ).all()
    for account_id, kind, balance, entries in rows:
        if balance != _int(entries):
            problems.append(
                f"account {account_id} ({kind.value}) has balance {balance} but its ledger "
                f"rows sum to {_int(entries)}"
            )
        if kind not in SOURCE_ACCOUNTS and balance < 0:
            problems.append(f"account {account_id} ({kind.value}) is negative: {balance}")
    debits = func.sum(case((LedgerEntry.direction == "debit", LedgerEntry.amount), else_=0))
    credits = func.sum(case((LedgerEntry.direction == "credit", LedgerEntry.amount), else_=0))
    unbalanced = session.execute(
        select(LedgerEntry.transfer_id, func.count(), debits, credits)
        .group_by(LedgerEntry.transfer_id)
        .having(or_(func.count() != 2, debits != credits))
    ).all()
    for transfer_id, count, debits, credits in unbalanced:
        if count != 2 or _int(debits) != _int(credits):
            problems.append(
                f"transfer {transfer_id} does not balance "
                f"({count} rows, debits {_int(debits)}, credits {_int(credits)})"
            )
    return problems + portfolios.mismatches(session) + notifications.mismatches(session)
