"""Invoices, their auctions and bids, investments, and the actions on them."""

from __future__ import annotations

from marshmallow import Schema, ValidationError, fields, post_load, validate, validates_schema

from ..models import (
    AuctionState,
    BidState,
    InvestmentSource,
    InvestmentStatus,
    InvoiceStatus,
    Pricing,
)
from ..services import invoices
from ..services.clearing import BookLevel
from .common import PageQuerySchema
from .fields import Paise, StrictInteger, Text
from .money import SummarySchema, WalletSchema

# --- requests ------------------------------------------------------------------------------


class AuctionTermsSchema(Schema):
    max_rate_bps = StrictInteger(required=True, validate=validate.Range(1, invoices.MAX_RATE_BPS))
    duration_seconds = StrictInteger(
        required=True,
        validate=validate.Range(1, invoices.MAX_AUCTION_SECONDS),
        metadata={"description": "AUCTION_MIN_SECONDS (300 by default) to 86,400"},
    )
    auto_accept_rate_bps = StrictInteger(
        load_default=None, allow_none=True, validate=validate.Range(0, invoices.MAX_RATE_BPS)
    )


class InvoiceCreateSchema(Schema):
    invoice_number = Text(required=True, visible=True, validate=validate.Length(1, 64))
    buyer_name = Text(
        load_default=None,
        visible=True,
        validate=validate.Length(1, 200),
        metadata={"description": "The debtor's name; or give buyer_id for a registered buyer"},
    )
    buyer_id = StrictInteger(
        load_default=None,
        validate=validate.Range(1),
        metadata={"description": "A registered buyer (GET /api/buyers), who must accept"},
    )
    description = Text(
        load_default=None, allow_none=True, multiline=True, validate=validate.Length(max=2000)
    )
    amount = Paise(required=True, minimum=invoices.MIN_FACE_VALUE, maximum=invoices.MAX_FACE_VALUE)
    due_date = fields.Date(
        required=True,
        metadata={
            "description": "7 to 365 days after today (IST); auctions: 7 days after their latest close",
            "x-days-after-today": {
                "minimum": invoices.MIN_TENOR_DAYS,
                "maximum": invoices.MAX_TENOR_DAYS,
            },
        },
    )
    pricing = fields.Enum(Pricing, by_value=True, load_default=Pricing.FIXED)
    discount_rate_bps = StrictInteger(
        load_default=None,
        validate=validate.Range(0, invoices.MAX_RATE_BPS),
        metadata={"description": "Annual discount rate; required for fixed pricing"},
    )
    auction = fields.Nested(AuctionTermsSchema, load_default=None)

    @validates_schema(skip_on_field_errors=True)
    def one_buyer(self, data, **kwargs):
        if (data["buyer_id"] is None) == (data["buyer_name"] is None):
            raise ValidationError("Give either buyer_name or buyer_id.", "buyer_name")

    @post_load
    def to_listing(self, data, **kwargs) -> invoices.NewInvoice:
        terms = data.pop("auction")
        return invoices.NewInvoice(
            **data, auction=invoices.AuctionTerms(**terms) if terms else None
        )


class FundSchema(Schema):
    amount = Paise(required=True, metadata={"x-minimum-investment": invoices.MIN_FACE_VALUE})


class RepaySchema(Schema):
    amount = Paise(load_default=None, metadata={"description": "Default: everything owed"})


class RecoverySchema(Schema):
    amount = Paise(required=True)
    note = Text(required=True, visible=True, validate=validate.Length(1, 500))


class RejectSchema(Schema):
    reason = Text(required=True, visible=True, validate=validate.Length(1, 500))


class BidCreateSchema(Schema):
    face_amount = Paise(required=True, minimum=invoices.MIN_FACE_VALUE)
    rate_bps = StrictInteger(required=True, validate=validate.Range(0, invoices.MAX_RATE_BPS))


class InvoiceQuerySchema(PageQuerySchema):
    status = fields.Enum(InvoiceStatus, by_value=True, load_default=InvoiceStatus.LISTED)
    buyer_confirmed = fields.Boolean(load_default=None)


class MyInvoicesQuerySchema(PageQuerySchema):
    status = fields.Enum(InvoiceStatus, by_value=True, load_default=None)


# --- responses -----------------------------------------------------------------------------


class AuctionSchema(Schema):
    max_rate_bps = fields.Integer(required=True)
    auto_accept_rate_bps = fields.Integer(required=True, allow_none=True)
    closes_at = fields.DateTime(required=True, allow_none=True)
    extensions = fields.Integer(required=True)
    clearing_rate_bps = fields.Integer(required=True, allow_none=True)
    covered_face = fields.Integer(required=True)
    bid_count = fields.Integer(required=True)
    state = fields.Enum(AuctionState, by_value=True, required=True)


