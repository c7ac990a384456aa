from flask import current_app

from ..extensions import limiter
from ..models import Role
from ..schemas.common import ErrorSchema, IdempotencyHeaderSchema
from ..schemas.invoices import (
    FundingResponseSchema,
    FundSchema,
    InvoiceCreateSchema,
    InvoicePageSchema,
    InvoiceQuerySchema,
    InvoiceResponseSchema,
    MyInvoicesQuerySchema,
    RecoverySchema,
    RejectSchema,
    RepaySchema,
)
from ..services import acceptance, invoices, repayments
from .desk import desk
from .idempotency import claim_of, idempotent
from .parsing import Blueprint
from .security import auth_required, current_role, current_user_id

blp = Blueprint(
    "invoices",
    __name__,
    url_prefix="/api/invoices",
    description="Invoices through their life: list, accept, fund, repay, recover",
)

CONFLICT = {
    "schema": ErrorSchema,
    "description": "State conflict; error.code is one of: insufficient_funds, invoice_not_fundable, "
    "exceeds_remaining, below_minimum, invalid_state, duplicate_invoice_number, exceeds_owed, "
    "credit_limit_exceeded, bid_not_competitive, auction_closed, idempotency_in_progress",
}
NOT_FOUND = {"schema": ErrorSchema, "description": "not_found"}
UNAVAILABLE = {
    "schema": ErrorSchema,
    "description": "service_unavailable, busy or outcome_unknown (with Retry-After)",
}


@blp.route("", methods=["GET"])
@auth_required()
@blp.arguments(InvoiceQuerySchema, location="query")
@blp.response(200, InvoicePageSchema)
def list_invoices(query):
    """Invoices by status (the marketplace is `listed`), newest first."""
    return invoices.list_invoices(
        query["status"],
        query["limit"],
        query["cursor"],
        current_user_id(),
        current_role(),
        buyer_confirmed=query["buyer_confirmed"],
    )


@blp.route("/mine", methods=["GET"])
@auth_required(Role.SELLER, Role.BUYER)
@blp.arguments(MyInvoicesQuerySchema, location="query")
@blp.response(200, InvoicePageSchema)
def my_invoices(query):
    """A seller's own invoices, or the invoices a buyer owes, newest first."""
    return invoices.list_invoices(
        query["status"],
        query["limit"],
        query["cursor"],
        current_user_id(),
        current_role(),
        mine=True,
    )


@blp.route("/<int:invoice_id>", methods=["GET"])
@auth_required()
@blp.response(200, InvoiceResponseSchema)
@blp.alt_response(404, **NOT_FOUND)
def get_invoice(invoice_id):
    """One invoice."""
    return {"invoice": invoices.get_invoice(invoice_id, current_user_id(), current_role())}


def _seller_key() -> str:
    return f"listing:{current_user_id()}"


@blp.route("", methods=["POST"])
@auth_required(Role.SELLER)
@limiter.limit(lambda: current_app.config["LISTING_RATE_LIMIT"], key_func=_seller_key)
@blp.arguments(InvoiceCreateSchema)
@blp.response(201, InvoiceResponseSchema)
@blp.alt_response(409, **CONFLICT)
@blp.alt_response(
    429, schema=ErrorSchema, description="rate_limited: too many listings by this seller"
)
def create_invoice(data):
    """List an invoice: on the marketplace at once, or after its registered buyer accepts."""
    return {"invoice": invoices.list_invoice(current_user_id(), data)}


@blp.route("/<int:invoice_id>/fund", methods=["POST"])
@auth_required(Role.INVESTOR)
@blp.arguments(IdempotencyHeaderSchema, location="headers")
@blp.arguments(FundSchema)
@blp.response(201, FundingResponseSchema)
@blp.alt_response(404, **NOT_FOUND)
@blp.alt_response(409, **CONFLICT)
@blp.alt_response(503, **UNAVAILABLE)
def fund(headers, data, invoice_id):
    """Fund all or part of what remains; funding the whole remainder pays the seller at once.
    Fundings of one invoice arriving together are booked together (api/desk.py)."""
    return desk.fund(current_user_id(), invoice_id, data["amount"], claim_of(headers["key"]))


