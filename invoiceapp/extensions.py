"""The shared objects, created unbound here and bound to the app in create_app()."""

import time

from flask import current_app
from flask_jwt_extended import JWTManager
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_smorest import Api as SmorestApi
from flask_socketio import SocketIO

from .schemas.common import ErrorSchema


class Api(SmorestApi):
    # Document the API's error envelope instead of flask-smorest's own.
    ERROR_SCHEMA = ErrorSchema


class VerifiedTokens(JWTManager):
    """flask-jwt-extended reads a token three times on every request (its claims, its header,
    then the signature: ~0.15 ms here). A token whose signature this process has checked keeps
    its claims until it expires. What is checked after decoding still runs on every request:
    the token's type, and whether its session was revoked or its user suspended (tokens.py)."""

    KEPT = 10_000

    def __init__(self):
        super().__init__()
        self._verified: dict[tuple[str, str, str | None], dict] = {}

    def _decode_jwt_from_config(self, encoded_token, csrf_value=None, allow_expired=False):
        key = (current_app.config["JWT_SECRET_KEY"], encoded_token, csrf_value)
        claims = self._verified.get(key)
        if claims is not None and time.time() < claims["exp"] and not allow_expired:
            return dict(claims)
        claims = super()._decode_jwt_from_config(encoded_token, csrf_value, allow_expired)
        if not allow_expired and "exp" in claims:
            if len(self._verified) >= self.KEPT:
                self._verified.clear()
            self._verified[key] = dict(claims)
        return claims


api = Api()
jwt = VerifiedTokens()
limiter = Limiter(
    key_func=get_remote_address,
    strategy="fixed-window",
    swallow_errors=True,
    in_memory_fallback_enabled=True,
)
socketio = SocketIO()
