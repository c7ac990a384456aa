"""The WebSocket transport's writes: straight from the greenlet that sends, not through a writer
greenlet per socket.

Engine.IO gives every WebSocket a writer greenlet that waits on the socket's queue. Each event
to each socket was then a queue put, a timer, a switch to that greenlet and a frame built for
that socket alone; and the idle greenlet cost ~10 KiB of an idle socket's 55 (bench/README.md).
Here, once a client has opened its WebSocket directly (as the SPA does), the socket's queue is
replaced by a `DirectWriter`: `put` writes a packet's frame to the non-blocking socket at once,
and `deliver` a commit's events in one write (sockets.py builds those frames once for every
socket that gets the same events: a server's frames are not masked). A client that does not
keep up gets a backlog, drained by a greenlet that lives only while there is one, so a slow
reader never holds up the others and frames never overtake each other.

Anything else (a long-polling client upgrading, a server whose sockets block, a compressed
WebSocket) keeps Engine.IO's own handler.
"""

from __future__ import annotations

import logging
import os
import struct

from engineio import exceptions
from engineio import packet as eio_packet
from engineio.socket import Socket

log = logging.getLogger(__name__)


def frame(message: str | bytes) -> bytes:
    """One unmasked, final WebSocket frame (RFC 6455 §5.2): text for str, binary for bytes."""
    if isinstance(message, str):
        payload, opcode = message.encode(), 0x81
    else:
        payload, opcode = message, 0x82
    length = len(payload)
    if length < 126:
        header = struct.pack("!BB", opcode, length)
    elif length < 65536:
        header = struct.pack("!BBH", opcode, 126, length)
    else:
        header = struct.pack("!BBQ", opcode, 127, length)
    return header + payload


class DirectWriter:
    """Stands in for an Engine.IO socket's queue once its WebSocket is open (only `put` and
    `join` are used then): writes each packet's frame now, or after the backlog."""

    def __init__(self, ws, spawn):
        self.ws = ws
        self.raw = ws.socket.fd  # the non-blocking socket under the green one
        self.lock = ws._sendlock  # the WebSocket's own (it answers the client's pings with it)
        self.spawn = spawn
        self.backlog: list[bytes | None] = []  # None: close once the rest is written
        self.drainer = None
        self.closed = False

    def put(self, pkt) -> None:
        if pkt is not None:
            self.write(frame(pkt.encode()))
        elif not self.closed:
            self.closed = True
            self.backlog.append(None)
            self._drain_later()

    def write(self, data: bytes) -> None:
        """Frames, whole: now, or after the backlog."""
        if self.closed:
            return
        if self.backlog or self.lock.locked():
            self.backlog.append(data)
            self._drain_later()
            return
        try:
            sent = self.raw.send(data)  # never waits: what does not fit now waits in the backlog
        except BlockingIOError:
            sent = 0
        except OSError:  # the client is gone: the reading side sees it and closes
            self.closed = True
            return
        if sent < len(data):
            self.backlog.append(data[sent:])
            self._drain_later()

    def _drain_later(self) -> None:
        if self.drainer is None:
            self.drainer = self.spawn(self._drain)

    def _drain(self) -> None:
        """Write the backlog in order, waiting for the client as long as the socket allows."""
        try:
            while self.backlog:
                data = self.backlog[0]
                if data is None:
                    break
                with self.lock:
                    self.ws.socket.sendall(data)
                del self.backlog[0]
        except OSError:
            self.closed = True
            log.debug("a slow WebSocket client went away", exc_info=True)
        finally:
            self.backlog.clear()
            if self.closed and not self.ws.websocket_closed:  # not already closed by the client
                self.ws.close()
            self.drainer = None

    def join(self) -> None:
        """Until everything put so far is written (Engine.IO's close(wait=True))."""
        drainer = self.drainer
        if drainer is not None:
            drainer.join()


def deliver(server, eio_sid: str, packets: list, frames: bytes) -> None:
    """Packets to one socket (`server`: the Socket.IO server). To a WebSocket that writes
    directly, their `frames`, joined, in one write; to any other (or a test client), one by
    one as Socket.IO sends them."""
    transport = server.eio.sockets.get(eio_sid)
    writer = getattr(transport, "queue", None)
    if not isinstance(writer, DirectWriter):
        for pkt in packets:
            server._send_eio_packet(eio_sid, pkt)
    elif not transport.closed and transport.check_ping_timeout():  # as Engine.IO's send
        writer.write(frames)


def serve_websocket(transport: Socket, ws) -> list:
    """Engine.IO's WebSocket handler for a client that opened its WebSocket directly, with a
    `DirectWriter` for its queue; anything else goes to Engine.IO's own."""
    sock = getattr(ws, "socket", None)
    raw = getattr(sock, "fd", None)
    if (
        transport.connected  # an upgrade from long-polling: the probe handshake is Engine.IO's
        or getattr(ws, "extensions", None)  # compressed frames
        or not hasattr(ws, "_sendlock")
        or not hasattr(ws, "websocket_closed")
        or raw is None
        or os.get_blocking(raw.fileno())
    ):
        return Socket._websocket_handler(transport, ws)
    server = transport.server
    sock.settimeout(server.ping_interval + server.ping_timeout)  # a client must answer pings
    transport.connected = transport.upgraded = True
    queued, writer = transport.queue, DirectWriter(ws, server.start_background_task)
    transport.queue = writer
    while not queued.empty():  # what was sent before the switch (the OPEN packet)
        writer.put(queued.get_nowait())
    while True:
        try:
            message = ws.wait()
        except Exception:  # a broken connection, a bad frame: it ends here
            break
        if message is None or len(message) > server.max_http_buffer_size:
            break
        try:
            transport.receive(eio_packet.Packet(encoded_packet=message))
        except exceptions.UnknownPacketError:
            pass
        except exceptions.SocketIsClosedError:
            break
        except Exception:
            log.exception("%s: receive error", transport.sid)
            break
    writer.put(None)
    writer.join()
    transport.close(wait=False, abort=True, reason=server.reason.TRANSPORT_CLOSE)
    return []
