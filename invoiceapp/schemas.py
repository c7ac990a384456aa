"""Marshmallow schemas for every request and response; flask-smorest turns them into the
OpenAPI document at /api/openapi.json."""

from __future__ import annotations

from datetime import timedelta

from marshmallow import Schema, ValidationError, fields, validate, validates, validates_schema

from .models import InvestmentStatus, InvoiceStatus, Role, TransferKind
from .services.dates import today_ist
from .services.money import MIN_INVESTMENT

MAX_MONEY = 10**12
MAX_FACE_VALUE = 10**10  # ₹10 crore


class Paise(fields.Integer):
    """Money: a JSON integer of paise. Strict: no strings, no floats, no booleans."""

    def __init__(self, *, minimum: int = 1, maximum: int = MAX_MONEY, **kwargs):
        super().__init__(strict=True, validate=validate.Range(minimum, maximum), **kwargs)
        self.metadata.setdefault("description", f"Integer paise, {minimum} to {maximum}")

    def _validated(self, value):
        if isinstance(value, bool):
            raise self.make_error("invalid")
        return super()._validated(value)


class StrictInteger(fields.Integer):
    def __init__(self, **kwargs):
        super().__init__(strict=True, **kwargs)

    def _validated(self, value):
        if isinstance(value, bool):
            raise self.make_error("invalid")
        return super()._validated(value)


class Text(fields.String):
    """A string that PostgreSQL can store: no NUL characters; surrounding spaces dropped."""

    def __init__(self, *, strip: bool = True, **kwargs):
        super().__init__(**kwargs)
        self.strip = strip

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs)
        if "\x00" in text:
            raise ValidationError("Must not contain NUL characters.")
        return text.strip() if self.strip else text


# --- requests ------------------------------------------------------------------------------


class RegisterSchema(Schema):
    email = fields.Email(required=True, validate=validate.Length(max=254))
    password = Text(required=True, strip=False, validate=validate.Length(8, 128), load_only=True)
    name = Text(required=True, validate=validate.Length(1, 100))
    role = fields.Enum(Role, by_value=True, required=True)


class LoginSchema(Schema):
    email = Text(required=True, validate=validate.Length(1, 254))
    password = Text(required=True, strip=False, validate=validate.Length(1, 128), load_only=True)


class InvoiceCreateSchema(Schema):
    invoice_number = Text(required=True, validate=validate.Length(1, 64))
    buyer_name = Text(required=True, validate=validate.Length(1, 200))
    description = Text(load_default=None, allow_none=True, validate=validate.Length(max=2000))
    amount = Paise(required=True, minimum=MIN_INVESTMENT, maximum=MAX_FACE_VALUE)
    due_date = fields.Date(
        required=True,
        metadata={
            "description": "7 to 365 days after today (IST)",
            "x-days-after-today": {"minimum": 7, "maximum": 365},
        },
    )
    discount_rate_bps = StrictInteger(required=True, validate=validate.Range(0, 5000))

    @validates("due_date")
    def due_date_in_range(self, value, data_key):
        today = today_ist()
        if not today + timedelta(days=7) <= value <= today + timedelta(days=365):
            raise ValidationError("Must be 7 to 365 days after today (IST).")

    @validates_schema
    def strings_not_blank(self, data, **kwargs):
        for name in ("invoice_number", "buyer_name"):
            if name in data and not data[name]:
                raise ValidationError("Must not be blank.", name)


class FundSchema(Schema):
    amount = Paise(required=True, metadata={"x-minimum-investment": MIN_INVESTMENT})


class PageQuerySchema(Schema):
    limit = fields.Integer(load_default=50, validate=validate.Range(1, 100))
    cursor = Text(load_default=None, validate=validate.Length(max=200))


class InvoiceQuerySchema(PageQuerySchema):
    status = fields.Enum(InvoiceStatus, by_value=True, load_default=InvoiceStatus.LISTED)


class MyInvoicesQuerySchema(PageQuerySchema):
    status = fields.Enum(InvoiceStatus, by_value=True, load_default=None)


# --- responses -----------------------------------------------------------------------------


class Response(Schema):
    """A response body: every field is always sent (null where allowed), so the OpenAPI
    document marks them all required and generated clients get exact types."""

    def on_bind_field(self, field_name, field_obj):
        field_obj.required = True


class UserSchema(Response):
    id = fields.Integer()
    email = fields.String()
    name = fields.String()
    role = fields.Enum(Role, by_value=True)
    created_at = fields.DateTime()


