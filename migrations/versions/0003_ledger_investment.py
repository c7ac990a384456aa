"""ledger entries name the investment money came back to (repayments, recoveries, refunds), for
statements by financial year

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26 14:40:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("ledger_entries") as batch:
        batch.add_column(sa.Column("investment_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            "fk_ledger_entries_investment_id_investments", "investments", ["investment_id"], ["id"]
        )
        batch.create_index("ix_ledger_entries_investment_id", ["investment_id"])


def downgrade() -> None:
    with op.batch_alter_table("ledger_entries") as batch:
        batch.drop_index("ix_ledger_entries_investment_id")
        batch.drop_constraint("fk_ledger_entries_investment_id_investments", type_="foreignkey")
        batch.drop_column("investment_id")
