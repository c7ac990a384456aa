"""Money coming back: repayments by the payer (the buyer of a confirmed invoice, the seller
otherwise; the seller may always settle everything owed), recoveries recorded by operators,
and write-offs. Every payment goes through escrow to the investors, shared by
`money.distribute`, in one transaction."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import db
from ..models import (
    OUTSTANDING,
    AccountKind,
    Investment,
    InvestmentStatus,
    Invoice,
    InvoiceStatus,
    TransferKind,
)
from . import audit, ledger, money, notifications
from .changes import MarketChanged, RepaymentReceived, changes
from .errors import BelowMinimum, ExceedsOwed, Forbidden, InvalidState
from .invoices import active_investments, lock_invoice, record_change


def payer_of(invoice: Invoice) -> int:
    """Who repays: the buyer who confirmed the invoice, else the seller."""
    return invoice.buyer_id if invoice.buyer_confirmed else invoice.seller_id


def _check_amount(invoice: Invoice, amount: int | None) -> int:
    owed = invoice.owed
    amount = owed if amount is None else amount
    if amount > owed:
        raise ExceedsOwed(details={"owed": owed})
    minimum = min(money.MIN_INVESTMENT, owed)
    if amount < minimum:
        raise BelowMinimum(details={"minimum": minimum})
    return amount


def _interest_first(invoice: Invoice, amount: int) -> int:
    """The part of a payment that pays late interest (payments pay it first)."""
    return min(amount, invoice.late_interest - invoice.interest_paid)


def pay_in(
    session: Session,
    invoice: Invoice,
    source_account_id: int,
    amount: int,
    recovery: bool = False,
) -> list[tuple[Investment, int]]:
    """Move `amount` from an account into escrow and on to the investors, interest first.
    Returns each investment with what it received."""
    investments = _owed_investments(session, invoice.id)
    wallets = ledger.user_accounts(session, {i.investor_id for i in investments})
    accounts = ledger.lock_accounts(
        session, [source_account_id, invoice.escrow_account_id, *wallets.values()]
    )
    source, escrow = accounts[source_account_id], accounts[invoice.escrow_account_id]
    interest = _interest_first(invoice, amount)
    face = amount - interest
    label = f"invoice {invoice.invoice_number}"
    paid_kinds = (
        [(TransferKind.RECOVERY, amount)]
        if recovery
        else [(TransferKind.LATE_INTEREST, interest), (TransferKind.REPAYMENT_PAID, face)]
    )
    for kind, part in paid_kinds:
        if part:
            ledger.transfer(
                session, source, escrow, part, kind, f"{_words(kind)}: {label}", invoice.id
            )

    distributed_before = sum(i.received for i in investments)
    shares = money.distribute(
        amount, [(i.id, i.weight, i.received) for i in investments], distributed_before
    )
    interest_parts = (
        money.split(interest, [(i.id, shares[i.id]) for i in investments]) if interest else {}
    )
    recorded = changes(session)
    paid = []
    for investment in investments:
        share = shares[investment.id]
        if share == 0:
            continue
        wallet = accounts[wallets[investment.investor_id]]
        received_kinds = (
            [(TransferKind.RECOVERY, share)]
            if recovery
            else [
                (TransferKind.LATE_INTEREST, interest_parts.get(investment.id, 0)),
                (TransferKind.REPAYMENT_RECEIVED, share - interest_parts.get(investment.id, 0)),
            ]
        )
        for kind, part in received_kinds:
            if part:
                ledger.transfer(
                    session,
                    escrow,
                    wallet,
                    part,
                    kind,
                    f"{_words(kind)}: {label}",
                    invoice.id,
                    investment_id=investment.id,
                )
        investment.received += share
        if investment.status == InvestmentStatus.WRITTEN_OFF:
            investment.loss = max(0, investment.amount - investment.received)
        recorded.add(RepaymentReceived(invoice, investment, share))
        recorded.investors.add(investment.investor_id)
        paid.append((investment, share))

    invoice.repaid_amount += amount
    invoice.interest_paid += interest
    if invoice.owed == 0:
        for investment in investments:
            investment.status = InvestmentStatus.SETTLED
            investment.payout = investment.received
            investment.loss = None
        record_change(session, invoice, InvoiceStatus.SETTLED)
    else:
        record_change(session, invoice)
    recorded.add(MarketChanged())
    notifications.payment_received(session, invoice, paid, recovery)
    return paid


def _owed_investments(session: Session, invoice_id: int) -> list[Investment]:
    """The investments a payment is shared over: active ones, and written-off ones (whose
    loss a recovery lowers)."""
    return list(
        session.scalars(
            select(Investment)
            .where(
                Investment.invoice_id == invoice_id,
                Investment.status.in_([InvestmentStatus.ACTIVE, InvestmentStatus.WRITTEN_OFF]),
            )
            .order_by(Investment.id)
        )
    )


def _words(kind: TransferKind) -> str:
    return {
        TransferKind.LATE_INTEREST: "Late interest",
        TransferKind.REPAYMENT_PAID: "Repayment of",
        TransferKind.REPAYMENT_RECEIVED: "Repayment received",
        TransferKind.RECOVERY: "Recovery",
    }[kind]


def _wallet_id(session: Session, user_id: int) -> int:
    return ledger.user_accounts(session, {user_id})[user_id]


def repay(payer_id: int, invoice_id: int, amount: int | None, settle: bool = False) -> Invoice:
    """A payment by the invoice's payer (or, to settle everything, by its seller)."""

    def work(session: Session) -> Invoice:
        invoice = lock_invoice(session, invoice_id)
        allowed = invoice.seller_id if settle else payer_of(invoice)
        if payer_id != allowed:
            raise Forbidden(
                "Only the seller may settle this invoice."
                if settle
                else "You do not repay this invoice."
            )
        if invoice.status not in OUTSTANDING:
            raise InvalidState("Only a funded, overdue or defaulted invoice can be repaid.")
        paying = _check_amount(invoice, None if settle else amount)
        pay_in(session, invoice, _wallet_id(session, payer_id), paying)
        audit.record(
            session, "settle" if settle else "repay", "invoice", invoice.id, {"amount": paying}
        )
        return invoice

    return db.transaction(work)


