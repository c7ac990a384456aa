"""Auto-invest rules and their fills."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from ..services.autoinvest import UNIT
from .fields import MAX_MONEY, StrictBoolean, StrictInteger
from .invoices import InvestmentSchema

MAX_YIELD_BPS = 10_000  # a 50 % discount over a year yields 100 %: no listing yields more
MIN_TENOR_DAYS, MAX_TENOR_DAYS = 7, 365

NEVER_FILLS = (
    f"Must be at least {UNIT} paise (₹1,000): auto-invest fills in whole ₹1,000 units, "
    "so less can never fill."
)


def _limit(description: str = "", **kwargs) -> StrictInteger:
    """A money limit of a rule: a JSON integer of paise that leaves room for one unit."""
    return StrictInteger(
        validate=validate.Range(UNIT, MAX_MONEY, error=NEVER_FILLS + f" At most {MAX_MONEY}."),
        metadata={"description": f"Integer paise, {UNIT} to {MAX_MONEY}. {description}".strip()},
        **kwargs,
    )


class RuleUpdateSchema(Schema):
    """Every field is optional here; POST requires max_per_invoice and budget."""

    min_yield_bps = StrictInteger(
        validate=validate.Range(
            0,
            MAX_YIELD_BPS,
            error=f"Must be 0 to {MAX_YIELD_BPS} bps: no listing yields more than 100 % a year.",
        ),
        metadata={"description": "Fund only listings whose annual_yield_bps is at least this"},
    )
    max_tenor_days = StrictInteger(
        validate=validate.Range(
            MIN_TENOR_DAYS,
            MAX_TENOR_DAYS,
            error=f"Must be {MIN_TENOR_DAYS} to {MAX_TENOR_DAYS}: listings run "
            f"{MIN_TENOR_DAYS} to {MAX_TENOR_DAYS} days, so a shorter limit can never fill.",
        ),
        metadata={"description": "Fund only listings whose tenor_days is at most this"},
    )
    max_per_invoice = _limit()
    max_per_seller = _limit(
        "Your active exposure to one seller, shared by your rules; null: no cap",
        allow_none=True,
    )
    max_per_buyer = _limit(
        "Your active exposure to one buyer name, shared by your rules; null: no cap",
        allow_none=True,
    )
    budget = _limit("Caps the rule's active invested amount")
    keep_balance = StrictInteger(
        validate=validate.Range(0, MAX_MONEY, error=f"Must be 0 to {MAX_MONEY} paise."),
        metadata={"description": "The rule never takes your wallet below this (paise)"},
    )
    buyer_confirmed_only = StrictBoolean()
    active = StrictBoolean(metadata={"description": "false: paused by you"})


class RuleCreateSchema(RuleUpdateSchema):
    max_per_invoice = _limit(required=True)
    budget = _limit("Caps the rule's active invested amount", required=True)


class RuleSchema(Schema):
    id = fields.Integer(required=True)
    min_yield_bps = fields.Integer(required=True)
    max_tenor_days = fields.Integer(required=True)
    max_per_invoice = fields.Integer(required=True)
    max_per_seller = fields.Integer(required=True, allow_none=True)
    max_per_buyer = fields.Integer(required=True, allow_none=True)
    budget = fields.Integer(required=True)
    keep_balance = fields.Integer(required=True)
    buyer_confirmed_only = fields.Boolean(required=True)
    active = fields.Boolean(required=True)
    invested = fields.Integer(
        required=True, metadata={"description": "The rule's active invested amount (of budget)"}
    )
    status = fields.String(
        required=True,
        metadata={
            "description": '"active", "paused" (switched off), "paused: insufficient funds", '
            'or "inactive until your wallet passes ₹X" (keep_balance)'
        },
    )
    created_at = fields.DateTime(required=True)
    updated_at = fields.DateTime(required=True)
    last_filled_at = fields.DateTime(required=True, allow_none=True)


class RuleResponseSchema(Schema):
    rule = fields.Nested(RuleSchema, required=True)


class RuleListSchema(Schema):
    items = fields.List(fields.Nested(RuleSchema), required=True)


class FillListSchema(Schema):
    items = fields.List(fields.Nested(InvestmentSchema), required=True)
