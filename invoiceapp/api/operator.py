from ..models import Role
from ..schemas.common import ErrorSchema
from ..schemas.operator import AuditPageSchema, AuditQuerySchema, OverviewSchema
from ..schemas.users import UserListSchema, UserQuerySchema, UserResponseSchema
from ..services import audit, auth, operations
from .parsing import Blueprint
from .security import auth_required

blp = Blueprint("operator", __name__, url_prefix="/api", description="The platform's staff")


@blp.route("/operator/overview", methods=["GET"])
@auth_required(Role.OPERATOR)
@blp.response(200, OverviewSchema)
def overview():
    """Invoices by status, and what is owed on late ones by how late."""
    return operations.overview()


@blp.route("/operator/audit", methods=["GET"])
@auth_required(Role.OPERATOR)
@blp.arguments(AuditQuerySchema, location="query")
@blp.response(200, AuditPageSchema)
def audit_trail(query):
    """Who did what, newest first."""
    return audit.entries(
        query["actor_id"], query["target_type"], query["target_id"], query["limit"], query["cursor"]
    )


@blp.route("/users", methods=["GET"])
@auth_required(Role.OPERATOR)
@blp.arguments(UserQuerySchema, location="query")
@blp.response(200, UserListSchema)
def find_users(query):
    """People whose name or email starts with `q`, with whether they are suspended."""
    return {"items": auth.find_users(query["q"], query["role"], query["limit"])}


@blp.route("/users/<int:user_id>", methods=["GET"])
@auth_required(Role.OPERATOR)
@blp.response(200, UserResponseSchema)
@blp.alt_response(404, schema=ErrorSchema, description="not_found")
def get_user(user_id):
    """One person."""
    return {"user": auth.get_user(user_id)}


@blp.route("/users/<int:user_id>/suspend", methods=["POST"])
@auth_required(Role.OPERATOR)
@blp.response(200, UserResponseSchema)
@blp.alt_response(404, schema=ErrorSchema, description="not_found")
def suspend(user_id):
    """Suspend an account: its tokens are refused and its sockets closed, on every worker."""
    return {"user": auth.set_suspended(user_id, True)}


@blp.route("/users/<int:user_id>/unsuspend", methods=["POST"])
@auth_required(Role.OPERATOR)
@blp.response(200, UserResponseSchema)
@blp.alt_response(404, schema=ErrorSchema, description="not_found")
def unsuspend(user_id):
    """Lift a suspension."""
    return {"user": auth.set_suspended(user_id, False)}
