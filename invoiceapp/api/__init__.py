from .auctions import blp as auctions_blp
from .auth import blp as auth_blp
from .auto_invest import blp as auto_invest_blp
from .buyers import blp as buyers_blp
from .dashboard import blp as dashboard_blp
from .health import blp as health_blp
from .invoices import blp as invoices_blp
from .market import blp as market_blp
from .notifications import blp as notifications_blp
from .operator import blp as operator_blp
from .portfolio import blp as portfolio_blp
from .wallet import blp as wallet_blp

blueprints = [
    auth_blp,
    wallet_blp,
    invoices_blp,
    auctions_blp,
    buyers_blp,
    portfolio_blp,
    dashboard_blp,
    market_blp,
    notifications_blp,
    auto_invest_blp,
    operator_blp,
    health_blp,
]
