"""Wallets, their transactions, portfolios and dashboard figures."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from ..models import TransferKind


class WalletSchema(Schema):
    balance = fields.Integer(required=True)
    currency = fields.Constant("INR", required=True)
    updated_at = fields.DateTime(required=True)


class TransactionSchema(Schema):
    id = fields.Integer(required=True)
    transfer_id = fields.String(required=True)
    direction = fields.String(required=True, validate=validate.OneOf(["credit", "debit"]))
    amount = fields.Integer(required=True)
    balance_after = fields.Integer(required=True)
    kind = fields.Enum(TransferKind, by_value=True, required=True)
    invoice_id = fields.Integer(required=True, allow_none=True)
    description = fields.String(required=True)
    created_at = fields.DateTime(required=True)


class SummarySchema(Schema):
    invested = fields.Integer(required=True)
    expected_return = fields.Integer(required=True)
    realized_gain = fields.Integer(required=True)
    active_count = fields.Integer(required=True)
    settled_count = fields.Integer(required=True)
    received = fields.Integer(required=True)
    overdue_amount = fields.Integer(required=True)
    defaulted_amount = fields.Integer(required=True)
    loss = fields.Integer(required=True)


class WalletResponseSchema(Schema):
    wallet = fields.Nested(WalletSchema, required=True)


class TransactionPageSchema(Schema):
    items = fields.List(fields.Nested(TransactionSchema), required=True)
    next_cursor = fields.String(required=True, allow_none=True)


class StatsSchema(Schema):
    """The figures of the caller's role: a seller's invoices, an investor's portfolio, what a
    buyer owes. Each field is present for the roles it belongs to."""

    # seller
    listed_count = fields.Integer()
    pending_count = fields.Integer(metadata={"description": "seller and buyer"})
    funded_count = fields.Integer()
    settled_count = fields.Integer()
    overdue_count = fields.Integer()
    total_raised = fields.Integer()
    face_value_outstanding = fields.Integer()
    # investor
    invested = fields.Integer()
    expected_return = fields.Integer()
    realized_gain = fields.Integer()
    active_count = fields.Integer()
    marketplace_count = fields.Integer()
    received = fields.Integer()
    overdue_amount = fields.Integer()
    defaulted_amount = fields.Integer()
    loss = fields.Integer()
    # buyer
    owing_count = fields.Integer()
    owed_total = fields.Integer()
    overdue_total = fields.Integer()
    next_due_date = fields.Date(allow_none=True)
    exposure = fields.Integer()
    credit_limit = fields.Integer(allow_none=True)


class StatementQuerySchema(Schema):
    start = fields.Date(
        required=True, data_key="from", metadata={"description": "IST date, inclusive"}
    )
    end = fields.Date(required=True, data_key="to", metadata={"description": "IST date, inclusive"})


class FinancialYearQuerySchema(Schema):
    fy = fields.String(
        required=True, metadata={"description": "Indian financial year, e.g. 2026-27"}
    )
