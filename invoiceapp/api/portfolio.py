from ..models import Role
from ..schemas.invoices import PortfolioResponseSchema
from ..services import reports
from .parsing import Blueprint
from .security import auth_required, current_user_id

blp = Blueprint(
    "portfolio", __name__, url_prefix="/api/portfolio", description="An investor's investments"
)


@blp.route("", methods=["GET"])
@auth_required(Role.INVESTOR)
@blp.response(200, PortfolioResponseSchema)
def portfolio():
    """Summary and every investment, newest first."""
    summary, investments = reports.portfolio(current_user_id())
    return {"summary": summary, "investments": investments}
