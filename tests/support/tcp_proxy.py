"""A TCP proxy between the app and PostgreSQL that a test can cut and restore, or arm to break
the connection right after it forwards a COMMIT (so the server commits and the client never
hears back: the outcome is unknown to it)."""

from __future__ import annotations

import select
import socket
import threading
import time

# psycopg2 ends a transaction with the simple-query message: 'Q', length, "COMMIT\0".
COMMIT = b"Q\x00\x00\x00\x0bCOMMIT\x00"


class TcpProxy:
    def __init__(self, target_host: str, target_port: int):
        self.target = (target_host, target_port)
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self._lock = threading.Lock()
        self._pairs: list[tuple[socket.socket, socket.socket]] = []
        self._cut = False
        self._commits_to_break = 0
        self.broken_commits = 0
        self._closed = False
        threading.Thread(target=self._accept, daemon=True).start()

    # --- what a test does ---------------------------------------------------------------------

    def cut(self) -> None:
        """The network to the database is gone: open connections die, new ones are refused."""
        with self._lock:
            self._cut = True
            pairs, self._pairs = self._pairs, []
        for pair in pairs:
            self._close(*pair)

    def restore(self) -> None:
        with self._lock:
            self._cut = False

    def break_next_commit(self, count: int = 1) -> None:
        """Forward the next COMMIT(s), then drop that connection before the answer comes back."""
        with self._lock:
            self._commits_to_break += count

    def close(self) -> None:
        self._closed = True
        self.cut()
        self.listener.close()

    # --- the proxy ----------------------------------------------------------------------------

    def _accept(self) -> None:
        while not self._closed:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            with self._lock:
                refused = self._cut
            if refused:
                client.close()
                continue
            try:
                server = socket.create_connection(self.target, timeout=5)
            except OSError:
                client.close()
                continue
            with self._lock:
                self._pairs.append((client, server))
            threading.Thread(target=self._pump, args=(client, server), daemon=True).start()

    def _pump(self, client: socket.socket, server: socket.socket) -> None:
        peers = {client: server, server: client}
        try:
            while True:
                readable, _, _ = select.select(list(peers), [], [], 1.0)
                for sock in readable:
                    data = sock.recv(65536)
                    if not data:
                        return
                    peers[sock].sendall(data)
                    if sock is client and COMMIT in data and self._take_commit():
                        time.sleep(0.2)  # the server reads the COMMIT and commits...
                        return  # ...but its answer never reaches the client
        except OSError:
            return
        finally:
            self._close(client, server)

    def _take_commit(self) -> bool:
        with self._lock:
            if self._commits_to_break <= 0:
                return False
            self._commits_to_break -= 1
            self.broken_commits += 1
            return True

    def _close(self, *socks: socket.socket) -> None:
        for sock in socks:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            sock.close()
        with self._lock:
            self._pairs = [pair for pair in self._pairs if pair[0] not in socks]
