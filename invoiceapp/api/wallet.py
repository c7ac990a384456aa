from ..schemas.common import PageQuerySchema
from ..schemas.money import StatementQuerySchema, TransactionPageSchema, WalletResponseSchema
from ..services import reports, statements
from .downloads import csv_download
from .parsing import Blueprint
from .security import auth_required, current_user_id

blp = Blueprint("wallet", __name__, url_prefix="/api/wallet", description="The user's wallet")


@blp.route("", methods=["GET"])
@auth_required()
@blp.response(200, WalletResponseSchema)
def wallet():
    """The wallet's balance."""
    return {"wallet": reports.get_wallet(current_user_id())}


@blp.route("/transactions", methods=["GET"])
@auth_required()
@blp.arguments(PageQuerySchema, location="query")
@blp.response(200, TransactionPageSchema)
def transactions(query):
    """The wallet's ledger rows, newest first, with the balance after each."""
    return reports.wallet_transactions(current_user_id(), query["limit"], query["cursor"])


@blp.route("/statement.csv", methods=["GET"])
@auth_required()
@blp.arguments(StatementQuerySchema, location="query")
@blp.response(200, content_type="text/csv", description="CSV, streamed")
def statement(query):
    """Every wallet transaction between two IST dates (inclusive), with the opening and closing
    balances, in rupees with two decimals."""
    within = statements.period(query["start"], query["end"])
    return csv_download(
        statements.wallet_statement(current_user_id(), within),
        f"wallet-statement-{within.label}.csv",
    )
