"""Funding: an investor's money moves into an invoice's escrow, and when the invoice is fully
funded the escrow moves to the seller, all in one transaction.

`fund_in(session, ...)` is the rule, used inside a caller's transaction (the HTTP view, the
auto-invest job); `fund(...)` is the same as one unit of work of its own.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import false, or_, select
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
from .errors import BelowMinimum, ExceedsRemaining, InvoiceNotFundable
from .invoices import lock_invoice, record_change


@dataclass
class FundingResult:
    investment: Investment
    invoice: Invoice
    wallet: Account


def check_fundable(invoice: Invoice, amount: int) -> None:
    if (
        invoice.status != InvoiceStatus.LISTED
        or invoice.pricing != Pricing.FIXED
        or (invoice.due_date - today_ist()).days < 1
    ):
        raise InvoiceNotFundable()
    remaining = invoice.remaining
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
    completes = invoice.funded_amount + amount == invoice.funding_target
    # Lock order, everywhere: the invoice row, then accounts by ascending id.
    accounts = session.scalars(
        select(Account)
        .where(
            or_(
                Account.id == invoice.escrow_account_id,
                (Account.user_id == investor_id) & (Account.kind == paid_from),
                (Account.user_id == invoice.seller_id) & (Account.kind == AccountKind.WALLET)
                if completes
                else false(),
            )
        )
        .order_by(Account.id)
        .with_for_update()
    ).all()
    escrow = next(a for a in accounts if a.id == invoice.escrow_account_id)
    payer = next(a for a in accounts if a.user_id == investor_id and a.kind == paid_from)
    label = f"invoice {invoice.invoice_number}"

    ledger.transfer(
        session,
        payer,
        escrow,
        amount,
        TransferKind.INVESTMENT,
        f"Investment in {label}",
        invoice.id,
    )
    investment = Investment(
        invoice_id=invoice.id,
        investor_id=investor_id,
        amount=amount,
        expected_return=expected_return
        if expected_return is not None
        else money.expected_return(amount, invoice.amount, invoice.funding_target),
        received=0,
        status=InvestmentStatus.ACTIVE,
        source=source,
        rule_id=rule_id,
        created_at=utcnow(),
    )
    session.add(investment)
    invoice.funded_amount += amount
    if completes:
        seller = next(
            a for a in accounts if a.user_id == invoice.seller_id and a.kind == AccountKind.WALLET
        )
        release_escrow(session, invoice, escrow, seller)
    record_change(session, invoice, InvoiceStatus.FUNDED if completes else None)
    session.flush()

    recorded = changes(session)
    wallet = payer if paid_from == AccountKind.WALLET else _wallet(session, investor_id)
    recorded.add(Funded(invoice, investment, wallet, completes))
    recorded.add(MarketChanged())
    recorded.investors.add(investor_id)
    audit.record(
        session,
        "fund",
        "invoice",
        invoice.id,
        {"amount": amount, "investment_id": investment.id, "source": source.value},
    )
    notifications.invested(session, invoice, investment, completes)
    return FundingResult(investment, invoice, wallet)


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


def fund(investor_id: int, invoice_id: int, amount: int) -> FundingResult:
    """Fund `amount` paise of an invoice, in a transaction of its own (or the caller's)."""
    return db.transaction(
        lambda session: fund_in(session, investor_id, lock_invoice(session, invoice_id), amount)
    )
