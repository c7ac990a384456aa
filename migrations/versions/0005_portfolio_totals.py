"""each investor's portfolio figures, kept as investments change instead of summed for every
funding's portfolioUpdated event; filled here from the investments there are

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-27 07:30:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

FIGURES = [
    "invested",
    "expected_return",
    "realized_gain",
    "active_count",
    "settled_count",
    "received",
    "overdue_amount",
    "defaulted_amount",
    "loss",
]

# The rules of services/portfolios.py `share` as they stood at this revision.
FILL = """
INSERT INTO portfolio_totals (investor_id, invested, expected_return, realized_gain,
    active_count, settled_count, received, overdue_amount, defaulted_amount, loss)
SELECT i.investor_id,
    coalesce(sum(i.amount) FILTER (WHERE i.status = 'active'), 0),
    coalesce(sum(i.expected_return) FILTER (WHERE i.status = 'active'), 0),
    coalesce(sum(i.received - i.amount) FILTER (WHERE i.status = 'settled'), 0),
    count(*) FILTER (WHERE i.status = 'active'),
    count(*) FILTER (WHERE i.status = 'settled'),
    coalesce(sum(i.received) FILTER (WHERE i.status <> 'refunded'), 0),
    coalesce(sum(i.expected_return - i.received)
        FILTER (WHERE i.status = 'active' AND v.status = 'overdue'), 0),
    coalesce(sum(i.expected_return - i.received)
        FILTER (WHERE i.status = 'active' AND v.status = 'defaulted'), 0),
    coalesce(sum(coalesce(i.loss, 0)) FILTER (WHERE i.status = 'written_off'), 0)
FROM investments i JOIN invoices v ON v.id = i.invoice_id
GROUP BY i.investor_id
"""


def upgrade() -> None:
    op.create_table(
        "portfolio_totals",
        sa.Column("investor_id", sa.Integer(), nullable=False),
        *(
            sa.Column(
                name, sa.Integer() if name.endswith("_count") else sa.BigInteger(), nullable=False
            )
            for name in FIGURES
        ),
        sa.ForeignKeyConstraint(
            ["investor_id"], ["users.id"], name="fk_portfolio_totals_investor_id_users"
        ),
        sa.PrimaryKeyConstraint("investor_id", name="pk_portfolio_totals"),
    )
    op.execute(FILL)


def downgrade() -> None:
    op.drop_table("portfolio_totals")
