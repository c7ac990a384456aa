from ..schemas.market import MarketStatsSchema
from ..services import analytics
from .parsing import Blueprint
from .security import auth_required

blp = Blueprint("market", __name__, url_prefix="/api/market", description="Market figures")


@blp.route("/stats", methods=["GET"])
@auth_required()
@blp.response(200, MarketStatsSchema)
def stats():
    """Listings, fundings, volumes, yields, time to fund, late and defaulted shares, buyer
    concentration and 30 days of history; also pushed live as `marketStats`."""
    return analytics.market_stats()
