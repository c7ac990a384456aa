"""Funding: an investor's money moves into an invoice's escrow, and when the invoice is fully
funded the escrow moves to the seller, all in one transaction.

`fund_in(session, ...)` is the rule, used inside a caller's transaction (the HTTP view, the
auto-invest job); `fund(...)` is the same as one unit of work of its own.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import or_, select
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
    """Fund `amount` of an invoice that this transaction has locked (`lock_invoice`)."""
    check_fundable(invoice, amount)
    completes = amount == invoice.remaining
    owners = [investor_id, invoice.seller_id] if completes else [investor_id]
    # Lock order, everywhere: the invoice row, then accounts by ascending id.
    accounts = session.scalars(
        select(Account)
        .where(
            or_(
                Account.id == invoice.escrow_account_id,
                Account.user_id.in_(owners) & (Account.kind == AccountKind.WALLET),
            )
        )
        .order_by(Account.id)
        .with_for_update()
    ).all()
    by_owner = {account.user_id: account for account in accounts}
    wallet, escrow = by_owner[investor_id], by_owner[None]
    label = f"invoice {invoice.invoice_number}"

    ledger.transfer(
        session,
        wallet,
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
        expected_return=money.expected_return(amount, invoice.amount, invoice.funding_target),
        received=0,
        status=InvestmentStatus.ACTIVE,
        source=source,
        rule_id=rule_id,
        created_at=utcnow(),
    )
    session.add(investment)
    invoice.funded_amount += amount
    if completes:
        release_escrow(session, invoice, escrow, by_owner[invoice.seller_id])
    record_change(session, invoice, InvoiceStatus.FUNDED if completes else None)
    session.flush()

    recorded = changes(session)
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
