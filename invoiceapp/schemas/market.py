"""Market figures."""

from __future__ import annotations

from marshmallow import Schema, fields


class TopBuyerSchema(Schema):
    name = fields.String(required=True)
    share_pct = fields.Float(required=True)


class DailySchema(Schema):
    date = fields.Date(required=True)
    listed = fields.Integer(required=True)
    funded = fields.Integer(required=True)
    volume = fields.Integer(required=True, metadata={"description": "Funded amount, paise"})
    avg_yield_bps = fields.Integer(
        required=True,
        metadata={"description": "Of the invoices funded that day, weighted by face value"},
    )


class MarketStatsSchema(Schema):
    listed_today = fields.Integer(required=True)
    funded_today = fields.Integer(required=True)
    volume_funded_7d = fields.Integer(required=True, metadata={"description": "paise"})
    volume_funded_30d = fields.Integer(required=True, metadata={"description": "paise"})
    avg_yield_bps_7d = fields.Integer(
        required=True, metadata={"description": "weighted by face value"}
    )
    time_to_fund_p50_s = fields.Integer(required=True, allow_none=True)
    time_to_fund_p90_s = fields.Integer(required=True, allow_none=True)
    fully_funded_pct_30d = fields.Float(
        required=True, metadata={"description": "of invoices listed in the last 30 days, % funded"}
    )
    overdue_pct = fields.Float(
        required=True,
        metadata={"description": "of the face value outstanding, % overdue or defaulted"},
    )
    default_pct = fields.Float(
        required=True,
        metadata={"description": "of the face value ever funded, % defaulted or written off"},
    )
    top_buyers = fields.List(fields.Nested(TopBuyerSchema), required=True)
    daily = fields.List(
        fields.Nested(DailySchema),
        required=True,
        metadata={"description": "30 IST days, oldest first"},
    )
