"""an index on when an invoice reached the marketplace (its acceptance, or its listing), for the
market figures of the last 30 days

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-26 17:50:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(
        "ix_invoices_listed_at",
        "invoices",
        [sa.text("coalesce(accepted_at, created_at)")],
    )


def downgrade() -> None:
    op.drop_index("ix_invoices_listed_at", table_name="invoices")
