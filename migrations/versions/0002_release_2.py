"""release 2: buyers and operators, the invoice's whole life (repayment, late interest, default,
write-off), live rate auctions and bids, auto-invest rules, notifications (also the email
outbox), background jobs, daily runs, the append-only audit log; hold and recoveries accounts

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26 13:16:55.704725
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

AT = sa.DateTime(timezone=True)
ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")

AUDIT_APPEND_ONLY = """
CREATE FUNCTION audit_log_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'the audit log is append-only (% refused)', TG_OP;
END;
$$ LANGUAGE plpgsql
"""


def _enum(name: str, *values: str) -> sa.Enum:
    return sa.Enum(*values, name=name, native_enum=False, length=20)


def upgrade() -> None:
    op.create_table(
        "daily_runs",
        sa.Column("run_date", sa.Date(), nullable=False),
        sa.Column("completed_at", AT, nullable=False),
        sa.PrimaryKeyConstraint("run_date", name=op.f("pk_daily_runs")),
    )
    op.create_table(
        "jobs",
        sa.Column("id", ID, nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=True),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("status", _enum("job_status", "pending", "done", "failed"), nullable=False),
        sa.Column("run_at", AT, nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("created_at", AT, nullable=False),
        sa.Column("finished_at", AT, nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_jobs")),
        sa.UniqueConstraint("key", name=op.f("uq_jobs_key")),
    )
    op.create_index(
        "ix_jobs_pending",
        "jobs",
        ["run_at", "id"],
        postgresql_where=sa.text("status = 'pending'"),
        sqlite_where=sa.text("status = 'pending'"),
    )
    op.create_table(
        "audit_log",
        sa.Column("id", ID, nullable=False),
        sa.Column("at", AT, nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("actor_role", sa.String(length=20), nullable=True),
        sa.Column("action", sa.String(length=40), nullable=False),
        sa.Column("target_type", sa.String(length=20), nullable=False),
        sa.Column("target_id", sa.BigInteger(), nullable=True),
        sa.Column("ip", sa.String(length=45), nullable=True),
        sa.Column("request_id", sa.String(length=64), nullable=True),
        sa.Column("details", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["actor_id"], ["users.id"], name=op.f("fk_audit_log_actor_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_log")),
    )
    op.create_index("ix_audit_log_actor", "audit_log", ["actor_id", "id"])
    op.create_index("ix_audit_log_target", "audit_log", ["target_type", "target_id", "id"])
    op.create_table(
        "auto_invest_rules",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("investor_id", sa.Integer(), nullable=False),
        sa.Column("min_yield_bps", sa.Integer(), nullable=False),
        sa.Column("max_tenor_days", sa.Integer(), nullable=False),
        sa.Column("max_per_invoice", sa.BigInteger(), nullable=False),
        sa.Column("max_per_seller", sa.BigInteger(), nullable=True),
        sa.Column("max_per_buyer", sa.BigInteger(), nullable=True),
        sa.Column("budget", sa.BigInteger(), nullable=False),
        sa.Column("keep_balance", sa.BigInteger(), nullable=False),
        sa.Column("buyer_confirmed_only", sa.Boolean(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("paused_reason", sa.String(length=100), nullable=True),
        sa.Column("last_filled_at", AT, nullable=True),
        sa.Column("created_at", AT, nullable=False),
        sa.Column("updated_at", AT, nullable=False),
        sa.ForeignKeyConstraint(
            ["investor_id"], ["users.id"], name=op.f("fk_auto_invest_rules_investor_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_auto_invest_rules")),
    )
    op.create_index("ix_auto_invest_rules_active", "auto_invest_rules", ["active", "id"])
    op.create_index(op.f("ix_auto_invest_rules_investor_id"), "auto_invest_rules", ["investor_id"])
    op.create_table(
        "auctions",
        sa.Column("invoice_id", sa.Integer(), nullable=False),
        sa.Column("max_rate_bps", sa.Integer(), nullable=False),
        sa.Column("auto_accept_rate_bps", sa.Integer(), nullable=True),
        sa.Column("duration_seconds", sa.Integer(), nullable=False),
        sa.Column(
            "state", _enum("auction_state", "pending", "open", "closed", "unfilled"), nullable=False
        ),
        sa.Column("opened_at", AT, nullable=True),
        sa.Column("closes_at", AT, nullable=True),
        sa.Column("extensions", sa.Integer(), nullable=False),
        sa.Column("clearing_rate_bps", sa.Integer(), nullable=True),
        sa.Column("covered_face", sa.BigInteger(), nullable=False),
        sa.Column("bid_count", sa.Integer(), nullable=False),
        sa.Column("closed_at", AT, nullable=True),
        sa.ForeignKeyConstraint(
            ["invoice_id"], ["invoices.id"], name=op.f("fk_auctions_invoice_id_invoices")
        ),
        sa.PrimaryKeyConstraint("invoice_id", name=op.f("pk_auctions")),
    )
    op.create_index("ix_auctions_state_closes_at", "auctions", ["state", "closes_at"])
    op.create_table(
        "notifications",
        sa.Column("id", ID, nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("invoice_id", sa.Integer(), nullable=True),
        sa.Column("created_at", AT, nullable=False),
        sa.Column("read_at", AT, nullable=True),
        sa.Column(
            "email_status",
            _enum("email_status", "pending", "sending", "sent", "skipped", "failed"),
            nullable=False,
        ),
        sa.Column("email_attempts", sa.Integer(), nullable=False),
        sa.Column("email_next_at", AT, nullable=True),
        sa.ForeignKeyConstraint(
            ["invoice_id"], ["invoices.id"], name=op.f("fk_notifications_invoice_id_invoices")
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_notifications_user_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notifications")),
    )
    op.create_index(
        "ix_notifications_email_pending",
        "notifications",
        ["id"],
        postgresql_where=sa.text("email_status = 'pending'"),
        sqlite_where=sa.text("email_status = 'pending'"),
    )
    op.create_index(
        "ix_notifications_unread",
        "notifications",
        ["user_id"],
        postgresql_where=sa.text("read_at IS NULL"),
        sqlite_where=sa.text("read_at IS NULL"),
    )
    op.create_index(
        "ix_notifications_user_keyset", "notifications", ["user_id", "created_at", "id"]
    )

    with op.batch_alter_table("users") as batch:
        batch.add_column(
            sa.Column("email_notifications", sa.Boolean(), nullable=False, server_default=sa.true())
        )
        batch.add_column(sa.Column("suspended_at", AT, nullable=True))
        batch.add_column(sa.Column("credit_limit", sa.BigInteger(), nullable=True))
        batch.alter_column(
            "role",
            existing_type=_enum("user_role", "seller", "investor"),
            type_=_enum("user_role", "seller", "investor", "buyer", "operator"),
        )

    with op.batch_alter_table("accounts") as batch:
        batch.drop_constraint("uq_accounts_user_id", type_="unique")
        batch.create_unique_constraint("uq_accounts_user_kind", ["user_id", "kind"])
        batch.drop_constraint(op.f("ck_accounts_balance_not_negative"), type_="check")
        batch.create_check_constraint(
            "balance_not_negative", "kind IN ('faucet', 'recoveries') OR balance >= 0"
        )
    op.execute(
        "INSERT INTO accounts (kind, balance, created_at, updated_at) "
        "VALUES ('recoveries', 0, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
    )

    with op.batch_alter_table("invoices") as batch:
        batch.add_column(sa.Column("buyer_id", sa.Integer(), nullable=True))
        batch.add_column(
            sa.Column("buyer_confirmed", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch.add_column(
            sa.Column(
                "pricing",
                _enum("pricing", "fixed", "auction"),
                nullable=False,
                server_default="fixed",
            )
        )
        for column in ("repaid_amount", "late_interest", "interest_paid"):
            batch.add_column(sa.Column(column, sa.BigInteger(), nullable=False, server_default="0"))
        batch.add_column(
            sa.Column("days_past_due", sa.Integer(), nullable=False, server_default="0")
        )
        batch.add_column(sa.Column("accrued_through", sa.Date(), nullable=True))
        batch.add_column(sa.Column("reason", sa.String(length=500), nullable=True))
        for column in (
            "accepted_at",
            "rejected_at",
            "overdue_at",
            "defaulted_at",
            "written_off_at",
        ):
            batch.add_column(sa.Column(column, AT, nullable=True))
        for column, kind in (
            ("tenor_days", sa.Integer()),
            ("discount_rate_bps", sa.Integer()),
            ("annual_yield_bps", sa.Integer()),
            ("funding_target", sa.BigInteger()),
        ):
            batch.alter_column(column, existing_type=kind, nullable=True)
        batch.drop_constraint(op.f("ck_invoices_funded_within_target"), type_="check")
        batch.create_check_constraint(
            "funded_within_target",
            "funded_amount >= 0 AND (funding_target IS NULL OR funded_amount <= funding_target)",
        )
        batch.create_check_constraint(
            "repaid_within_owed",
            "repaid_amount >= 0 AND late_interest >= 0 AND interest_paid >= 0 "
            "AND interest_paid <= late_interest AND repaid_amount - interest_paid <= amount",
        )
        batch.drop_index("ix_invoices_listed_due")
        batch.create_index("ix_invoices_buyer_status", ["buyer_id", "status"])
        batch.create_index("ix_invoices_funded_at", ["funded_at"])
        batch.create_index("ix_invoices_status_due", ["status", "due_date"])
        batch.create_foreign_key("fk_invoices_buyer_id_users", "users", ["buyer_id"], ["id"])
        batch.alter_column(
            "status",
            existing_type=_enum("invoice_status", "listed", "funded", "settled", "cancelled"),
            type_=_enum(
                "invoice_status",
                "pending_acceptance",
                "rejected",
                "listed",
                "funded",
                "overdue",
                "defaulted",
                "settled",
                "written_off",
                "cancelled",
            ),
        )

    with op.batch_alter_table("investments") as batch:
        batch.add_column(sa.Column("received", sa.BigInteger(), nullable=False, server_default="0"))
        batch.add_column(sa.Column("loss", sa.BigInteger(), nullable=True))
        batch.add_column(
            sa.Column(
                "source",
                _enum("investment_source", "manual", "auto", "auction"),
                nullable=False,
                server_default="manual",
            )
        )
        batch.add_column(sa.Column("rule_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            "fk_investments_rule_id_auto_invest_rules", "auto_invest_rules", ["rule_id"], ["id"]
        )
        batch.create_index(
            "uq_investments_rule_invoice",
            ["rule_id", "invoice_id"],
            unique=True,
            postgresql_where=sa.text("rule_id IS NOT NULL"),
            sqlite_where=sa.text("rule_id IS NOT NULL"),
        )
    op.execute("UPDATE investments SET received = payout WHERE payout IS NOT NULL")

    op.create_table(
        "bids",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("invoice_id", sa.Integer(), nullable=False),
        sa.Column("investor_id", sa.Integer(), nullable=False),
        sa.Column("face_amount", sa.BigInteger(), nullable=False),
        sa.Column("rate_bps", sa.Integer(), nullable=False),
        sa.Column("state", _enum("bid_state", "winning", "outbid", "won", "lost"), nullable=False),
        sa.Column("filled_face", sa.BigInteger(), nullable=False),
        sa.Column("investment_id", sa.Integer(), nullable=True),
        sa.Column("created_at", AT, nullable=False),
        sa.CheckConstraint("face_amount > 0", name=op.f("ck_bids_face_amount_positive")),
        sa.ForeignKeyConstraint(
            ["investment_id"], ["investments.id"], name=op.f("fk_bids_investment_id_investments")
        ),
        sa.ForeignKeyConstraint(
            ["investor_id"], ["users.id"], name=op.f("fk_bids_investor_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["invoice_id"], ["invoices.id"], name=op.f("fk_bids_invoice_id_invoices")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bids")),
    )
    op.create_index("ix_bids_book", "bids", ["invoice_id", "rate_bps", "id"])
    op.create_index("ix_bids_investor_keyset", "bids", ["investor_id", "created_at", "id"])

    # Claims are now written with their outcome, in the transaction that produced it.
    op.execute("DELETE FROM idempotency_keys WHERE response_status IS NULL")
    with op.batch_alter_table("idempotency_keys") as batch:
        batch.alter_column("response_status", existing_type=sa.Integer(), nullable=False)
        batch.alter_column("response_body", existing_type=sa.JSON(), nullable=False)
    op.create_index(op.f("ix_revoked_tokens_expires_at"), "revoked_tokens", ["expires_at"])

    if op.get_bind().dialect.name == "postgresql":
        op.execute(AUDIT_APPEND_ONLY)
        op.execute(
            "CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE "
            "ON audit_log FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER audit_log_append_only ON audit_log")
        op.execute("DROP FUNCTION audit_log_append_only()")
    op.drop_index(op.f("ix_revoked_tokens_expires_at"), table_name="revoked_tokens")
    with op.batch_alter_table("idempotency_keys") as batch:
        batch.alter_column("response_body", existing_type=sa.JSON(), nullable=True)
        batch.alter_column("response_status", existing_type=sa.Integer(), nullable=True)
    op.drop_index("ix_bids_investor_keyset", table_name="bids")
    op.drop_index("ix_bids_book", table_name="bids")
    op.drop_table("bids")
    with op.batch_alter_table("investments") as batch:
        batch.drop_index("uq_investments_rule_invoice")
        batch.drop_constraint("fk_investments_rule_id_auto_invest_rules", type_="foreignkey")
        for column in ("rule_id", "source", "loss", "received"):
            batch.drop_column(column)
    with op.batch_alter_table("invoices") as batch:
        batch.drop_constraint("fk_invoices_buyer_id_users", type_="foreignkey")
        batch.drop_index("ix_invoices_status_due")
        batch.drop_index("ix_invoices_funded_at")
        batch.drop_index("ix_invoices_buyer_status")
        batch.create_index(
            "ix_invoices_listed_due",
            ["due_date"],
            postgresql_where=sa.text("status = 'listed'"),
            sqlite_where=sa.text("status = 'listed'"),
        )
        batch.drop_constraint(op.f("ck_invoices_repaid_within_owed"), type_="check")
        batch.drop_constraint(op.f("ck_invoices_funded_within_target"), type_="check")
        batch.create_check_constraint(
            "funded_within_target", "funded_amount >= 0 AND funded_amount <= funding_target"
        )
        for column in (
            "written_off_at",
            "defaulted_at",
            "overdue_at",
            "rejected_at",
            "accepted_at",
            "reason",
            "days_past_due",
            "accrued_through",
            "interest_paid",
            "late_interest",
            "repaid_amount",
            "pricing",
            "buyer_confirmed",
            "buyer_id",
        ):
            batch.drop_column(column)
    op.execute("DELETE FROM accounts WHERE kind = 'recoveries'")
    with op.batch_alter_table("accounts") as batch:
        batch.drop_constraint(op.f("ck_accounts_balance_not_negative"), type_="check")
        batch.create_check_constraint("balance_not_negative", "kind = 'faucet' OR balance >= 0")
        batch.drop_constraint("uq_accounts_user_kind", type_="unique")
        batch.create_unique_constraint("uq_accounts_user_id", ["user_id"])
    with op.batch_alter_table("users") as batch:
        for column in ("credit_limit", "suspended_at", "email_notifications"):
            batch.drop_column(column)
    op.drop_index("ix_notifications_user_keyset", table_name="notifications")
    op.drop_index("ix_notifications_unread", table_name="notifications")
    op.drop_index("ix_notifications_email_pending", table_name="notifications")
    op.drop_table("notifications")
    op.drop_index("ix_auctions_state_closes_at", table_name="auctions")
    op.drop_table("auctions")
    op.drop_index(op.f("ix_auto_invest_rules_investor_id"), table_name="auto_invest_rules")
    op.drop_index("ix_auto_invest_rules_active", table_name="auto_invest_rules")
    op.drop_table("auto_invest_rules")
    op.drop_index("ix_audit_log_target", table_name="audit_log")
    op.drop_index("ix_audit_log_actor", table_name="audit_log")
    op.drop_table("audit_log")
    op.drop_index("ix_jobs_pending", table_name="jobs")
    op.drop_table("jobs")
    op.drop_table("daily_runs")
