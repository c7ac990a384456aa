from ..schemas.money import StatsSchema
from ..services import reports
from .parsing import Blueprint
from .security import auth_required, current_role, current_user_id

blp = Blueprint("dashboard", __name__, url_prefix="/api/dashboard", description="Figures")


@blp.route("/stats", methods=["GET"])
@auth_required()
@blp.response(200, StatsSchema)
def stats():
    """A seller's invoice figures, an investor's portfolio figures, or what a buyer owes."""
    return reports.dashboard(current_user_id(), current_role())
