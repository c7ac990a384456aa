"""This worker's sockets: who is connected, delivery of the bus's events to them, catch-up
(replay) when a client comes back with its offset, and closing the connections that must go.

Connections are tracked at the Engine.IO level (the transport), so that closing one really
closes it: one that never authenticates within SOCKET_AUTH_TIMEOUT (whether or not it sent the
Socket.IO CONNECT), one whose token expires without a fresh one, one whose user is suspended
or whose login session ended. Unauthenticated connections are also capped per client address.

Catch-up without a gap or a repeat: the socket's events are held in a buffer while it joins
its rooms and reads `hwm` (the last id this worker delivered) with no switch in between; the
bus replays (offset, hwm]; then the buffer (ids above both) is flushed and the socket is live.
"""

from __future__ import annotations

import functools
import heapq
import logging
import time
from collections import Counter, deque
from dataclasses import dataclass

from engineio import packet as eio_packet

from .. import metrics, tokens
from .bus import Bus, Delivered, Receiver, StreamId, format_offset, parse_offset
from .transport import deliver, frame, serve_websocket

log = logging.getLogger(__name__)

NAMESPACE = "/"
SWEEP_SECONDS = 0.25


@dataclass
class Connection:
    eio_sid: str
    ip: str
    deadline: float  # when to close: the auth timeout, then the token's expiry
    user_id: int | None = None
    session: str | None = None  # the login session (refresh token jti) of its token