@blp.route("/<int:invoice_id>/cancel", methods=["POST"])
@auth_required(Role.SELLER)
@blp.response(200, InvoiceResponseSchema)
@blp.alt_response(404, **NOT_FOUND)
@blp.alt_response(409, **CONFLICT)
def cancel(invoice_id):
    """Withdraw a listed or pending invoice; investors already in are refunded."""
    return {"invoice": invoices.cancel(current_user_id(), invoice_id)}


@blp.route("/<int:invoice_id>/accept", methods=["POST"])
@auth_required(Role.BUYER)
@blp.response(200, InvoiceResponseSchema)
@blp.alt_response(404, **NOT_FOUND)
@blp.alt_response(409, **CONFLICT)
def accept(invoice_id):
    """The buyer confirms, irrevocably, that it owes this invoice: it goes on the marketplace."""
    return {"invoice": acceptance.accept(current_user_id(), invoice_id)}


@blp.route("/<int:invoice_id>/reject", methods=["POST"])
@auth_required(Role.BUYER)
@blp.arguments(RejectSchema)
@blp.response(200, InvoiceResponseSchema)
@blp.alt_response(404, **NOT_FOUND)
@blp.alt_response(409, **CONFLICT)
def reject(data, invoice_id):
    """The buyer refuses an invoice listed against it, saying why."""
    return {"invoice": acceptance.reject(current_user_id(), invoice_id, data["reason"])}


@blp.route("/<int:invoice_id>/repay", methods=["POST"])
@auth_required(Role.BUYER, Role.SELLER)
@blp.arguments(IdempotencyHeaderSchema, location="headers")
@blp.arguments(RepaySchema)
@idempotent
@blp.response(200, InvoiceResponseSchema)
@blp.alt_response(404, **NOT_FOUND)
@blp.alt_response(409, **CONFLICT)
@blp.alt_response(503, **UNAVAILABLE)
def repay(data, invoice_id):
    """Pay all or part of what is owed (late interest first); the investors share it."""
    return {"invoice": repayments.repay(current_user_id(), invoice_id, data["amount"])}


@blp.route("/<int:invoice_id>/settle", methods=["POST"])
@auth_required(Role.SELLER)
@blp.arguments(IdempotencyHeaderSchema, location="headers")
@idempotent
@blp.response(200, InvoiceResponseSchema)
@blp.alt_response(404, **NOT_FOUND)
@blp.alt_response(409, **CONFLICT)
@blp.alt_response(503, **UNAVAILABLE)
def settle(invoice_id):
    """The seller pays everything still owed, whoever the payer was (recourse)."""
    return {"invoice": repayments.settle(current_user_id(), invoice_id)}


@blp.route("/<int:invoice_id>/recoveries", methods=["POST"])
@auth_required(Role.OPERATOR)
@blp.arguments(IdempotencyHeaderSchema, location="headers")
@blp.arguments(RecoverySchema)
@idempotent
@blp.response(200, InvoiceResponseSchema)
@blp.alt_response(404, **NOT_FOUND)
@blp.alt_response(409, **CONFLICT)
def record_recovery(data, invoice_id):
    """Record money recovered off the platform; the investors share it like a repayment."""
    return {"invoice": repayments.recover(invoice_id, data["amount"], data["note"])}


@blp.route("/<int:invoice_id>/write-off", methods=["POST"])
@auth_required(Role.OPERATOR)
@blp.arguments(IdempotencyHeaderSchema, location="headers")
@idempotent
@blp.response(200, InvoiceResponseSchema)
@blp.alt_response(404, **NOT_FOUND)
@blp.alt_response(409, **CONFLICT)
def write_off(invoice_id):
    """Write off a defaulted invoice: each investment's loss is fixed (recoveries lower it)."""
    return {"invoice": repayments.write_off(invoice_id)}
