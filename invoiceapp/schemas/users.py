"""Accounts: registration, login, the signed-in user, tokens, buyers."""

from __future__ import annotations

from marshmallow import Schema, ValidationError, fields, validate, validates_schema
from zxcvbn import zxcvbn

from ..models import Role
from .common import PageQuerySchema
from .fields import Paise, Secret, StrictBoolean, Text

SELF_REGISTERED_ROLES = [Role.SELLER, Role.INVESTOR, Role.BUYER]
MIN_PASSWORD_SCORE = 2  # zxcvbn: 0 too guessable ... 4 very unguessable


class RegisterSchema(Schema):
    email = fields.Email(required=True, validate=validate.Length(max=254))
    password = Secret(
        required=True,
        validate=validate.Length(8, 128),
        metadata={"description": "8-128 characters, not a common or easily guessed password"},
    )
    name = Text(required=True, visible=True, validate=validate.Length(1, 100))
    role = fields.Enum(
        Role,
        by_value=True,
        required=True,
        validate=validate.OneOf(SELF_REGISTERED_ROLES),
        metadata={"enum": [role.value for role in SELF_REGISTERED_ROLES]},
    )

    @validates_schema(skip_on_field_errors=True)
    def password_is_strong(self, data, **kwargs):
        """Refuse passwords that appear in breach lists or follow common patterns: they are
        the first an attacker tries. zxcvbn estimates how many guesses a password takes."""
        result = zxcvbn(data["password"], user_inputs=[data["email"], data["name"]])
        if result["score"] < MIN_PASSWORD_SCORE:
            feedback = result["feedback"]
            reasons = [feedback["warning"]] if feedback["warning"] else []
            raise ValidationError(
                [
                    "This password is too easy to guess.",
                    *reasons,
                    *feedback["suggestions"],
                ],
                "password",
            )


class LoginSchema(Schema):
    email = Text(required=True, validate=validate.Length(1, 254))
    password = Secret(required=True, validate=validate.Length(1, 128))


class PreferencesSchema(Schema):
    email_notifications = StrictBoolean(required=True)


class UserSchema(Schema):
    id = fields.Integer(required=True)
    email = fields.String(required=True)
    name = fields.String(required=True)
    role = fields.Enum(Role, by_value=True, required=True)
    created_at = fields.DateTime(required=True)
    email_notifications = fields.Boolean(required=True)
    suspended = fields.Function(
        lambda user: user.suspended_at is not None, required=True, metadata={"type": "boolean"}
    )


class AuthResponseSchema(Schema):
    user = fields.Nested(UserSchema, required=True)
    access_token = fields.String(required=True)
    refresh_token = fields.String(required=True)


class AccessTokenSchema(Schema):
    access_token = fields.String(required=True)


class UserResponseSchema(Schema):
    user = fields.Nested(UserSchema, required=True)


class BuyerQuerySchema(PageQuerySchema):
    q = Text(
        load_default="", validate=validate.Length(max=100), metadata={"description": "Name prefix"}
    )


class BuyerSchema(Schema):
    id = fields.Integer(required=True)
    name = fields.String(required=True)
    credit_limit = fields.Integer(required=True, allow_none=True)
    exposure = fields.Integer(required=True)


class BuyerListSchema(Schema):
    items = fields.List(fields.Nested(BuyerSchema), required=True)


class BuyerResponseSchema(Schema):
    buyer = fields.Nested(BuyerSchema, required=True)


class CreditLimitSchema(Schema):
    credit_limit = Paise(required=True, allow_none=True, minimum=0)


class UserQuerySchema(Schema):
    q = Text(
        load_default="",
        validate=validate.Length(max=100),
        metadata={"description": "Name or email prefix"},
    )
    role = fields.Enum(Role, by_value=True, load_default=None)
    limit = fields.Integer(load_default=50, validate=validate.Range(1, 100))


class UserListSchema(Schema):
    items = fields.List(fields.Nested(UserSchema), required=True)
