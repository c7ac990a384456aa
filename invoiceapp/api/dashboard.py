from flask_jwt_extended import get_jwt
from flask_smorest import Blueprint

from ..models import Role
from ..schemas import StatsSchema
from ..services import reports
from .security import auth_required, current_user_id

blp = Blueprint("dashboard", __name__, url_prefix="/api/dashboard", description="Figures")


@blp.route("/stats", methods=["GET"])
@auth_required()
@blp.response(200, StatsSchema)
def stats():
    """A seller's invoice figures, or an investor's portfolio figures."""
    if get_jwt()["role"] == Role.SELLER.value:
        return reports.seller_stats(current_user_id())
    return reports.investor_stats(current_user_id())
