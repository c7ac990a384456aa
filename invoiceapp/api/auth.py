from datetime import UTC, datetime

from flask import current_app
from flask_jwt_extended import create_access_token, create_refresh_token, get_jwt
from flask_smorest import Blueprint

from ..extensions import limiter
from ..schemas import (
    AccessTokenSchema,
    AuthResponseSchema,
    ErrorSchema,
    LoginSchema,
    RegisterSchema,
    UserResponseSchema,
)
from ..services import auth
from .security import auth_required, current_user_id

blp = Blueprint("auth", __name__, url_prefix="/api/auth", description="Accounts and tokens")


def _tokens_for(user) -> dict:
    identity, claims = str(user.id), {"role": user.role.value}
    return {
        "user": user,
        "access_token": create_access_token(identity, additional_claims=claims),
        "refresh_token": create_refresh_token(identity, additional_claims=claims),
    }


@blp.route("/register", methods=["POST"])
@limiter.limit(lambda: current_app.config["REGISTER_RATE_LIMIT"])
@blp.arguments(RegisterSchema)
@blp.response(201, AuthResponseSchema)
@blp.alt_response(409, schema=ErrorSchema, description="email_taken")
@blp.alt_response(429, schema=ErrorSchema, description="rate_limited")
def register(data):
    """Create a seller or investor account; its wallet gets the demo credit."""
    return _tokens_for(auth.register(**data))


@blp.route("/login", methods=["POST"])
@limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT"])
@blp.arguments(LoginSchema)
@blp.response(200, AuthResponseSchema)
@blp.alt_response(401, schema=ErrorSchema, description="Bad credentials")
@blp.alt_response(429, schema=ErrorSchema, description="rate_limited")
def login(data):
    """Exchange email and password for an access and a refresh token."""
    return _tokens_for(auth.authenticate(data["email"], data["password"]))


@blp.route("/refresh", methods=["POST"])
@auth_required(refresh=True)
@blp.response(200, AccessTokenSchema)
def refresh():
    """A new access token, for a refresh token sent as the Bearer token."""
    claims = {"role": get_jwt()["role"]}
    return {"access_token": create_access_token(str(current_user_id()), additional_claims=claims)}


@blp.route("/logout", methods=["POST"])
@auth_required(refresh=True)
@blp.response(204)
def logout():
    """Revoke the refresh token sent as the Bearer token."""
    token = get_jwt()
    auth.revoke_token(token["jti"], datetime.fromtimestamp(token["exp"], UTC))


@blp.route("/me", methods=["GET"])
@auth_required()
@blp.response(200, UserResponseSchema)
def me():
    """The signed-in user."""
    return {"user": auth.get_user(current_user_id())}
