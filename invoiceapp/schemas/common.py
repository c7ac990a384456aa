"""The error envelope, pages and their queries, health, the Idempotency-Key header."""

from __future__ import annotations

from marshmallow import EXCLUDE, Schema, fields, validate

from .fields import Text


class ErrorBodySchema(Schema):
    code = fields.String(required=True)
    message = fields.String(required=True)
    details = fields.Dict(required=True)


class ErrorSchema(Schema):
    error = fields.Nested(ErrorBodySchema, required=True)


class PageQuerySchema(Schema):
    limit = fields.Integer(load_default=50, validate=validate.Range(1, 100))
    cursor = Text(load_default=None, validate=validate.Length(max=200))


class IdempotencyHeaderSchema(Schema):
    class Meta:
        unknown = EXCLUDE

    key = Text(
        data_key="Idempotency-Key",
        load_default=None,
        strip=False,
        validate=validate.Length(1, 255),
        metadata={"description": "Repeat-safe request: the first response is replayed"},
    )


class HealthSchema(Schema):
    status = fields.String(required=True, validate=validate.OneOf(["ok", "down"]))
    database = fields.String(required=True, validate=validate.OneOf(["ok", "down"]))
    message_queue = fields.String(
        required=True, validate=validate.OneOf(["ok", "down", "disabled"])
    )


class LiveSchema(Schema):
    status = fields.String(required=True, validate=validate.OneOf(["ok"]))
