"""The operator console: overview and audit trail."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from ..models import InvoiceStatus
from .common import PageQuerySchema
from .fields import StrictInteger, Text


class StatusFigureSchema(Schema):
    count = fields.Integer(required=True)
    amount = fields.Integer(required=True)


class AgingFigureSchema(Schema):
    count = fields.Integer(required=True)
    owed = fields.Integer(required=True)


class OverviewSchema(Schema):
    by_status = fields.Dict(
        keys=fields.String(validate=validate.OneOf([status.value for status in InvoiceStatus])),
        values=fields.Nested(StatusFigureSchema),
        required=True,
    )
    aging = fields.Dict(
        keys=fields.String(validate=validate.OneOf(["1-30", "31-60", "60+"])),
        values=fields.Nested(AgingFigureSchema),
        required=True,
    )


class AuditQuerySchema(PageQuerySchema):
    actor_id = StrictInteger(load_default=None)
    target_type = Text(load_default=None, validate=validate.Length(1, 20))
    target_id = fields.Integer(load_default=None)


class AuditEntrySchema(Schema):
    id = fields.Integer(required=True)
    at = fields.DateTime(required=True)
    actor_id = fields.Integer(required=True, allow_none=True)
    actor_role = fields.String(required=True, allow_none=True)
    action = fields.String(required=True)
    target_type = fields.String(required=True)
    target_id = fields.Integer(required=True, allow_none=True)
    ip = fields.String(required=True, allow_none=True)
    request_id = fields.String(required=True, allow_none=True)
    details = fields.Dict(required=True)


class AuditPageSchema(Schema):
    items = fields.List(fields.Nested(AuditEntrySchema), required=True)
    next_cursor = fields.String(required=True, allow_none=True)
