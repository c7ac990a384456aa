from ..models import Role
from ..schemas.autoinvest import (
    FillListSchema,
    RuleCreateSchema,
    RuleListSchema,
    RuleResponseSchema,
    RuleUpdateSchema,
)
from ..schemas.common import ErrorSchema
from ..services import autoinvest
from .parsing import Blueprint
from .security import auth_required, current_user_id

blp = Blueprint(
    "auto_invest",
    __name__,
    url_prefix="/api/auto-invest",
    description="Auto-invest rules: standing orders that fund new fixed-price listings",
)

NOT_FOUND = {"schema": ErrorSchema, "description": "not_found (also another investor's rule)"}


@blp.route("/rules", methods=["GET"])
@auth_required(Role.INVESTOR)
@blp.response(200, RuleListSchema)
def list_rules():
    """Your rules, oldest first, each with its status."""
    return {"items": autoinvest.list_rules(current_user_id())}


@blp.route("/rules", methods=["POST"])
@auth_required(Role.INVESTOR)
@blp.arguments(RuleCreateSchema)
@blp.response(201, RuleResponseSchema)
def create_rule(data):
    """Create a rule; it fills listings from the next one on."""
    return {"rule": autoinvest.create_rule(current_user_id(), data)}


@blp.route("/rules/<int:rule_id>", methods=["PATCH"])
@auth_required(Role.INVESTOR)
@blp.arguments(RuleUpdateSchema)
@blp.response(200, RuleResponseSchema)
@blp.alt_response(404, **NOT_FOUND)
def update_rule(data, rule_id):
    """Change some of a rule's settings (`active: false` pauses it)."""
    return {"rule": autoinvest.update_rule(current_user_id(), rule_id, data)}


@blp.route("/rules/<int:rule_id>", methods=["DELETE"])
@auth_required(Role.INVESTOR)
@blp.response(204)
@blp.alt_response(404, **NOT_FOUND)
def delete_rule(rule_id):
    """Delete a rule; its investments stay in your portfolio."""
    autoinvest.delete_rule(current_user_id(), rule_id)


@blp.route("/rules/<int:rule_id>/fills", methods=["GET"])
@auth_required(Role.INVESTOR)
@blp.response(200, FillListSchema)
@blp.alt_response(404, **NOT_FOUND)
def rule_fills(rule_id):
    """The investments the rule made, newest first."""
    return {"items": autoinvest.rule_fills(current_user_id(), rule_id)}
