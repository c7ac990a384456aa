from ..models import Role
from ..schemas.common import ErrorSchema
from ..schemas.users import (
    BuyerListSchema,
    BuyerQuerySchema,
    BuyerResponseSchema,
    CreditLimitSchema,
)
from ..services import acceptance
from .parsing import Blueprint
from .security import auth_required

blp = Blueprint("buyers", __name__, url_prefix="/api/buyers", description="Registered buyers")


@blp.route("", methods=["GET"])
@auth_required()
@blp.arguments(BuyerQuerySchema, location="query")
@blp.response(200, BuyerListSchema)
def search(query):
    """Registered buyers whose name starts with `q`, to pick from when listing."""
    return {"items": acceptance.search(query["q"], query["limit"])}


@blp.route("/<int:buyer_id>", methods=["PATCH"])
@auth_required(Role.OPERATOR)
@blp.arguments(CreditLimitSchema)
@blp.response(200, BuyerResponseSchema)
@blp.alt_response(404, schema=ErrorSchema, description="not_found")
def set_credit_limit(data, buyer_id):
    """Set a buyer's credit limit (null: unlimited)."""
    return {"buyer": acceptance.set_credit_limit(buyer_id, data["credit_limit"])}
