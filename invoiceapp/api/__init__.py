from .auth import blp as auth_blp
from .dashboard import blp as dashboard_blp
from .health import blp as health_blp
from .invoices import blp as invoices_blp
from .portfolio import blp as portfolio_blp
from .wallet import blp as wallet_blp

blueprints = [auth_blp, wallet_blp, invoices_blp, portfolio_blp, dashboard_blp, health_blp]