def client_address(environ: dict, trusted_proxies: int) -> str:
    if trusted_proxies:
        forwarded = [part.strip() for part in environ.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        if len(forwarded) >= trusted_proxies and forwarded[-trusted_proxies]:
            return forwarded[-trusted_proxies]
    return environ.get("REMOTE_ADDR", "?")


class Sockets(Receiver):
    def __init__(
        self, socketio, bus: Bus, auth_timeout: float, per_ip_cap: int, trusted_proxies: int
    ):
        self.socketio = socketio
        self.bus = bus
        self.auth_timeout = auth_timeout
        self.per_ip_cap = per_ip_cap
        self.trusted_proxies = trusted_proxies
        self.connections: dict[str, Connection] = {}  # by Engine.IO sid
        self._deadlines: list[tuple[float, str]] = []  # (deadline, eio sid), soonest first
        self._unauthenticated: Counter[str] = Counter()  # by client address
        self._recovering: dict[str, list[Delivered]] = {}  # Socket.IO sid -> held events
        self.hwm: StreamId = (0, 0)  # the last event id delivered here
        self._pings: deque[tuple[float, object]] = deque()  # (when, Engine.IO socket), in order
        self._sweeper_started = False

    @property
    def server(self):
        return self.socketio.server

    # --- Engine.IO connections ----------------------------------------------------------------

    def opened(self, eio_sid: str, environ: dict) -> bool:
        ip = client_address(environ, self.trusted_proxies)
        if self._unauthenticated[ip] >= self.per_ip_cap:
            log.warning("refused a socket from %s: too many unauthenticated connections", ip)
            return False
        self._unauthenticated[ip] += 1
        self._track(Connection(eio_sid, ip, time.time() + self.auth_timeout))
        self._start_sweeper()
        transport = self.server.eio.sockets.get(eio_sid)
        if transport is not None:
            transport.schedule_ping = functools.partial(self._schedule_ping, transport)
            transport._websocket_handler = functools.partial(serve_websocket, transport)
        return True

    def closed(self, eio_sid: str) -> None:
        connection = self.connections.pop(eio_sid, None)
        if connection is not None and connection.user_id is None:
            self._release_slot(connection.ip)

    def _release_slot(self, ip: str) -> None:
        self._unauthenticated[ip] -= 1
        if self._unauthenticated[ip] <= 0:
            del self._unauthenticated[ip]

    def _track(self, connection: Connection) -> None:
        self.connections[connection.eio_sid] = connection
        heapq.heappush(self._deadlines, (connection.deadline, connection.eio_sid))

    def waiting(self, sid: str) -> None:
        """A socket connected without a token: its auth deadline runs."""
        self._connection(sid)

    def _connection(self, sid: str) -> Connection:
        eio_sid = self.server.manager.eio_sid_from_sid(sid, NAMESPACE)
        connection = self.connections.get(eio_sid)
        if connection is None:  # a test client skips the Engine.IO handshake
            connection = Connection(eio_sid, "?", time.time() + self.auth_timeout)
            self._unauthenticated["?"] += 1
            self._track(connection)
            self._start_sweeper()
        return connection

    def close(self, eio_sid: str) -> None:
        """Tell the client (Socket.IO DISCONNECT), then close the transport itself."""
        self.closed(eio_sid)
        sid = self.server.manager.sid_from_eio_sid(eio_sid, NAMESPACE)
        try:
            if sid is not None:
                self.server.disconnect(sid, namespace=NAMESPACE)
            self.server.eio.disconnect(eio_sid)
        except Exception:  # already gone
            log.debug("closing %s failed", eio_sid, exc_info=True)

    def _start_sweeper(self) -> None:
        if not self._sweeper_started:
            self._sweeper_started = True
            self.socketio.start_background_task(self._sweep)

    def _schedule_ping(self, transport) -> None:
        """Engine.IO's heartbeat without its greenlet per socket, each asleep for the ping
        interval (~7 KiB of an idle socket's 62, bench/README.md): the next PING is queued
        here and sent by the sweeper. The interval is the same for every socket, so the queue
        is in time order."""
        if transport.last_ping:  # as engineio's own: once per PONG
            transport.last_ping = None
            self._pings.append((time.monotonic() + self.server.eio.ping_interval, transport))

    def _send_pings(self) -> None:
        now, ping = time.monotonic(), eio_packet.Packet(eio_packet.PING)
        while self._pings and self._pings[0][0] <= now:
            transport = self._pings.popleft()[1]
            if not transport.closing and not transport.closed:
                transport.last_ping = time.time()
                transport.send(ping)

    def _sweep(self) -> None:
        """Send the PINGs that are due; close connections past their deadline (looking only at
        deadlines that have passed)."""
        while True:
            self.socketio.sleep(SWEEP_SECONDS)
            self._send_pings()
            now = time.time()
            while self._deadlines and self._deadlines[0][0] <= now:
                deadline, eio_sid = heapq.heappop(self._deadlines)
                connection = self.connections.get(eio_sid)
                if connection is not None and connection.deadline == deadline:
                    self.close(eio_sid)

    # --- authentication and catch-up ----------------------------------------------------------

    def join(self, sid: str, claims: dict, rooms: tuple[str, ...]) -> StreamId:
        """Put an authenticated socket in its identity's rooms, holding its live events until
        `catch_up`; returns the last id delivered here before it joined."""
        connection = self._connection(sid)
        if connection.user_id is None:
            self._release_slot(connection.ip)
        elif connection.user_id != int(claims["sub"]):
            for room in self.server.manager.get_rooms(sid, NAMESPACE):
                if room != sid:
                    self.server.leave_room(sid, room, namespace=NAMESPACE)
        connection.user_id = int(claims["sub"])
        connection.session = tokens.login_session(claims)
        connection.deadline = float(claims["exp"])
        self._track(connection)
        self._recovering.setdefault(sid, [])
        for room in rooms:
            self.server.enter_room(sid, room, namespace=NAMESPACE)
        return self.hwm  # read with no switch since joining: every later event is held

    def catch_up(
        self, sid: str, rooms: tuple[str, ...], offset: str | None, upto: StreamId
    ) -> None:
        """Replay what the client missed since `offset` (or tell it to resync), then
        `ready {offset}` (where live delivery starts), then the held events: no gap, no repeat."""
        eio_sid = self.server.manager.eio_sid_from_sid(sid, NAMESPACE)
        live_from = upto
        try:
            if offset is not None:
                started = time.perf_counter()
                replayed = self.bus.replay(rooms, offset, upto)
                if replayed is None:
                    self._emit(sid, "resync", {})
                else:
                    for event in replayed:
                        self._send(eio_sid, event.packet)
                    self._emit(sid, "recovered", {"replayed": len(replayed)})
                    live_from = max(upto, parse_offset(offset)[1])
                    metrics.CATCH_UP.observe(time.perf_counter() - started)
                    metrics.REPLAYED.inc(len(replayed))
            self._emit(sid, "ready", {"offset": format_offset(self.bus.epoch, live_from)})
            for event in self._recovering.get(sid, ()):
                if event.id > live_from:
                    self._send(eio_sid, event.packet)
        finally:
            self._recovering.pop(sid, None)

    def _emit(self, sid: str, name: str, payload: dict) -> None:
        self.server.emit(name, payload, to=sid, namespace=NAMESPACE)

    def _send(self, eio_sid: str, packet: str) -> None:
        self.server._send_eio_packet(eio_sid, eio_packet.Packet(eio_packet.MESSAGE, packet))

    # --- the bus ------------------------------------------------------------------------------

    def on_start(self, last: StreamId | None) -> None:
        if last is not None and last > self.hwm:
            self.hwm = last

    def on_events(self, events: list[Delivered]) -> None:
        """A commit's events to their sockets: each socket's share in order, in one write."""
        manager = self.server.manager
        packets = [eio_packet.Packet(eio_packet.MESSAGE, event.packet) for event in events]
        shares: dict[str, list[int]] = {}  # eio sid -> indexes of its events
        for n, event in enumerate(events):
            for sid, eio_sid in manager.get_participants(NAMESPACE, list(event.rooms)):
                held = self._recovering.get(sid)
                if held is not None:
                    held.append(event)
                else:
                    shares.setdefault(eio_sid, []).append(n)
            self.hwm = event.id
        built: dict[tuple[int, ...], tuple[list, bytes]] = {}  # most sockets share their events
        for eio_sid, share in shares.items():
            key = tuple(share)
            if key not in built:
                chosen = [packets[n] for n in key]
                built[key] = chosen, b"".join(frame(packet.encode()) for packet in chosen)
            deliver(self.server, eio_sid, *built[key])

    def on_control(self, message: dict) -> None:
        kind = message.get("kind")
        if kind == "resync":
            tokens.forget()
            self.socketio.emit("resync", {}, namespace=NAMESPACE)
        elif kind == "drop_user":
            tokens.forget(user_id=message["user_id"])
            self._close_where(lambda c: c.user_id == message["user_id"])
        elif kind == "revoke":
            tokens.forget(session=message["session"])
            self._close_where(lambda c: c.session == message["session"])

    def _close_where(self, matches) -> None:
        for connection in [c for c in self.connections.values() if matches(c)]:
            self.close(connection.eio_sid)

    def counts(self) -> tuple[int, int]:
        """(authenticated, unauthenticated) connections on this worker."""
        authenticated = sum(1 for c in self.connections.values() if c.user_id is not None)
        return authenticated, len(self.connections) - authenticated
