import uuid
from datetime import UTC, datetime

from flask import current_app, request
from flask_jwt_extended import create_access_token, create_refresh_token, get_jwt

from .. import tokens
from ..extensions import limiter
from ..schemas.common import ErrorSchema
from ..schemas.users import (
    AccessTokenSchema,
    AuthResponseSchema,
    LoginSchema,
    PreferencesSchema,
    RegisterSchema,
    UserResponseSchema,
)
from ..services import auth
from .parsing import Blueprint
from .security import auth_required, current_user_id

blp = Blueprint("auth", __name__, url_prefix="/api/auth", description="Accounts and tokens")


def _tokens_for(user) -> dict:
    """A login session: a refresh token, and access tokens that name it (`rti`) so that
    revoking the refresh token at logout revokes them too."""
    session = str(uuid.uuid4())
    role = user.role.value
    tokens.vouch(user.id, session)
    return {
        "user": user,
        "access_token": create_access_token(
            str(user.id), additional_claims={"role": role, "rti": session}
        ),
        "refresh_token": create_refresh_token(
            str(user.id), additional_claims={"role": role, "jti": session}
        ),
    }


def _login_account() -> str:
    """Rate-limit key: the account being guessed at, whatever address the guesses come from."""
    try:
        email = (request.get_json(silent=True) or {}).get("email")
    except Exception:
        email = None
    return f"login-account:{str(email).strip().lower()[:254] if email else '-'}"


def _audit_lockout(limit) -> None:
    auth.record_lockout(_login_account().removeprefix("login-account:"), str(limit.limit))


@blp.route("/register", methods=["POST"])
@limiter.limit(lambda: current_app.config["REGISTER_RATE_LIMIT"])
@blp.arguments(RegisterSchema)
@blp.response(201, AuthResponseSchema)
@blp.alt_response(409, schema=ErrorSchema, description="email_taken")
@blp.alt_response(429, schema=ErrorSchema, description="rate_limited")
def register(data):
    """Create a seller, investor or buyer account; its wallet gets the demo credit."""
    return _tokens_for(auth.register(**data))


@blp.route("/login", methods=["POST"])
@limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT"], on_breach=_audit_lockout)
@limiter.limit(
    lambda: current_app.config["LOGIN_ACCOUNT_RATE_LIMIT"],
    key_func=_login_account,
    on_breach=_audit_lockout,
)
@blp.arguments(LoginSchema)
@blp.response(200, AuthResponseSchema)
@blp.alt_response(401, schema=ErrorSchema, description="Bad credentials")
@blp.alt_response(403, schema=ErrorSchema, description="account_suspended")
@blp.alt_response(429, schema=ErrorSchema, description="rate_limited (per address and per account)")
def login(data):
    """Exchange email and password for an access and a refresh token."""
    return _tokens_for(auth.authenticate(data["email"], data["password"]))


@blp.route("/refresh", methods=["POST"])
@auth_required(refresh=True)
@blp.response(200, AccessTokenSchema)
def refresh():
    """A new access token, for a refresh token sent as the Bearer token."""
    token = get_jwt()
    claims = {"role": token["role"], "rti": token["jti"]}
    return {"access_token": create_access_token(str(current_user_id()), additional_claims=claims)}


@blp.route("/logout", methods=["POST"])
@auth_required(refresh=True)
@blp.response(204)
def logout():
    """Revoke the refresh token sent as the Bearer token, and every access token made from it:
    they are refused at once, and sockets opened with them are closed."""
    token = get_jwt()
    auth.end_session(current_user_id(), token["jti"], datetime.fromtimestamp(token["exp"], UTC))


@blp.route("/me", methods=["GET"])
@auth_required()
@blp.response(200, UserResponseSchema)
def me():
    """The signed-in user."""
    return {"user": auth.get_user(current_user_id())}


@blp.route("/me", methods=["PATCH"])
@auth_required()
@blp.arguments(PreferencesSchema)
@blp.response(200, UserResponseSchema)
def update_me(data):
    """Change the signed-in user's preferences (email notifications)."""
    return {"user": auth.update_preferences(current_user_id(), data["email_notifications"])}
