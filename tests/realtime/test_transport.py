"""Connections are closed at the transport level, not just told to go: raw WebSocket clients
that answer every ping, on real workers. And revocations (logout, suspension) reach every
worker at once. The direct writes (invoiceapp/realtime/transport.py) on a real socket pair: a
reader that stops does not block the sender, and gets every frame, whole and in order."""

from __future__ import annotations

import json
import select
import socket
import struct
import threading
import time
from datetime import UTC, datetime, timedelta

import jwt
import pytest
import requests
import socketio
import websocket
from engineio import packet as eio_packet

from deploy.cluster import Cluster
from invoiceapp.realtime import transport

from .conftest import FAST_ENV, Listener, make_cluster, register, require_redis

pytestmark = [pytest.mark.postgres, pytest.mark.slow]

AUTH_TIMEOUT = 2


@pytest.fixture(scope="module")
def cluster(cluster_database):
    require_redis()
    env = {
        **FAST_ENV,
        "SOCKET_AUTH_TIMEOUT": str(AUTH_TIMEOUT),
        "UNAUTHENTICATED_SOCKETS_PER_IP": "8",
    }
    running = make_cluster(cluster_database, "eventlet", env=env).start()
    yield running
    running.stop()


class RawSocket:
    """Engine.IO v4 over a WebSocket, by hand: it answers pings, so only the server's own
    decision can close it."""

    def __init__(self, base_url: str):
        url = base_url.replace("http://", "ws://") + "/socket.io/?EIO=4&transport=websocket"
        self.ws = websocket.create_connection(url, timeout=1)
        assert self.ws.recv().startswith("0")  # OPEN
        self.pings = 0

    def send(self, packet: str) -> None:
        self.ws.send(packet)

    def closed_within(self, seconds: float, answer_pings: bool = True) -> float | None:
        """Seconds until the server closed the transport, or None if it stayed open."""
        started = time.monotonic()
        while time.monotonic() - started < seconds:
            try:
                frame = self.ws.recv()
            except websocket.WebSocketTimeoutException:
                continue
            except (websocket.WebSocketConnectionClosedException, ConnectionError, OSError):
                return time.monotonic() - started
            if frame == "2":  # ping
                self.pings += 1
                if answer_pings:
                    self.ws.send("3")
            elif frame == "":
                return time.monotonic() - started
        return None

    def close(self) -> None:
        self.ws.close()


@pytest.fixture(scope="module")
def fast_heartbeat(cluster_database):
    """One worker that pings every second and waits a second for the PONG."""
    require_redis()
    env = {**FAST_ENV, "SOCKET_PING_INTERVAL": "1", "SOCKET_PING_TIMEOUT": "1"}
    with Cluster(workers=1, database_url=cluster_database, env=env) as running:
        yield running


def test_the_heartbeat_keeps_answering_sockets_and_closes_silent_ones(fast_heartbeat):
    url = fast_heartbeat.worker_urls[0]
    investor = register(url, "investor")
    answering, silent = RawSocket(url), RawSocket(url)
    for raw in (answering, silent):
        raw.send("40" + json.dumps({"token": investor["access_token"]}))
    assert answering.closed_within(5) is None
    assert answering.pings >= 3  # one a second, each after the last PONG
    closed_after = silent.closed_within(3, answer_pings=False)
    assert closed_after is not None and silent.pings == 1  # one PING, no PONG: closed
    answering.close()


def test_sockets_that_leave_are_closed_once(fast_heartbeat):
    """A client's goodbye (Engine.IO CLOSE, then the WebSocket's close frame) closes the
    connection once: a second close would log an error for every socket that leaves."""
    url = fast_heartbeat.worker_urls[0]
    investor = register(url, "investor")
    for _ in range(5):
        Listener(url, investor["access_token"]).client.disconnect()
    time.sleep(0.5)
    log = (fast_heartbeat.log_dir / "worker-0.log").read_text()
    assert "socket shutdown error" not in log


def short_token(cluster, user: dict, seconds: int) -> str:
    claims = jwt.decode(user["access_token"], options={"verify_signature": False})
    now = datetime.now(UTC)
    claims.update(iat=now, nbf=now, exp=now + timedelta(seconds=seconds))
    return jwt.encode(claims, cluster.secret, algorithm="HS256")


def test_a_socket_that_never_sends_connect_is_closed(cluster):
    raw = RawSocket(cluster.worker_urls[0])
    assert raw.closed_within(AUTH_TIMEOUT + 2.5) is not None


def test_a_socket_that_connects_without_authenticating_is_closed(cluster):
    raw = RawSocket(cluster.worker_urls[0])
    raw.send("40")  # CONNECT to "/", no auth
    assert raw.closed_within(AUTH_TIMEOUT + 2.5) is not None


