"""Funding: an investor's money moves into an invoice's escrow, and when the invoice is fully
funded the escrow moves to the seller, all in one transaction.

`fund_in(session, ...)` is the rule, used inside a caller's transaction; `fund(...)` is the same
as one unit of work of its own. `fund_batch_in` applies it to fundings that arrive together
(the HTTP view, through api/desk.py), `fund_many_in` to an auto-invest listing's fills; both
book through `invest_many_in`.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from sqlalchemy import bindparam, or_, select
from sqlalchemy.orm import Session

from .. import db
from ..models import (
    Account,
    AccountKind,
    Investment,
    InvestmentSource,
    InvestmentStatus,
    Invoice,
    InvoiceStatus,
    Pricing,
    TransferKind,
    utcnow,
)
from . import audit, ledger, money, notifications
from .changes import Funded, MarketChanged, changes
from .dates import today_ist
from .errors import (
    BelowMinimum,
    DomainError,
    ExceedsRemaining,
    InsufficientFunds,
    InvoiceNotFundable,
)
from .invoices import lock_invoice, record_change


@dataclass
class FundingResult:
    investment: Investment
    invoice: Invoice
    wallet: Account


def check_fundable(invoice: Invoice, amount: int, ahead: int = 0) -> None:
    """May `amount` be funded now, after `ahead` paise funded before it in this transaction?"""
    if (
        invoice.status != InvoiceStatus.LISTED
        or invoice.pricing != Pricing.FIXED
        or (invoice.due_date - today_ist()).days < 1
    ):
        raise InvoiceNotFundable()
    remaining = invoice.remaining - ahead
    if amount > remaining:
        raise ExceedsRemaining(details={"remaining": remaining})
    if amount < money.minimum_investment(remaining):
        raise BelowMinimum(details={"minimum": money.minimum_investment(remaining)})


def fund_in(
    session: Session,
    investor_id: int,
    invoice: Invoice,
    amount: int,
    source: InvestmentSource = InvestmentSource.MANUAL,
    rule_id: int | None = None,
) -> FundingResult:
    """Fund `amount` of a fixed-price invoice that this transaction has locked (`lock_invoice`)
    from the investor's wallet."""
    check_fundable(invoice, amount)
    return invest_in(
        session, invoice, investor_id, amount, AccountKind.WALLET, source, rule_id=rule_id
    )


def fund_many_in(session: Session, invoice: Invoice, orders: list[Order]) -> list[FundingResult]:
    """`fund_in` for several wallet fundings of one locked invoice, checked and made as if one
    after another (auto-invest fills a listing's rules this way)."""
    ahead = 0
    for order in orders:
        if order.paid_from != AccountKind.WALLET:
            raise ValueError("fund_many_in pays from wallets only")
        check_fundable(invoice, order.amount, ahead)
        ahead += order.amount
    return invest_many_in(session, invoice, orders)


def invest_in(
    session: Session,
    invoice: Invoice,
    investor_id: int,
    amount: int,
    paid_from: AccountKind,
    source: InvestmentSource,
    expected_return: int | None = None,
    rule_id: int | None = None,
) -> FundingResult:
    """The money rule of every investment (manual, auto-invest, auction winner): `amount`
    moves from the investor's wallet (or bid hold) into escrow; the investment is booked; when
    the funded amount reaches the target, the whole escrow goes to the seller and the invoice
    is funded. The caller has locked the invoice and checked that it may be funded."""
    order = Order(investor_id, amount, source, paid_from, expected_return, rule_id)
    return invest_many_in(session, invoice, [order])[0]


@dataclass(frozen=True)
class Order:
    """One investment of a batch (`invest_many_in`)."""

    investor_id: int
    amount: int
    source: InvestmentSource = InvestmentSource.MANUAL
    paid_from: AccountKind = AccountKind.WALLET
    expected_return: int | None = None
    rule_id: int | None = None


# Built once (it runs in every funding): escrows, and wallets and bid holds by owner.
_LOCK_PAYERS = (
    select(Account)
    .where(
        or_(
            Account.id.in_(bindparam("escrows", expanding=True)),
            (Account.kind == AccountKind.WALLET)
            & Account.user_id.in_(bindparam("wallets", expanding=True)),
            (Account.kind == AccountKind.HOLD)
            & Account.user_id.in_(bindparam("holds", expanding=True)),
        )
    )
    .order_by(Account.id)
    .with_for_update()
)


def lock_payers(
    session: Session,
    invoices: list[Invoice],
    payers: set[tuple[int, AccountKind]],
    completing: list[Invoice],
) -> list[Account]:
    """Lock, in one statement and by ascending id (the lock order everywhere, after the
    invoice rows), the invoices' escrows, the payers' accounts and the wallets of the sellers
    of those that may complete."""
    wallets = {user for user, kind in payers if kind == AccountKind.WALLET}
    wallets.update(invoice.seller_id for invoice in completing)
    holds = [user for user, kind in payers if kind == AccountKind.HOLD]
    escrows = [invoice.escrow_account_id for invoice in invoices]
    return list(
        session.scalars(
            _LOCK_PAYERS, {"escrows": escrows, "wallets": list(wallets), "holds": holds}
        )
    )


