"""Typed SQLAlchemy 2 models. All money columns are BIGINT paise."""

from __future__ import annotations

import enum
from datetime import UTC, date, datetime

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator):
    """Timezone-aware UTC datetimes on every backend (SQLite stores them naive)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime")
        return value.astimezone(UTC)  # SQLite compares the text: one zone for all

    def process_result_value(self, value, dialect):
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Role(str, enum.Enum):
    SELLER = "seller"
    INVESTOR = "investor"
    BUYER = "buyer"
    OPERATOR = "operator"


class AccountKind(str, enum.Enum):
    WALLET = "wallet"
    HOLD = "hold"  # an investor's bids in live auctions
    ESCROW = "escrow"
    FAUCET = "faucet"  # demo money: may go negative
    RECOVERIES = "recoveries"  # money recovered off the platform: may go negative


# The system accounts that are allowed below zero (the CHECK constraint on accounts).
SOURCE_ACCOUNTS = (AccountKind.FAUCET, AccountKind.RECOVERIES)


class InvoiceStatus(str, enum.Enum):
    PENDING_ACCEPTANCE = "pending_acceptance"
    REJECTED = "rejected"
    LISTED = "listed"
    FUNDED = "funded"
    OVERDUE = "overdue"
    DEFAULTED = "defaulted"
    SETTLED = "settled"
    WRITTEN_OFF = "written_off"
    CANCELLED = "cancelled"


# Funded and not yet finished: money is owed to the investors.
OUTSTANDING = (InvoiceStatus.FUNDED, InvoiceStatus.OVERDUE, InvoiceStatus.DEFAULTED)


class Pricing(str, enum.Enum):
    FIXED = "fixed"
    AUCTION = "auction"


class InvestmentStatus(str, enum.Enum):
    ACTIVE = "active"
    SETTLED = "settled"
    REFUNDED = "refunded"
    WRITTEN_OFF = "written_off"


class InvestmentSource(str, enum.Enum):
    MANUAL = "manual"
    AUTO = "auto"
    AUCTION = "auction"


class AuctionState(str, enum.Enum):
    PENDING = "pending"  # listed against a buyer that has not accepted yet
    OPEN = "open"
    CLOSED = "closed"
    UNFILLED = "unfilled"


class BidState(str, enum.Enum):
    WINNING = "winning"
    OUTBID = "outbid"
    WON = "won"
    LOST = "lost"


class JobStatus(str, enum.Enum):
    PENDING = "pending"
    DONE = "done"
    FAILED = "failed"


class EmailStatus(str, enum.Enum):
    PENDING = "pending"
    SENDING = "sending"  # handed to the SMTP server; never sent again
    SENT = "sent"
    SKIPPED = "skipped"  # the owner opted out
    FAILED = "failed"


class TransferKind(str, enum.Enum):
    DEMO_CREDIT = "demo_credit"
    INVESTMENT = "investment"
    FUNDING_RECEIVED = "funding_received"
    REPAYMENT_PAID = "repayment_paid"
    REPAYMENT_RECEIVED = "repayment_received"
    REFUND = "refund"
    LATE_INTEREST = "late_interest"
    RECOVERY = "recovery"
    BID_HOLD = "bid_hold"
    BID_RELEASE = "bid_release"


def _enum(cls: type[enum.Enum], name: str):
    from sqlalchemy import Enum

    return Enum(
        cls,
        name=name,
        native_enum=False,
        length=20,
        values_callable=lambda members: [m.value for m in members],
        validate_strings=True,
    )


class Account(Base):
    __tablename__ = "accounts"
    __table_args__ = (
        CheckConstraint(
            "kind IN ('faucet', 'recoveries') OR balance >= 0", name="balance_not_negative"
        ),
        UniqueConstraint("user_id", "kind", name="uq_accounts_user_kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[AccountKind] = mapped_column(_enum(AccountKind, "account_kind"))
    # The owner of a wallet or a hold account; NULL for escrow and system accounts.
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    balance: Mapped[int] = mapped_column(BigInteger, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class LedgerEntry(Base):
    """One side of a transfer. Append-only (a PostgreSQL trigger refuses UPDATE and DELETE)."""

    __tablename__ = "ledger_entries"
    __table_args__ = (
        CheckConstraint("amount > 0", name="amount_positive"),
        CheckConstraint("direction IN ('debit', 'credit')", name="direction_valid"),
        Index("ix_ledger_entries_account_keyset", "account_id", "created_at", "id"),
        Index("ix_ledger_entries_transfer_id", "transfer_id"),
    )

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    transfer_id: Mapped[str] = mapped_column(String(36))
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"))
    direction: Mapped[str] = mapped_column(String(6))
    amount: Mapped[int] = mapped_column(BigInteger)
    balance_after: Mapped[int] = mapped_column(BigInteger)
    kind: Mapped[TransferKind] = mapped_column(_enum(TransferKind, "transfer_kind"))
    invoice_id: Mapped[int | None] = mapped_column(ForeignKey("invoices.id"))
    # The investment money came back to (repayments, recoveries, refunds): statements by year.
    investment_id: Mapped[int | None] = mapped_column(ForeignKey("investments.id"), index=True)
    description: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Stored lower-cased, so the unique constraint is case-insensitive.
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    role: Mapped[Role] = mapped_column(_enum(Role, "user_role"))
    password_hash: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    email_notifications: Mapped[bool] = mapped_column(Boolean, default=True)
    suspended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Buyers only: the most the buyer may owe on accepted invoices; NULL = unlimited.
    credit_limit: Mapped[int | None] = mapped_column(BigInteger)


class Invoice(Base):
    __tablename__ = "invoices"
    __table_args__ = (
        UniqueConstraint("seller_id", "invoice_number", name="uq_invoices_seller_number"),
        CheckConstraint(
            "funded_amount >= 0 AND (funding_target IS NULL OR funded_amount <= funding_target)",
            name="funded_within_target",
        ),
        CheckConstraint(
            "repaid_amount >= 0 AND late_interest >= 0 AND interest_paid >= 0 "
            "AND interest_paid <= late_interest AND repaid_amount - interest_paid <= amount",
            name="repaid_within_owed",
        ),
        Index("ix_invoices_status_keyset", "status", "created_at", "id"),
        Index("ix_invoices_seller_keyset", "seller_id", "created_at", "id"),
        Index("ix_invoices_buyer_status", "buyer_id", "status"),
        Index("ix_invoices_status_due", "status", "due_date"),
        Index("ix_invoices_funded_at", "funded_at"),
        Index("ix_invoices_listed_at", text("coalesce(accepted_at, created_at)")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    seller_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    escrow_account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"), unique=True)
    invoice_number: Mapped[str] = mapped_column(String(64))
    # The debtor: a registered buyer (who must accept) or just a name.
    buyer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    buyer_name: Mapped[str] = mapped_column(String(200))
    buyer_confirmed: Mapped[bool] = mapped_column(Boolean, default=False)
    description: Mapped[str | None] = mapped_column(Text)
    pricing: Mapped[Pricing] = mapped_column(_enum(Pricing, "pricing"), default=Pricing.FIXED)
    amount: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3), default="INR")
    due_date: Mapped[date] = mapped_column(Date)
    # Fixed when the invoice opens for funding (NULL while an auction is open).
    tenor_days: Mapped[int | None] = mapped_column(Integer)
    discount_rate_bps: Mapped[int | None] = mapped_column(Integer)
    annual_yield_bps: Mapped[int | None] = mapped_column(Integer)
    funding_target: Mapped[int | None] = mapped_column(BigInteger)
    funded_amount: Mapped[int] = mapped_column(BigInteger, default=0)
    # Every repayment and recovery, late interest included; the interest part of it.
    repaid_amount: Mapped[int] = mapped_column(BigInteger, default=0)
    late_interest: Mapped[int] = mapped_column(BigInteger, default=0)
    interest_paid: Mapped[int] = mapped_column(BigInteger, default=0)
    days_past_due: Mapped[int] = mapped_column(Integer, default=0)
    # The last business day the daily run has applied to this invoice (so a run cut short
    # and run again never charges a day twice).
    accrued_through: Mapped[date | None] = mapped_column(Date)
    status: Mapped[InvoiceStatus] = mapped_column(
        _enum(InvoiceStatus, "invoice_status"), default=InvoiceStatus.LISTED, active_history=True
    )
    reason: Mapped[str | None] = mapped_column(String(500))  # why rejected or cancelled
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    funded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    settled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    rejected_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    overdue_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    defaulted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    written_off_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    seller: Mapped[User] = relationship(lazy="raise", foreign_keys=[seller_id])
    auction: Mapped[Auction | None] = relationship(lazy="raise", uselist=False)

    @property
    def remaining(self) -> int | None:
        if self.funding_target is None:
            return None
        if self.status != InvoiceStatus.LISTED:
            return 0
        return self.funding_target - self.funded_amount

    @property
    def seller_name(self) -> str:
        return self.seller.name

    @property
    def face_repaid(self) -> int:
        return self.repaid_amount - self.interest_paid

    @property
    def owed(self) -> int:
        if self.status not in (*OUTSTANDING, InvoiceStatus.WRITTEN_OFF):
            return 0
        return self.amount + self.late_interest - self.repaid_amount

    @property
    def overdue(self) -> bool:
        return self.status in (InvoiceStatus.OVERDUE, InvoiceStatus.DEFAULTED)


class Auction(Base):
    """The live rate auction of an invoice listed with `pricing: auction`."""

    __tablename__ = "auctions"
    __table_args__ = (Index("ix_auctions_state_closes_at", "state", "closes_at"),)

    invoice_id: Mapped[int] = mapped_column(ForeignKey("invoices.id"), primary_key=True)
    max_rate_bps: Mapped[int] = mapped_column(Integer)
    auto_accept_rate_bps: Mapped[int | None] = mapped_column(Integer)
    duration_seconds: Mapped[int] = mapped_column(Integer)
    state: Mapped[AuctionState] = mapped_column(_enum(AuctionState, "auction_state"))
    opened_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closes_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    extensions: Mapped[int] = mapped_column(Integer, default=0)
    clearing_rate_bps: Mapped[int | None] = mapped_column(Integer)
    covered_face: Mapped[int] = mapped_column(BigInteger, default=0)
    bid_count: Mapped[int] = mapped_column(Integer, default=0)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class Bid(Base):
    __tablename__ = "bids"
    __table_args__ = (
        CheckConstraint("face_amount > 0", name="face_amount_positive"),
        Index("ix_bids_book", "invoice_id", "rate_bps", "id"),
        Index("ix_bids_investor_keyset", "investor_id", "created_at", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    invoice_id: Mapped[int] = mapped_column(ForeignKey("invoices.id"))
    investor_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    face_amount: Mapped[int] = mapped_column(BigInteger)
    rate_bps: Mapped[int] = mapped_column(Integer)
    state: Mapped[BidState] = mapped_column(_enum(BidState, "bid_state"))
    # The part of face_amount in the winning set (the last winner may be partly in).
    filled_face: Mapped[int] = mapped_column(BigInteger, default=0)
    investment_id: Mapped[int | None] = mapped_column(ForeignKey("investments.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Investment(Base):
    __tablename__ = "investments"
    __table_args__ = (
        CheckConstraint("amount > 0", name="amount_positive"),
        Index("ix_investments_investor_keyset", "investor_id", "created_at", "id"),
        Index("ix_investments_invoice_id", "invoice_id"),
        # Auto-invest fills a listing at most once per rule, whatever happens to the worker.
        Index(
            "uq_investments_rule_invoice",
            "rule_id",
            "invoice_id",
            unique=True,
            postgresql_where=text("rule_id IS NOT NULL"),
            sqlite_where=text("rule_id IS NOT NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    invoice_id: Mapped[int] = mapped_column(ForeignKey("invoices.id"))
    investor_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    # active_history: the old value of what portfolio_totals counts is known at every change.
    amount: Mapped[int] = mapped_column(BigInteger, active_history=True)
    expected_return: Mapped[int] = mapped_column(BigInteger, active_history=True)
    # What the investment has received so far (repayments, recoveries); at settlement, payout.
    received: Mapped[int] = mapped_column(BigInteger, default=0, active_history=True)
    payout: Mapped[int | None] = mapped_column(BigInteger)
    loss: Mapped[int | None] = mapped_column(BigInteger, active_history=True)
    status: Mapped[InvestmentStatus] = mapped_column(
        _enum(InvestmentStatus, "investment_status"),
        default=InvestmentStatus.ACTIVE,
        active_history=True,
    )
    source: Mapped[InvestmentSource] = mapped_column(
        _enum(InvestmentSource, "investment_source"), default=InvestmentSource.MANUAL
    )
    rule_id: Mapped[int | None] = mapped_column(ForeignKey("auto_invest_rules.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    invoice: Mapped[Invoice] = relationship(lazy="raise")

    @property
    def weight(self) -> int:
        """Its share of every payment: what it paid in for a fixed-price invoice, the face
        value it won for an auction."""
        return self.expected_return if self.source == InvestmentSource.AUCTION else self.amount


class PortfolioTotals(Base):
    """An investor's portfolio figures, kept up to date by services/portfolios.py as the
    investor's investments change (one row per investor who has invested)."""

    __tablename__ = "portfolio_totals"

    investor_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    invested: Mapped[int] = mapped_column(BigInteger)  # paid into active investments
    expected_return: Mapped[int] = mapped_column(BigInteger)  # of active investments
    realized_gain: Mapped[int] = mapped_column(BigInteger)  # received - amount, settled ones
    active_count: Mapped[int] = mapped_column(Integer)
    settled_count: Mapped[int] = mapped_column(Integer)
    received: Mapped[int] = mapped_column(BigInteger)  # by every investment not refunded
    overdue_amount: Mapped[int] = mapped_column(BigInteger)  # still owed on overdue invoices
    defaulted_amount: Mapped[int] = mapped_column(BigInteger)  # ... on defaulted invoices
    loss: Mapped[int] = mapped_column(BigInteger)  # written off


