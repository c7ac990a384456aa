from flask import jsonify, request
from flask_smorest import Blueprint

from ..models import Role
from ..schemas import (
    ErrorSchema,
    FundingResponseSchema,
    FundSchema,
    InvoiceCreateSchema,
    InvoicePageSchema,
    InvoiceQuerySchema,
    InvoiceResponseSchema,
    MyInvoicesQuerySchema,
)
from ..services import funding, invoices
from ..services.errors import DomainError, ValidationFailed
from ..services.idempotency import Idempotency, Replay, fingerprint
from .errors import domain_error_body
from .security import auth_required, current_user_id

blp = Blueprint(
    "invoices",
    __name__,
    url_prefix="/api/invoices",
    description="The marketplace: list, fund, cancel, settle",
)

CONFLICT = {"schema": ErrorSchema, "description": "State conflict (see error.code)"}
NOT_FOUND = {"schema": ErrorSchema, "description": "not_found"}


@blp.route("", methods=["GET"])
@auth_required()
@blp.arguments(InvoiceQuerySchema, location="query")
@blp.response(200, InvoicePageSchema)
def list_invoices(query):
    """Invoices by status (the marketplace is `listed`), newest first."""
    return invoices.list_invoices(query["status"], query["limit"], query["cursor"])


@blp.route("/mine", methods=["GET"])
@auth_required(Role.SELLER)
@blp.arguments(MyInvoicesQuerySchema, location="query")
@blp.response(200, InvoicePageSchema)
def my_invoices(query):
    """The seller's own invoices, newest first."""
    return invoices.list_invoices(
        query["status"], query["limit"], query["cursor"], seller_id=current_user_id()
    )


@blp.route("/<int:invoice_id>", methods=["GET"])
@auth_required()
@blp.response(200, InvoiceResponseSchema)
@blp.alt_response(404, **NOT_FOUND)
def get_invoice(invoice_id):
    """One invoice."""
    return {"invoice": invoices.get_invoice(invoice_id)}


@blp.route("", methods=["POST"])
@auth_required(Role.SELLER)
@blp.arguments(InvoiceCreateSchema)
@blp.response(201, InvoiceResponseSchema)
@blp.alt_response(409, **CONFLICT)
def create_invoice(data):
    """List an invoice on the marketplace; the funding target and yield are fixed now."""
    return {"invoice": invoices.list_invoice(current_user_id(), invoices.NewInvoice(**data))}


def _render_funding(outcome) -> dict:
    if isinstance(outcome, DomainError):
        return domain_error_body(outcome)
    return FundingResponseSchema().dump(outcome)


@blp.route("/<int:invoice_id>/fund", methods=["POST"])
@auth_required(Role.INVESTOR)
@blp.arguments(FundSchema)
@blp.response(201, FundingResponseSchema)
@blp.alt_response(404, **NOT_FOUND)
@blp.alt_response(409, **CONFLICT)
@blp.doc(
    parameters=[
        {
            "in": "header",
            "name": "Idempotency-Key",
            "required": False,
            "schema": {"type": "string", "maxLength": 255},
            "description": "Repeat-safe funding: the first response is replayed",
        }
    ]
)
def fund(data, invoice_id):
    """Fund all or part of what remains; funding the whole remainder pays the seller at once."""
    key = request.headers.get("Idempotency-Key")
    idempotency = None
    if key is not None:
        if not 1 <= len(key) <= 255:
            raise ValidationFailed(details={"Idempotency-Key": ["Must be 1 to 255 characters."]})
        idempotency = Idempotency(
            current_user_id(),
            key,
            fingerprint("POST", request.path, request.get_json()),
            _render_funding,
        )
    outcome = funding.fund(current_user_id(), invoice_id, data["amount"], idempotency)
    if isinstance(outcome, Replay):
        return jsonify(outcome.body), outcome.status
    return outcome


@blp.route("/<int:invoice_id>/cancel", methods=["POST"])
@auth_required(Role.SELLER)
@blp.response(200, InvoiceResponseSchema)
@blp.alt_response(404, **NOT_FOUND)
@blp.alt_response(409, **CONFLICT)
def cancel(invoice_id):
    """Withdraw a listed invoice; investors already in are refunded."""
    return {"invoice": invoices.cancel(current_user_id(), invoice_id)}


@blp.route("/<int:invoice_id>/settle", methods=["POST"])
@auth_required(Role.SELLER)
@blp.response(200, InvoiceResponseSchema)
@blp.alt_response(404, **NOT_FOUND)
@blp.alt_response(409, **CONFLICT)
def settle(invoice_id):
    """Repay the face value; each investment receives its share."""
    return {"invoice": invoices.settle(current_user_id(), invoice_id)}