def test_a_socket_whose_token_expires_is_closed_unless_renewed(cluster):
    a, _ = cluster.worker_urls
    investor = register(a, "investor")
    expiring, renewed = RawSocket(a), RawSocket(a)
    token = short_token(cluster, investor, seconds=AUTH_TIMEOUT + 2)
    for raw in (expiring, renewed):
        raw.send("40" + json.dumps({"token": token}))
    renewed.send("42" + json.dumps(["authenticate", {"token": investor["access_token"]}]))
    closed_after = expiring.closed_within(AUTH_TIMEOUT + 5)
    assert closed_after is not None and closed_after > AUTH_TIMEOUT  # not the auth timeout
    assert renewed.closed_within(1.5) is None
    renewed.close()


def test_unauthenticated_connections_are_capped_per_address(cluster):
    b = cluster.worker_urls[1]
    held = [RawSocket(b) for _ in range(8)]
    with pytest.raises((websocket.WebSocketBadStatusException, AssertionError, ConnectionError)):
        RawSocket(b)
    for raw in held:
        raw.close()
    time.sleep(0.3)
    RawSocket(b).close()  # slots come back when connections go


def test_logout_on_one_worker_refuses_the_access_token_on_the_other_and_closes_its_sockets(cluster):
    a, b = cluster.worker_urls
    investor = register(a, "investor")
    on_b = Listener(b, investor["access_token"])
    on_b.wait_for("ready")
    assert (
        requests.get(f"{b}/api/auth/me", headers=investor["headers"], timeout=5).status_code == 200
    )
    logout = requests.post(
        f"{a}/api/auth/logout",
        headers={"Authorization": f"Bearer {investor['refresh_token']}"},
        timeout=5,
    )
    assert logout.status_code == 204
    assert (
        requests.get(f"{b}/api/auth/me", headers=investor["headers"], timeout=5).status_code == 401
    )
    deadline = time.monotonic() + 5
    while on_b.client.connected and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not on_b.client.connected
    with pytest.raises(socketio.exceptions.ConnectionError):
        Listener(b, investor["access_token"])


def test_a_suspension_takes_effect_at_once_on_every_worker(cluster):
    from config import TestConfig
    from invoiceapp import create_app
    from invoiceapp.services import auth

    a, b = cluster.worker_urls
    investor = register(b, "investor")
    live = Listener(b, investor["access_token"])
    live.wait_for("ready")
    create_app(
        TestConfig(cluster.database_url, REDIS_URL=cluster.redis_url, REDIS_CHANNEL=cluster.channel)
    )
    auth.set_suspended(investor["user"]["id"], True)  # as the operator's request would
    for url in (a, b):
        assert (
            requests.get(f"{url}/api/auth/me", headers=investor["headers"], timeout=5).status_code
            == 401
        )
    deadline = time.monotonic() + 5
    while live.client.connected and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not live.client.connected


class PlainWebSocket:
    """The parts of eventlet's WebSocket that DirectWriter uses, over a real socket: `socket`
    waits for room as a green socket would, `socket.fd` is the non-blocking socket under it."""

    class Waiting:
        def __init__(self, raw: socket.socket):
            self.fd = raw

        def sendall(self, data: bytes) -> None:
            while data:
                select.select([], [self.fd], [])
                try:
                    data = data[self.fd.send(data) :]
                except BlockingIOError:
                    pass

    def __init__(self, raw: socket.socket):
        raw.setblocking(False)
        self.socket = self.Waiting(raw)
        self._sendlock = threading.Lock()
        self.websocket_closed = False

    def close(self) -> None:
        self.websocket_closed = True


def spawn(target):
    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    return thread


def read_frames(sock: socket.socket, count: int) -> list[str]:
    """Text frames as a client reads them (RFC 6455 §5.2, unmasked)."""
    stream = sock.makefile("rb")
    messages = []
    for _ in range(count):
        opcode, length = stream.read(2)
        assert opcode == 0x81
        if length == 126:
            (length,) = struct.unpack("!H", stream.read(2))
        elif length == 127:
            (length,) = struct.unpack("!Q", stream.read(8))
        messages.append(stream.read(length).decode())
    return messages


def test_frames_carry_every_payload_length():
    for size in (0, 125, 126, 65535, 65536, 200_000):
        server, client = socket.socketpair()
        with server, client:
            client.settimeout(5)
            threading.Thread(target=server.sendall, args=(transport.frame("x" * size),)).start()
            assert read_frames(client, 1) == ["x" * size]


def test_a_reader_that_stops_holds_up_no_sender_and_loses_nothing():
    server, client = socket.socketpair()
    server.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 4096)
    client.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    ws = PlainWebSocket(server)
    writer = transport.DirectWriter(ws, spawn)
    messages = [f"{n:04d}" + "x" * (n % 3 * 900) for n in range(600)]  # ~540 KB, 3 sizes
    started = time.monotonic()
    for message in messages:  # nobody reads: most of it waits in the backlog
        writer.put(eio_packet.Packet(eio_packet.MESSAGE, message))
    assert time.monotonic() - started < 1
    assert writer.backlog
    writer.put(None)  # close once everything is written
    client.settimeout(10)
    assert read_frames(client, len(messages)) == ["4" + m for m in messages]
    writer.join()
    assert ws.websocket_closed and not writer.backlog
    writer.put(eio_packet.Packet(eio_packet.MESSAGE, "too late"))  # after close: dropped
    assert not writer.backlog
    server.close()
    client.close()
