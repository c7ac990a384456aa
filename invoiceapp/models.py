"""Typed SQLAlchemy 2 models. All money columns are BIGINT paise."""

from __future__ import annotations

import enum
from datetime import UTC, date, datetime

from sqlalchemy import (
    JSON,
    BigInteger,
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
        if value is not None and value.tzinfo is None:
            raise ValueError("naive datetime")
        return value

    def process_result_value(self, value, dialect):
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Role(str, enum.Enum):
    SELLER = "seller"
    INVESTOR = "investor"


class AccountKind(str, enum.Enum):
    WALLET = "wallet"
    ESCROW = "escrow"
    FAUCET = "faucet"


class InvoiceStatus(str, enum.Enum):
    LISTED = "listed"
    FUNDED = "funded"
    SETTLED = "settled"
    CANCELLED = "cancelled"


class InvestmentStatus(str, enum.Enum):
    ACTIVE = "active"
    SETTLED = "settled"
    REFUNDED = "refunded"


class TransferKind(str, enum.Enum):
    DEMO_CREDIT = "demo_credit"
    INVESTMENT = "investment"
    FUNDING_RECEIVED = "funding_received"
    REPAYMENT_PAID = "repayment_paid"
    REPAYMENT_RECEIVED = "repayment_received"
    REFUND = "refund"


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
        CheckConstraint("kind = 'faucet' OR balance >= 0", name="balance_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[AccountKind] = mapped_column(_enum(AccountKind, "account_kind"))
    # The owner of a wallet; NULL for escrow and faucet accounts.
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), unique=True)
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


class Invoice(Base):
    __tablename__ = "invoices"
    __table_args__ = (
        UniqueConstraint("seller_id", "invoice_number", name="uq_invoices_seller_number"),
        CheckConstraint(
            "funded_amount >= 0 AND funded_amount <= funding_target", name="funded_within_target"
        ),
        Index("ix_invoices_status_keyset", "status", "created_at", "id"),
        Index("ix_invoices_seller_keyset", "seller_id", "created_at", "id"),
        Index(
            "ix_invoices_listed_due",
            "due_date",
            postgresql_where=text("status = 'listed'"),
            sqlite_where=text("status = 'listed'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    seller_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    escrow_account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"), unique=True)
    invoice_number: Mapped[str] = mapped_column(String(64))
    buyer_name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)
    amount: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3), default="INR")
    due_date: Mapped[date] = mapped_column(Date)
    tenor_days: Mapped[int] = mapped_column(Integer)
    discount_rate_bps: Mapped[int] = mapped_column(Integer)
    annual_yield_bps: Mapped[int] = mapped_column(Integer)
    funding_target: Mapped[int] = mapped_column(BigInteger)
    funded_amount: Mapped[int] = mapped_column(BigInteger, default=0)
    status: Mapped[InvoiceStatus] = mapped_column(
        _enum(InvoiceStatus, "invoice_status"), default=InvoiceStatus.LISTED
    )
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    funded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    settled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    seller: Mapped[User] = relationship(lazy="raise")

    @property
    def remaining(self) -> int:
        return self.funding_target - self.funded_amount

    @property
    def seller_name(self) -> str:
        return self.seller.name


class Investment(Base):
    __tablename__ = "investments"
    __table_args__ = (
        CheckConstraint("amount > 0", name="amount_positive"),
        Index("ix_investments_investor_keyset", "investor_id", "created_at", "id"),
        Index("ix_investments_invoice_id", "invoice_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    invoice_id: Mapped[int] = mapped_column(ForeignKey("invoices.id"))
    investor_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    amount: Mapped[int] = mapped_column(BigInteger)
    expected_return: Mapped[int] = mapped_column(BigInteger)
    payout: Mapped[int | None] = mapped_column(BigInteger)
    status: Mapped[InvestmentStatus] = mapped_column(
        _enum(InvestmentStatus, "investment_status"), default=InvestmentStatus.ACTIVE
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    invoice: Mapped[Invoice] = relationship(lazy="raise")


class IdempotencyKey(Base):
    __tablename__ = "idempotency_keys"
    __table_args__ = (
        UniqueConstraint("user_id", "key", name="uq_idempotency_keys_user_key"),
        Index("ix_idempotency_keys_created_at", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    key: Mapped[str] = mapped_column(String(255))
    fingerprint: Mapped[str] = mapped_column(String(64))
    # NULL while the first request is in flight.
    response_status: Mapped[int | None] = mapped_column(Integer)
    response_body: Mapped[dict | None] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class RevokedToken(Base):
    __tablename__ = "revoked_tokens"

    jti: Mapped[str] = mapped_column(String(64), primary_key=True)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