class WalletSchema(Response):
    balance = fields.Integer()
    currency = fields.Constant("INR")
    updated_at = fields.DateTime()


class TransactionSchema(Response):
    id = fields.Integer()
    transfer_id = fields.String()
    direction = fields.String(metadata={"enum": ["credit", "debit"]})
    amount = fields.Integer()
    balance_after = fields.Integer()
    kind = fields.Enum(TransferKind, by_value=True)
    invoice_id = fields.Integer(allow_none=True)
    description = fields.String()
    created_at = fields.DateTime()


class InvoiceSchema(Response):
    id = fields.Integer()
    seller_id = fields.Integer()
    seller_name = fields.String()
    invoice_number = fields.String()
    buyer_name = fields.String()
    description = fields.String(allow_none=True)
    amount = fields.Integer()
    currency = fields.String()
    due_date = fields.Date()
    tenor_days = fields.Integer()
    discount_rate_bps = fields.Integer()
    annual_yield_bps = fields.Integer()
    funding_target = fields.Integer()
    funded_amount = fields.Integer()
    remaining = fields.Integer()
    status = fields.Enum(InvoiceStatus, by_value=True)
    overdue = fields.Function(
        lambda invoice: invoice.status == InvoiceStatus.FUNDED and invoice.due_date < today_ist(),
        metadata={"type": "boolean"},
    )
    version = fields.Integer()
    created_at = fields.DateTime()
    funded_at = fields.DateTime(allow_none=True)
    settled_at = fields.DateTime(allow_none=True)


class InvestmentSchema(Response):
    id = fields.Integer()
    invoice_id = fields.Integer()
    investor_id = fields.Integer()
    amount = fields.Integer()
    expected_return = fields.Integer()
    payout = fields.Integer(allow_none=True)
    status = fields.Enum(InvestmentStatus, by_value=True)
    created_at = fields.DateTime()


class InvestmentInvoiceSchema(Response):
    id = fields.Integer()
    invoice_number = fields.String()
    buyer_name = fields.String()
    amount = fields.Integer()
    funding_target = fields.Integer()
    due_date = fields.Date()
    status = fields.Enum(InvoiceStatus, by_value=True)


class PortfolioInvestmentSchema(InvestmentSchema):
    invoice = fields.Nested(InvestmentInvoiceSchema)


class SummarySchema(Response):
    invested = fields.Integer()
    expected_return = fields.Integer()
    realized_gain = fields.Integer()
    active_count = fields.Integer()
    settled_count = fields.Integer()


class AuthResponseSchema(Response):
    user = fields.Nested(UserSchema)
    access_token = fields.String()
    refresh_token = fields.String()


class AccessTokenSchema(Response):
    access_token = fields.String()


class UserResponseSchema(Response):
    user = fields.Nested(UserSchema)


class WalletResponseSchema(Response):
    wallet = fields.Nested(WalletSchema)


class TransactionPageSchema(Response):
    items = fields.List(fields.Nested(TransactionSchema))
    next_cursor = fields.String(allow_none=True)


class InvoicePageSchema(Response):
    items = fields.List(fields.Nested(InvoiceSchema))
    next_cursor = fields.String(allow_none=True)


class InvoiceResponseSchema(Response):
    invoice = fields.Nested(InvoiceSchema)


class FundingResponseSchema(Response):
    investment = fields.Nested(InvestmentSchema)
    invoice = fields.Nested(InvoiceSchema)
    wallet = fields.Nested(WalletSchema)


class PortfolioResponseSchema(Response):
    summary = fields.Nested(SummarySchema)
    investments = fields.List(fields.Nested(PortfolioInvestmentSchema))


class StatsSchema(Schema):
    """A seller gets the first five figures, an investor the last five."""

    listed_count = fields.Integer()
    funded_count = fields.Integer()
    settled_count = fields.Integer()
    total_raised = fields.Integer()
    face_value_outstanding = fields.Integer()
    invested = fields.Integer()
    expected_return = fields.Integer()
    realized_gain = fields.Integer()
    active_count = fields.Integer()
    marketplace_count = fields.Integer()


class HealthSchema(Response):
    status = fields.String(metadata={"enum": ["ok", "down"]})
    database = fields.String(metadata={"enum": ["ok", "down"]})
    message_queue = fields.String(metadata={"enum": ["ok", "down", "disabled"]})


class ErrorBodySchema(Schema):
    code = fields.String(required=True)
    message = fields.String(required=True)
    details = fields.Dict()


class ErrorSchema(Schema):
    error = fields.Nested(ErrorBodySchema, required=True)
