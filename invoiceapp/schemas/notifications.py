"""Stored notifications."""

from __future__ import annotations

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from .common import PageQuerySchema
from .fields import StrictInteger


class NotificationQuerySchema(PageQuerySchema):
    unread_only = fields.Boolean(load_default=False)


class NotificationSchema(Schema):
    id = fields.Integer(required=True)
    kind = fields.String(required=True)
    title = fields.String(required=True)
    body = fields.String(required=True)
    invoice_id = fields.Integer(required=True, allow_none=True)
    created_at = fields.DateTime(required=True)
    read_at = fields.DateTime(required=True, allow_none=True)


class NotificationPageSchema(Schema):
    items = fields.List(fields.Nested(NotificationSchema), required=True)
    next_cursor = fields.String(required=True, allow_none=True)
    unread_count = fields.Integer(required=True)


class MarkReadSchema(Schema):
    up_to_id = StrictInteger(load_default=None, validate=validate.Range(1))
    ids = fields.List(
        StrictInteger(validate=validate.Range(1)),
        load_default=None,
        validate=validate.Length(1, 500),
    )

    @validates_schema(skip_on_field_errors=True)
    def one_of(self, data, **kwargs):
        if (data["up_to_id"] is None) == (data["ids"] is None):
            raise ValidationError("Give either up_to_id or ids.", "up_to_id")


class UnreadCountSchema(Schema):
    unread_count = fields.Integer(required=True)
