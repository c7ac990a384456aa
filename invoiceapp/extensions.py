"""The shared objects, created unbound here and bound to the app in create_app()."""

from flask_jwt_extended import JWTManager
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_smorest import Api as SmorestApi
from flask_socketio import SocketIO

from .schemas.common import ErrorSchema


class Api(SmorestApi):
    # Document the API's error envelope instead of flask-smorest's own.
    ERROR_SCHEMA = ErrorSchema


api = Api()
jwt = JWTManager()
limiter = Limiter(
    key_func=get_remote_address,
    strategy="fixed-window",
    swallow_errors=True,
    in_memory_fallback_enabled=True,
)
socketio = SocketIO()