class InvoiceSchema(Schema):
    id = fields.Integer(required=True)
    seller_id = fields.Integer(required=True)
    seller_name = fields.String(required=True)
    invoice_number = fields.String(required=True)
    buyer_id = fields.Integer(required=True, allow_none=True)
    buyer_name = fields.String(required=True)
    buyer_confirmed = fields.Boolean(required=True)
    description = fields.String(required=True, allow_none=True)
    pricing = fields.Enum(Pricing, by_value=True, required=True)
    amount = fields.Integer(required=True)
    currency = fields.String(required=True)
    due_date = fields.Date(required=True)
    tenor_days = fields.Integer(required=True, allow_none=True)
    discount_rate_bps = fields.Integer(required=True, allow_none=True)
    annual_yield_bps = fields.Integer(required=True, allow_none=True)
    funding_target = fields.Integer(required=True, allow_none=True)
    funded_amount = fields.Integer(required=True)
    remaining = fields.Integer(required=True, allow_none=True)
    repaid_amount = fields.Integer(required=True)
    late_interest = fields.Integer(required=True)
    owed = fields.Integer(required=True)
    days_past_due = fields.Integer(required=True)
    status = fields.Enum(InvoiceStatus, by_value=True, required=True)
    overdue = fields.Boolean(required=True)
    reason = fields.String(required=True, allow_none=True)
    auction = fields.Nested(AuctionSchema, required=True, allow_none=True)
    version = fields.Integer(required=True)
    created_at = fields.DateTime(required=True)
    accepted_at = fields.DateTime(required=True, allow_none=True)
    funded_at = fields.DateTime(required=True, allow_none=True)
    settled_at = fields.DateTime(required=True, allow_none=True)
    defaulted_at = fields.DateTime(required=True, allow_none=True)


class InvestmentSchema(Schema):
    id = fields.Integer(required=True)
    invoice_id = fields.Integer(required=True)
    investor_id = fields.Integer(required=True)
    amount = fields.Integer(required=True)
    expected_return = fields.Integer(required=True)
    received = fields.Integer(required=True)
    payout = fields.Integer(required=True, allow_none=True)
    loss = fields.Integer(required=True, allow_none=True)
    status = fields.Enum(InvestmentStatus, by_value=True, required=True)
    source = fields.Enum(InvestmentSource, by_value=True, required=True)
    rule_id = fields.Integer(required=True, allow_none=True)
    created_at = fields.DateTime(required=True)


class InvestmentInvoiceSchema(Schema):
    id = fields.Integer(required=True)
    invoice_number = fields.String(required=True)
    buyer_name = fields.String(required=True)
    buyer_confirmed = fields.Boolean(required=True)
    amount = fields.Integer(required=True)
    funding_target = fields.Integer(required=True, allow_none=True)
    due_date = fields.Date(required=True)
    status = fields.Enum(InvoiceStatus, by_value=True, required=True)
    days_past_due = fields.Integer(required=True)
    owed = fields.Integer(required=True)


class PortfolioInvestmentSchema(InvestmentSchema):
    invoice = fields.Nested(InvestmentInvoiceSchema, required=True)


class PortfolioResponseSchema(Schema):
    summary = fields.Nested(SummarySchema, required=True)
    investments = fields.List(fields.Nested(PortfolioInvestmentSchema), required=True)


class BidSchema(Schema):
    id = fields.Integer(required=True)
    invoice_id = fields.Integer(required=True)
    face_amount = fields.Integer(required=True)
    rate_bps = fields.Integer(required=True)
    state = fields.Enum(BidState, by_value=True, required=True)
    filled_face = fields.Integer(required=True)
    investment_id = fields.Integer(required=True, allow_none=True)
    created_at = fields.DateTime(required=True)


class BookLevelSchema(Schema):
    rate_bps = fields.Integer(required=True)
    face_amount = fields.Integer(required=True)
    bid_count = fields.Integer(required=True)
    filled_face = fields.Integer(required=True)


class BidOrBookLevel(fields.Field):
    """An investor's own bid, or (to the seller, an operator) one rate level of the book."""

    def _serialize(self, value, attr, obj, **kwargs):
        schema = BookLevelSchema() if isinstance(value, BookLevel) else BidSchema()
        return schema.dump(value)


class BidListSchema(Schema):
    items = fields.List(
        BidOrBookLevel(
            metadata={
                "oneOf": [
                    {"$ref": "#/components/schemas/Bid"},
                    {"$ref": "#/components/schemas/BookLevel"},
                ]
            }
        ),
        required=True,
        metadata={
            "description": "An investor's own bids (Bid), or to the seller the book by rate (BookLevel)"
        },
    )


class BidResponseSchema(Schema):
    bid = fields.Nested(BidSchema, required=True)
    auction = fields.Nested(AuctionSchema, required=True)


class InvoicePageSchema(Schema):
    items = fields.List(fields.Nested(InvoiceSchema), required=True)
    next_cursor = fields.String(required=True, allow_none=True)


class InvoiceResponseSchema(Schema):
    invoice = fields.Nested(InvoiceSchema, required=True)


class FundingResponseSchema(Schema):
    investment = fields.Nested(InvestmentSchema, required=True)
    invoice = fields.Nested(InvoiceSchema, required=True)
    wallet = fields.Nested(WalletSchema, required=True)
