from ..extensions import api
from ..models import Role
from ..schemas.common import IdempotencyHeaderSchema
from ..schemas.invoices import (
    BidCreateSchema,
    BidListSchema,
    BidResponseSchema,
    BookLevelSchema,
    InvoiceResponseSchema,
)
from ..services import auctions
from .idempotency import idempotent
from .invoices import CONFLICT, NOT_FOUND, UNAVAILABLE
from .parsing import Blueprint
from .security import auth_required, current_role, current_user_id

blp = Blueprint(
    "auctions",
    __name__,
    url_prefix="/api/invoices",
    description="Live rate auctions: bids, the book, the seller's early acceptance",
)


@blp.record_once
def _document_book_levels(state) -> None:
    """The bids list holds Bids or BookLevels (BidListSchema): name BookLevel in the document."""
    api.spec.components.schema("BookLevel", schema=BookLevelSchema)


@blp.route("/<int:invoice_id>/bids", methods=["POST"])
@auth_required(Role.INVESTOR)
@blp.arguments(IdempotencyHeaderSchema, location="headers")
@blp.arguments(BidCreateSchema)
@idempotent
@blp.response(201, BidResponseSchema)
@blp.alt_response(404, **NOT_FOUND)
@blp.alt_response(409, **CONFLICT)
@blp.alt_response(503, **UNAVAILABLE)
def place_bid(data, invoice_id):
    """Bid for a slice of the face value at an annual rate; the face amount is held from the
    wallet while the bid lives. Bids are firm."""
    return auctions.place_bid(current_user_id(), invoice_id, data["face_amount"], data["rate_bps"])


@blp.route("/<int:invoice_id>/bids", methods=["GET"])
@auth_required()
@blp.response(200, BidListSchema)
@blp.alt_response(404, **NOT_FOUND)
def list_bids(invoice_id):
    """An investor's own bids on the invoice; to its seller or an operator, the book by rate."""
    return {"items": auctions.bids_for(invoice_id, current_user_id(), current_role())}


@blp.route("/<int:invoice_id>/auction/accept", methods=["POST"])
@auth_required(Role.SELLER)
@blp.arguments(IdempotencyHeaderSchema, location="headers")
@idempotent
@blp.response(200, InvoiceResponseSchema)
@blp.alt_response(404, **NOT_FOUND)
@blp.alt_response(409, **CONFLICT)
@blp.alt_response(503, **UNAVAILABLE)
def accept_auction(invoice_id):
    """Close the auction now at the bids as they stand (once they cover the invoice)."""
    return {"invoice": auctions.accept_early(current_user_id(), invoice_id)}