def invest_many_in(
    session: Session, invoice: Invoice, orders: list[Order], locked: list[Account] | None = None
) -> list[FundingResult]:
    """`invest_in` for several investments at once, exactly as if made one after another in
    this order (the same ledger rows, investments, versions, facts, audit entries and
    notifications), with one lock query and one flush: an auto-invest listing can take
    hundreds. Only the last can complete the invoice. `locked`: the accounts, if the caller
    has locked them (`lock_payers`)."""
    total = sum(order.amount for order in orders)
    completes = invoice.funded_amount + total == invoice.funding_target
    payers = {(order.investor_id, order.paid_from) for order in orders}
    if locked is None:
        locked = lock_payers(session, [invoice], payers, [invoice] if completes else [])
    escrow = next(a for a in locked if a.id == invoice.escrow_account_id)
    by_owner = {(a.user_id, a.kind): a for a in locked if a.user_id is not None}
    label = f"invoice {invoice.invoice_number}"
    now = utcnow()

    investments = []
    for n, order in enumerate(orders):
        last = n == len(orders) - 1
        ledger.transfer(
            session,
            by_owner[(order.investor_id, order.paid_from)],
            escrow,
            order.amount,
            TransferKind.INVESTMENT,
            f"Investment in {label}",
            invoice.id,
        )
        investments.append(
            Investment(
                invoice_id=invoice.id,
                investor_id=order.investor_id,
                amount=order.amount,
                expected_return=order.expected_return
                if order.expected_return is not None
                else money.expected_return(order.amount, invoice.amount, invoice.funding_target),
                received=0,
                status=InvestmentStatus.ACTIVE,
                source=order.source,
                rule_id=order.rule_id,
                created_at=now,
            )
        )
        invoice.funded_amount += order.amount
        if completes and last:
            release_escrow(
                session, invoice, escrow, by_owner[(invoice.seller_id, AccountKind.WALLET)]
            )
        record_change(session, invoice, InvoiceStatus.FUNDED if completes and last else None)
    session.add_all(investments)
    session.flush()

    recorded = changes(session)
    results = []
    for n, (order, investment) in enumerate(zip(orders, investments, strict=True)):
        fully_funded = completes and n == len(orders) - 1
        wallet = (
            by_owner[(order.investor_id, AccountKind.WALLET)]
            if order.paid_from == AccountKind.WALLET
            else _wallet(session, order.investor_id)
        )
        recorded.add(Funded(invoice, investment, wallet, fully_funded))
        recorded.investors.add(order.investor_id)
        audit.record(
            session,
            "fund",
            "invoice",
            invoice.id,
            {"amount": order.amount, "investment_id": investment.id, "source": order.source.value}
            | ({"rule_id": order.rule_id} if order.rule_id is not None else {}),
        )
        notifications.invested(session, invoice, investment, fully_funded)
        results.append(FundingResult(investment, invoice, wallet))
    recorded.add(MarketChanged())
    return results


def _wallet(session: Session, user_id: int) -> Account:
    return session.scalars(
        select(Account).where(Account.user_id == user_id, Account.kind == AccountKind.WALLET)
    ).one()


def release_escrow(session: Session, invoice: Invoice, escrow: Account, seller: Account) -> None:
    """The invoice is fully funded: the whole escrow goes to the seller."""
    ledger.transfer(
        session,
        escrow,
        seller,
        invoice.funding_target,
        TransferKind.FUNDING_RECEIVED,
        f"Funding received for invoice {invoice.invoice_number}",
        invoice.id,
    )


def fund_batch_in(
    session: Session, requests: list[tuple[Invoice, int, int]]
) -> list[FundingResult | DomainError]:
    """People funding locked invoices at once (group commit), given as (invoice, investor id,
    amount) in arrival order. Each is checked as if it came after the ones before it that
    were accepted; a refused one gets its error (nothing of it is written), the others are
    booked by `invest_many_in`, invoice by invoice. Every account of the batch is locked in
    one statement: two batches never hold accounts in crossing order."""
    invoices = list({invoice.id: invoice for invoice, _, _ in requests}.values())
    asked = Counter()
    for invoice, _, amount in requests:
        asked[invoice.id] += amount
    completing = [
        invoice
        for invoice in invoices
        if invoice.status == InvoiceStatus.LISTED and asked[invoice.id] >= (invoice.remaining or 0)
    ]
    investors = {(investor_id, AccountKind.WALLET) for _, investor_id, _ in requests}
    locked = lock_payers(session, invoices, investors, completing)
    balance = {a.user_id: a.balance for a in locked if a.kind == AccountKind.WALLET}
    ahead, outcomes, accepted = Counter(), [], {invoice.id: [] for invoice in invoices}
    for invoice, investor_id, amount in requests:
        try:
            check_fundable(invoice, amount, ahead[invoice.id])
            if balance[investor_id] < amount:
                raise InsufficientFunds()
        except DomainError as refused:
            outcomes.append(refused)
            continue
        ahead[invoice.id] += amount
        balance[investor_id] -= amount
        outcomes.append(None)
        accepted[invoice.id].append(Order(investor_id, amount))
    booked = {
        invoice.id: iter(invest_many_in(session, invoice, accepted[invoice.id], locked))
        for invoice in invoices
        if accepted[invoice.id]
    }
    return [
        next(booked[invoice.id]) if outcome is None else outcome
        for (invoice, _, _), outcome in zip(requests, outcomes, strict=True)
    ]


def fund(investor_id: int, invoice_id: int, amount: int) -> FundingResult:
    """Fund `amount` paise of an invoice, in a transaction of its own (or the caller's)."""
    return db.transaction(
        lambda session: fund_in(session, investor_id, lock_invoice(session, invoice_id), amount)
    )
