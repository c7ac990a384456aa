"""Socket.IO connections: authentication, rooms from the verified identity, and the sweeper
that drops sockets that never authenticated or whose token has expired."""

from __future__ import annotations

import heapq
import time
from dataclasses import dataclass

from flask import current_app, request
from flask_jwt_extended import decode_token
from flask_jwt_extended.exceptions import JWTExtendedException
from flask_socketio import ConnectionRefusedError, emit, join_room, leave_room, rooms
from jwt.exceptions import PyJWTError

from ..extensions import socketio
from ..schemas import UserSchema
from ..services import auth
from ..services.errors import NotFound
from .events import INVESTORS, SELLERS, USERS, user_room


@dataclass
class SocketState:
    deadline: float  # when to disconnect: the auth timeout, then the token's expiry
    user_id: int | None = None


_sockets: dict[str, SocketState] = {}  # this process's sockets, by sid
# (deadline, sid), soonest first; an entry whose deadline is no longer the socket's is stale.
_deadlines: list[tuple[float, str]] = []
_sweeper_started = False
SWEEP_SECONDS = 0.25


class InvalidSocketToken(Exception):
    pass


def _verify(token) -> dict:
    """Claims of a valid, unexpired access token; refresh tokens are refused."""
    if not isinstance(token, str) or not token:
        raise InvalidSocketToken("A token is required.")
    try:
        claims = decode_token(token)
    except (PyJWTError, JWTExtendedException) as exc:
        raise InvalidSocketToken("The token is invalid or expired.") from exc
    if claims.get("type") != "access":
        raise InvalidSocketToken("An access token is required.")
    return claims


def _enter(sid: str, claims: dict) -> None:
    user_id = int(claims["sub"])
    state = _sockets.get(sid)
    if state is not None and state.user_id not in (None, user_id):
        for room in rooms(sid):
            if room != sid:
                leave_room(room, sid)
    role_room = SELLERS if claims.get("role") == "seller" else INVESTORS
    for room in (user_room(user_id), USERS, role_room):
        join_room(room, sid)
    _track(sid, SocketState(deadline=claims["exp"], user_id=user_id))


def _track(sid: str, state: SocketState) -> None:
    _sockets[sid] = state
    heapq.heappush(_deadlines, (state.deadline, sid))


def _start_sweeper() -> None:
    global _sweeper_started
    if not _sweeper_started:
        _sweeper_started = True
        socketio.start_background_task(_sweep, SWEEP_SECONDS)


def _sweep(interval: float) -> None:
    """Disconnect sockets past their deadline; looks only at the deadlines that have passed."""
    while True:
        socketio.sleep(interval)
        now = time.time()
        while _deadlines and _deadlines[0][0] <= now:
            deadline, sid = heapq.heappop(_deadlines)
            state = _sockets.get(sid)
            if state is not None and state.deadline == deadline:
                del _sockets[sid]
                socketio.server.disconnect(sid, namespace="/")


@socketio.on("connect")
def on_connect(auth_data=None):
    _start_sweeper()
    token = auth_data.get("token") if isinstance(auth_data, dict) else None
    if token is None:
        _track(
            request.sid,
            SocketState(deadline=time.time() + current_app.config["SOCKET_AUTH_TIMEOUT"]),
        )
        return True
    try:
        _enter(request.sid, _verify(token))
    except InvalidSocketToken as exc:
        raise ConnectionRefusedError(str(exc)) from None
    return True


@socketio.on("authenticate")
def on_authenticate(data=None):
    token = data.get("token") if isinstance(data, dict) else None
    try:
        claims = _verify(token)
        user = auth.get_user(int(claims["sub"]))
    except (InvalidSocketToken, NotFound) as exc:
        emit("unauthorized", {"message": str(exc)})
        return
    _enter(request.sid, claims)
    emit("authenticated", {"user": UserSchema().dump(user)})


@socketio.on("disconnect")
def on_disconnect(reason=None):
    _sockets.pop(request.sid, None)
