"""each user's unread notification count, kept as notifications are written and read instead
of counted for every push (a seller who never opens the bell made every funding of their
invoices count all of their unread rows); filled here from the notifications there are

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-27 16:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "unread_counts",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("unread", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name="fk_unread_counts_user_id_users"),
        sa.PrimaryKeyConstraint("user_id", name="pk_unread_counts"),
    )
    op.execute(
        "INSERT INTO unread_counts (user_id, unread) SELECT user_id, count(*) "
        "FROM notifications WHERE read_at IS NULL GROUP BY user_id"
    )


def downgrade() -> None:
    op.drop_table("unread_counts")