def recover(invoice_id: int, amount: int, note: str) -> Invoice:
    """An operator records money recovered off the platform; it is shared like a repayment."""

    def work(session: Session) -> Invoice:
        invoice = lock_invoice(session, invoice_id)
        if invoice.status not in (
            InvoiceStatus.OVERDUE,
            InvoiceStatus.DEFAULTED,
            InvoiceStatus.WRITTEN_OFF,
        ):
            raise InvalidState(
                "Recoveries are recorded on overdue, defaulted or written-off invoices."
            )
        paying = _check_amount(invoice, amount)
        recoveries = ledger.system_account(session, AccountKind.RECOVERIES)
        pay_in(session, invoice, recoveries.id, paying, recovery=True)
        audit.record(session, "recovery", "invoice", invoice.id, {"amount": paying, "note": note})
        return invoice

    return db.transaction(work)


def write_off(invoice_id: int) -> Invoice:
    """An operator writes off a defaulted invoice: each investment's loss is what it put in
    less what it got back (a later recovery lowers it)."""

    def work(session: Session) -> Invoice:
        invoice = lock_invoice(session, invoice_id)
        if invoice.status != InvoiceStatus.DEFAULTED:
            raise InvalidState("Only a defaulted invoice can be written off.")
        recorded = changes(session)
        investments = active_investments(session, invoice.id)
        for investment in investments:
            investment.status = InvestmentStatus.WRITTEN_OFF
            investment.loss = max(0, investment.amount - investment.received)
            recorded.investors.add(investment.investor_id)
        record_change(session, invoice, InvoiceStatus.WRITTEN_OFF)
        recorded.add(MarketChanged())
        audit.record(session, "write_off", "invoice", invoice.id)
        notifications.written_off(session, invoice, investments)
        return invoice

    return db.transaction(work)


def settle(seller_id: int, invoice_id: int) -> Invoice:
    """The seller pays everything owed (recourse), whoever the payer is."""
    return repay(seller_id, invoice_id, None, settle=True)
