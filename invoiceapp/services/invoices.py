"""Listing, cancelling, expiring and settling invoices, and reading them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, joinedload

from ..db import read_session, run_in_transaction
from ..models import (
    Account,
    AccountKind,
    Investment,
    InvestmentStatus,
    Invoice,
    InvoiceStatus,
    TransferKind,
    User,
    utcnow,
)
from . import ledger, money
from .changes import changes
from .dates import today_ist
from .errors import DuplicateInvoiceNumber, Forbidden, InvalidState, NotFound
from .pagination import Page, paginate


@dataclass
class NewInvoice:
    invoice_number: str
    buyer_name: str
    amount: int
    due_date: date
    discount_rate_bps: int
    description: str | None = None


def _duplicate() -> DuplicateInvoiceNumber:
    return DuplicateInvoiceNumber(
        details={"invoice_number": ["Already used by one of your invoices."]}
    )


def list_invoice(seller_id: int, new: NewInvoice) -> Invoice:
    """Put an invoice on the marketplace, fixing its funding target and yield at today's tenor."""
    days = (new.due_date - today_ist()).days
    target = money.funding_target(new.amount, new.discount_rate_bps, days)

    def work(session: Session) -> Invoice:
        seller = session.get(User, seller_id)
        taken = session.scalar(
            select(Invoice.id).where(
                Invoice.seller_id == seller_id, Invoice.invoice_number == new.invoice_number
            )
        )
        if taken:
            raise _duplicate()
        escrow = Account(kind=AccountKind.ESCROW, balance=0)
        session.add(escrow)
        session.flush()
        invoice = Invoice(
            seller=seller,
            seller_id=seller_id,
            escrow_account_id=escrow.id,
            invoice_number=new.invoice_number,
            buyer_name=new.buyer_name,
            description=new.description,
            amount=new.amount,
            currency="INR",
            due_date=new.due_date,
            tenor_days=days,
            discount_rate_bps=new.discount_rate_bps,
            funding_target=target,
            annual_yield_bps=money.annual_yield_bps(new.amount, target, days),
            funded_amount=0,
            status=InvoiceStatus.LISTED,
            version=1,
            created_at=utcnow(),
        )
        session.add(invoice)
        try:
            session.flush()
        except IntegrityError:
            raise _duplicate() from None
        recorded = changes(session)
        recorded.listed.append(invoice)
        recorded.invoice_changed(invoice)
        return invoice

    return run_in_transaction(work)


STATUS_STAMPS = {
    InvoiceStatus.FUNDED: "funded_at",
    InvoiceStatus.SETTLED: "settled_at",
    InvoiceStatus.CANCELLED: "cancelled_at",
}


def record_change(session: Session, invoice: Invoice, status: InvoiceStatus | None = None) -> None:
    """Every change of an invoice (its status or funded_amount) increments its version, so
    clients can drop stale updates, and is announced once the transaction commits."""
    if status is not None:
        invoice.status = status
        setattr(invoice, STATUS_STAMPS[status], utcnow())
    invoice.version += 1
    changes(session).invoice_changed(invoice)


def lock_invoice(session: Session, invoice_id: int) -> Invoice:
    """Lock the invoice row first: every money movement on an invoice queues here."""
    invoice = session.scalar(
        select(Invoice)
        .where(Invoice.id == invoice_id)
        .options(joinedload(Invoice.seller, innerjoin=True))
        .with_for_update(of=Invoice)
    )
    if invoice is None:
        raise NotFound("Invoice not found.")
    return invoice


def _owned_invoice(session: Session, seller_id: int, invoice_id: int) -> Invoice:
    invoice = lock_invoice(session, invoice_id)
    if invoice.seller_id != seller_id:
        raise Forbidden("This invoice belongs to another seller.")
    return invoice


def _active_investments(session: Session, invoice_id: int) -> list[Investment]:
    return list(
        session.scalars(
            select(Investment)
            .where(
                Investment.invoice_id == invoice_id, Investment.status == InvestmentStatus.ACTIVE
            )
            .order_by(Investment.id)
        )
    )


def _wallet_ids(session: Session, user_ids: set[int]) -> dict[int, int]:
    return dict(
        session.execute(
            select(Account.user_id, Account.id).where(Account.user_id.in_(user_ids))
        ).all()
    )


