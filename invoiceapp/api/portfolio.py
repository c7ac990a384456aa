from ..models import Role
from ..schemas.invoices import PortfolioResponseSchema
from ..schemas.money import FinancialYearQuerySchema
from ..services import reports, statements
from .downloads import csv_download
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


@blp.route("/statement.csv", methods=["GET"])
@auth_required(Role.INVESTOR)
@blp.arguments(FinancialYearQuerySchema, location="query")
@blp.response(200, content_type="text/csv", description="CSV, streamed")
def statement(query):
    """The investments that received money, or were settled or written off, in an Indian
    financial year (April to March): invested, received, gain or loss, days held."""
    year = statements.financial_year(query["fy"])
    return csv_download(
        statements.portfolio_statement(current_user_id(), year),
        f"portfolio-statement-FY{query['fy']}.csv",
    )
