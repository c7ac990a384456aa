"""The one place that turns committed changes into SPEC.md's Socket.IO events.

| change                  | event             | to                                   |
|-------------------------|-------------------|--------------------------------------|
| invoice listed          | newInvoiceListed  | investors                            |
| funding                 | invoiceFunded     | the invoice's seller                 |
| funding                 | investmentSuccess | the investor                         |
| any invoice change      | invoiceUpdated    | every authenticated user             |
| ledger rows on a wallet | walletUpdated     | that wallet's owner (one per commit) |
| investments moved       | portfolioUpdate   | each investor concerned              |
"""

from __future__ import annotations

from ..extensions import socketio
from ..schemas import (
    InvestmentSchema,
    InvoiceSchema,
    SummarySchema,
    TransactionSchema,
    WalletSchema,
)
from ..services.changes import ChangeSet
from .queue import published_together, stamped

invoice_schema = InvoiceSchema()
investment_schema = InvestmentSchema()
wallet_schema = WalletSchema()
transactions_schema = TransactionSchema(many=True)
summary_schema = SummarySchema()

USERS, INVESTORS, SELLERS = "users", "investors", "sellers"


def user_room(user_id: int) -> str:
    return f"user:{user_id}"


def emit(event: str, payload: dict, room: str) -> None:
    socketio.emit(event, stamped(payload), to=room)


def publish(change_set: ChangeSet) -> None:
    """Called once per committed transaction (never for a rollback or an idempotent replay).
    Each payload is serialized once, whatever the number of recipients, and the events go to
    the other workers in one Redis round trip."""
    with published_together(socketio.server.manager):
        _emit_all(change_set)


def _emit_all(change_set: ChangeSet) -> None:
    invoices = {
        invoice_id: invoice_schema.dump(invoice)
        for invoice_id, invoice in change_set.invoices.items()
    }

    for invoice in change_set.listed:
        emit("newInvoiceListed", {"invoice": invoices[invoice.id]}, INVESTORS)

    for funding in change_set.fundings:
        investment = investment_schema.dump(funding.investment)
        invoice = invoices[funding.invoice.id]
        emit(
            "invoiceFunded",
            {"invoice": invoice, "investment": investment, "fully_funded": funding.fully_funded},
            user_room(funding.invoice.seller_id),
        )
        emit(
            "investmentSuccess",
            {
                "investment": investment,
                "invoice": invoice,
                "wallet": wallet_schema.dump(funding.investor_wallet),
            },
            user_room(funding.investment.investor_id),
        )

    for invoice in invoices.values():
        emit("invoiceUpdated", {"invoice": invoice}, USERS)

    for user_id, (wallet, entries) in change_set.wallets.items():
        emit(
            "walletUpdated",
            {
                "wallet": wallet_schema.dump(wallet),
                "transactions": transactions_schema.dump(reversed(entries)),
            },
            user_room(user_id),
        )

    for investor_id, summary in sorted(change_set.portfolios.items()):
        emit("portfolioUpdate", {"summary": summary_schema.dump(summary)}, user_room(investor_id))