def _refund_and_cancel(session: Session, invoice: Invoice, reason: str) -> Invoice:
    investments = _active_investments(session, invoice.id)
    wallets = _wallet_ids(session, {i.investor_id for i in investments})
    accounts = ledger.lock_accounts(session, [invoice.escrow_account_id, *wallets.values()])
    escrow = accounts[invoice.escrow_account_id]
    recorded = changes(session)
    for investment in investments:
        ledger.transfer(
            session,
            escrow,
            accounts[wallets[investment.investor_id]],
            investment.amount,
            TransferKind.REFUND,
            f"Refund: invoice {invoice.invoice_number} {reason}",
            invoice.id,
        )
        investment.status = InvestmentStatus.REFUNDED
        recorded.investors.add(investment.investor_id)
    record_change(session, invoice, InvoiceStatus.CANCELLED)
    return invoice


def cancel(seller_id: int, invoice_id: int) -> Invoice:
    def work(session: Session) -> Invoice:
        invoice = _owned_invoice(session, seller_id, invoice_id)
        if invoice.status != InvoiceStatus.LISTED:
            raise InvalidState("Only a listed invoice can be cancelled.")
        return _refund_and_cancel(session, invoice, "cancelled by the seller")

    return run_in_transaction(work)


def expire_due_invoices() -> int:
    """Cancel, with refunds, every listed invoice that has reached its due date unfunded.
    One transaction per invoice, so one failure does not hold back the rest."""
    today = today_ist()
    with read_session() as session:
        due = session.scalars(
            select(Invoice.id).where(
                Invoice.status == InvoiceStatus.LISTED, Invoice.due_date <= today
            )
        ).all()

    def expire(invoice_id: int):
        def work(session: Session) -> bool:
            invoice = lock_invoice(session, invoice_id)
            if invoice.status != InvoiceStatus.LISTED or invoice.due_date > today:
                return False
            _refund_and_cancel(session, invoice, "expired unfunded")
            return True

        return run_in_transaction(work)

    return sum(expire(invoice_id) for invoice_id in due)


def settle(seller_id: int, invoice_id: int) -> Invoice:
    """The seller repays the face value; escrow pays each investment its share of it."""

    def work(session: Session) -> Invoice:
        invoice = _owned_invoice(session, seller_id, invoice_id)
        if invoice.status != InvoiceStatus.FUNDED:
            raise InvalidState("Only a funded invoice can be settled.")
        investments = _active_investments(session, invoice.id)
        wallets = _wallet_ids(session, {seller_id} | {i.investor_id for i in investments})
        accounts = ledger.lock_accounts(session, [invoice.escrow_account_id, *wallets.values()])
        escrow = accounts[invoice.escrow_account_id]
        label = f"invoice {invoice.invoice_number}"
        ledger.transfer(
            session,
            accounts[wallets[seller_id]],
            escrow,
            invoice.amount,
            TransferKind.REPAYMENT_PAID,
            f"Repayment of {label}",
            invoice.id,
        )
        shares = money.payouts(
            [(i.id, i.amount) for i in investments], invoice.amount, invoice.funding_target
        )
        recorded = changes(session)
        for investment in investments:
            ledger.transfer(
                session,
                escrow,
                accounts[wallets[investment.investor_id]],
                shares[investment.id],
                TransferKind.REPAYMENT_RECEIVED,
                f"Repayment received: {label}",
                invoice.id,
            )
            investment.payout = shares[investment.id]
            investment.status = InvestmentStatus.SETTLED
            recorded.investors.add(investment.investor_id)
        record_change(session, invoice, InvoiceStatus.SETTLED)
        return invoice

    return run_in_transaction(work)


def get_invoice(invoice_id: int) -> Invoice:
    with read_session() as session:
        invoice = session.scalar(
            select(Invoice)
            .where(Invoice.id == invoice_id)
            .options(joinedload(Invoice.seller, innerjoin=True))
        )
    if invoice is None:
        raise NotFound("Invoice not found.")
    return invoice


def list_invoices(
    status: InvoiceStatus | None, limit: int, cursor: str | None, seller_id: int | None = None
) -> Page[Invoice]:
    query = select(Invoice).options(joinedload(Invoice.seller, innerjoin=True))
    if status is not None:
        query = query.where(Invoice.status == status)
    if seller_id is not None:
        query = query.where(Invoice.seller_id == seller_id)
    with read_session() as session:
        return paginate(session, query, Invoice, limit, cursor)