class UnreadCount(Base):
    """How many of a user's notifications are unread, kept by services/notifications.py as
    they are written and marked read (one row per user who has been notified): the bell's
    count, pushed with every notification, costs one row however many there are."""

    __tablename__ = "unread_counts"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    unread: Mapped[int] = mapped_column(Integer)


class AutoInvestRule(Base):
    __tablename__ = "auto_invest_rules"
    __table_args__ = (Index("ix_auto_invest_rules_active", "active", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    investor_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    min_yield_bps: Mapped[int] = mapped_column(Integer, default=0)
    max_tenor_days: Mapped[int] = mapped_column(Integer, default=365)
    max_per_invoice: Mapped[int] = mapped_column(BigInteger)
    max_per_seller: Mapped[int | None] = mapped_column(BigInteger)
    max_per_buyer: Mapped[int | None] = mapped_column(BigInteger)
    budget: Mapped[int] = mapped_column(BigInteger)
    keep_balance: Mapped[int] = mapped_column(BigInteger, default=0)
    buyer_confirmed_only: Mapped[bool] = mapped_column(Boolean, default=False)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # Set while the wallet cannot pay for the rule's wants (notified once, not per listing).
    paused_reason: Mapped[str | None] = mapped_column(String(100))
    last_filled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class Notification(Base):
    """A personal event kept for later; the row is also the email's outbox entry."""

    __tablename__ = "notifications"
    __table_args__ = (
        Index("ix_notifications_user_keyset", "user_id", "created_at", "id"),
        Index(
            "ix_notifications_unread",
            "user_id",
            postgresql_where=text("read_at IS NULL"),
            sqlite_where=text("read_at IS NULL"),
        ),
        Index(
            "ix_notifications_email_pending",
            "id",
            postgresql_where=text("email_status = 'pending'"),
            sqlite_where=text("email_status = 'pending'"),
        ),
    )

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    kind: Mapped[str] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    invoice_id: Mapped[int | None] = mapped_column(ForeignKey("invoices.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    email_status: Mapped[EmailStatus] = mapped_column(
        _enum(EmailStatus, "email_status"), default=EmailStatus.PENDING
    )
    email_attempts: Mapped[int] = mapped_column(Integer, default=0)
    email_next_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class Job(Base):
    """Background work, written in the transaction that makes it necessary (an outbox)."""

    __tablename__ = "jobs"
    __table_args__ = (
        Index(
            "ix_jobs_pending",
            "run_at",
            "id",
            postgresql_where=text("status = 'pending'"),
            sqlite_where=text("status = 'pending'"),
        ),
    )

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))
    # At most one job per key (e.g. one close per auction, one daily run per date).
    key: Mapped[str | None] = mapped_column(String(200), unique=True)
    payload: Mapped[dict] = mapped_column(JSON, default=dict)
    status: Mapped[JobStatus] = mapped_column(
        _enum(JobStatus, "job_status"), default=JobStatus.PENDING
    )
    run_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class DailyRun(Base):
    """IST business days already closed by the daily run, one row each."""

    __tablename__ = "daily_runs"

    run_date: Mapped[date] = mapped_column(Date, primary_key=True)
    completed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class AuditEntry(Base):
    """Who did what. Append-only (a PostgreSQL trigger refuses UPDATE and DELETE)."""

    __tablename__ = "audit_log"
    __table_args__ = (
        Index("ix_audit_log_target", "target_type", "target_id", "id"),
        Index("ix_audit_log_actor", "actor_id", "id"),
    )

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    actor_role: Mapped[str | None] = mapped_column(String(20))
    action: Mapped[str] = mapped_column(String(40))
    target_type: Mapped[str] = mapped_column(String(20))
    target_id: Mapped[int | None] = mapped_column(BigInteger)
    ip: Mapped[str | None] = mapped_column(String(45))
    request_id: Mapped[str | None] = mapped_column(String(64))
    details: Mapped[dict] = mapped_column(JSON, default=dict)


class IdempotencyKey(Base):
    """A request's stored outcome, written in the transaction that produced it."""

    __tablename__ = "idempotency_keys"
    __table_args__ = (
        UniqueConstraint("user_id", "key", name="uq_idempotency_keys_user_key"),
        Index("ix_idempotency_keys_created_at", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    key: Mapped[str] = mapped_column(String(255))
    fingerprint: Mapped[str] = mapped_column(String(64))
    response_status: Mapped[int] = mapped_column(Integer)
    response_body: Mapped[dict] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class RevokedToken(Base):
    """Refresh tokens revoked at logout, and the access tokens revoked with them."""

    __tablename__ = "revoked_tokens"

    jti: Mapped[str] = mapped_column(String(64), primary_key=True)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
