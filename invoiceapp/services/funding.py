"""Funding: an investor's money moves into an invoice's escrow, and when the invoice is fully
funded the escrow moves to the seller, all in one transaction."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from ..db import run_in_transaction
from ..models import (
    Account,
    Investment,
    InvestmentStatus,
    Invoice,
    InvoiceStatus,
    TransferKind,
    utcnow,
)
from . import idempotency, ledger, money
from .changes import Funding, changes
from .dates import today_ist
from .errors import BelowMinimum, DomainError, ExceedsRemaining, InvoiceNotFundable
from .invoices import lock_invoice, record_change


@dataclass
class FundingResult:
    investment: Investment
    invoice: Invoice
    wallet: Account


def check_fundable(invoice: Invoice, amount: int) -> None:
    if invoice.status != InvoiceStatus.LISTED or (invoice.due_date - today_ist()).days < 1:
        raise InvoiceNotFundable()
    remaining = invoice.remaining
    if amount > remaining:
        raise ExceedsRemaining(details={"remaining": remaining})
    if amount < money.minimum_investment(remaining):
        raise BelowMinimum(details={"minimum": money.minimum_investment(remaining)})


def _fund(session: Session, investor_id: int, invoice_id: int, amount: int) -> FundingResult:
    # Lock order, everywhere: the invoice row, then accounts by ascending id.
    invoice = lock_invoice(session, invoice_id)
    check_fundable(invoice, amount)
    completes = amount == invoice.remaining
    owners = [investor_id, invoice.seller_id] if completes else [investor_id]
    accounts = session.scalars(
        select(Account)
        .where(or_(Account.id == invoice.escrow_account_id, Account.user_id.in_(owners)))
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
        status=InvestmentStatus.ACTIVE,
        created_at=utcnow(),
    )
    session.add(investment)
    invoice.funded_amount += amount
    if completes:
        ledger.transfer(
            session,
            escrow,
            by_owner[invoice.seller_id],
            invoice.funding_target,
            TransferKind.FUNDING_RECEIVED,
            f"Funding received for {label}",
            invoice.id,
        )
    record_change(session, invoice, InvoiceStatus.FUNDED if completes else None)
    session.flush()

    recorded = changes(session)
    recorded.fundings.append(Funding(invoice, investment, wallet, completes))
    recorded.investors.add(investor_id)
    return FundingResult(investment, invoice, wallet)


def fund(
    investor_id: int, invoice_id: int, amount: int, key: idempotency.Idempotency | None = None
) -> FundingResult | idempotency.Replay:
    """Fund `amount` paise of an invoice. With an idempotency key, the first outcome (success
    or conflict) is stored and a repeat of the same request gets it back, moving nothing."""
    if key is None:
        return run_in_transaction(lambda session: _fund(session, investor_id, invoice_id, amount))

    replay = idempotency.claim(key)
    if replay is not None:
        return replay

    def work(session: Session) -> FundingResult:
        result = _fund(session, investor_id, invoice_id, amount)
        idempotency.store(session, key, 201, key.render(result))
        return result

    try:
        return run_in_transaction(work)
    except DomainError as error:
        if error.status == 409:
            idempotency.store_separately(key, 409, key.render(error))
        else:
            idempotency.release(key)
        raise
    except BaseException:
        idempotency.release(key)
        raise
