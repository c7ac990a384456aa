"""Socket.IO handlers: authentication at connect (`io(url, {auth: {token, offset}})`) or later
(`authenticate {token, offset}`), with rooms from the verified identity only."""

from __future__ import annotations

from flask import request
from flask_jwt_extended import decode_token
from flask_jwt_extended.exceptions import JWTExtendedException
from flask_socketio import ConnectionRefusedError, emit
from jwt.exceptions import PyJWTError

from .. import tokens
from ..extensions import socketio
from ..schemas.users import UserSchema
from ..services import audit, auth
from ..services.errors import NotFound
from .events import rooms_for
from .sockets import Sockets

sockets: Sockets | None = None  # this worker's, set by init_realtime


class InvalidSocketToken(Exception):
    pass


def _verify(token) -> dict:
    """Claims of a valid, unexpired, unrevoked access token; refresh tokens are refused."""
    if not isinstance(token, str) or not token:
        raise InvalidSocketToken("A token is required.")
    try:
        claims = decode_token(token)
    except (PyJWTError, JWTExtendedException) as exc:
        raise InvalidSocketToken("The token is invalid or expired.") from exc
    if claims.get("type") != "access":
        raise InvalidSocketToken("An access token is required.")
    reason = tokens.refusal(claims)
    if reason:
        raise InvalidSocketToken(reason)
    return claims


def _credentials(data) -> tuple[object, str | None]:
    if not isinstance(data, dict):
        return None, None
    offset = data.get("offset")
    return data.get("token"), offset if isinstance(offset, str) else None


def _log_as(claims: dict | None = None) -> None:
    """Log lines (and audit rows) of a socket carry its id in place of a request id."""
    audit.set_actor(
        audit.Actor(
            user_id=int(claims["sub"]) if claims else None,
            role=claims["role"] if claims else None,
            ip=request.remote_addr,
            request_id=f"socket:{request.sid}",
        )
    )


@socketio.on("connect")
def on_connect(auth_data=None):
    _log_as()
    token, offset = _credentials(auth_data)
    if token is None:
        sockets.waiting(request.sid)  # may authenticate later, within SOCKET_AUTH_TIMEOUT
        return True
    try:
        claims = _verify(token)
    except InvalidSocketToken as exc:
        raise ConnectionRefusedError(str(exc)) from None
    _log_as(claims)
    rooms = rooms_for(int(claims["sub"]), claims["role"])
    upto = sockets.join(request.sid, claims, rooms)
    # The replay must follow the CONNECT answer, which is sent when this handler returns.
    socketio.start_background_task(sockets.catch_up, request.sid, rooms, offset, upto)
    return True


@socketio.on("authenticate")
def on_authenticate(data=None):
    _log_as()
    token, offset = _credentials(data)
    try:
        claims = _verify(token)
        user = auth.get_user(int(claims["sub"]))
    except (InvalidSocketToken, NotFound) as exc:
        emit("unauthorized", {"message": str(exc)})
        return
    emit("authenticated", {"user": UserSchema().dump(user)})
    rooms = rooms_for(int(claims["sub"]), claims["role"])
    sockets.catch_up(request.sid, rooms, offset, sockets.join(request.sid, claims, rooms))


@socketio.on("disconnect")
def on_disconnect(reason=None):
    eio_sid = socketio.server.manager.eio_sid_from_sid(request.sid, "/")
    sockets.closed(eio_sid)
    # Only the default namespace is used: a socket that leaves it leaves the transport too.
    socketio.start_background_task(socketio.server.eio.disconnect, eio_sid)
