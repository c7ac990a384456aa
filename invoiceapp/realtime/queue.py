"""The Redis message queue between worker processes, and what happens when Redis goes away."""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

import redis
import socketio

RETRY_SECONDS = 1.0

_batch = threading.local()  # green-thread local once eventlet or gevent has patched threading


class ResilientRedisManager(socketio.RedisManager):
    """python-socketio's Redis manager, changed in three ways.

    - Outages: the listener retries every second (not with a backoff up to a minute), and when
      it subscribes again it tells this worker's own clients to `resync`, because the events
      published meanwhile were lost.
    - Batches (`published_together`): a commit's events go to Redis first, in one pipeline, so
      the other workers start delivering while this one serves its own sockets.
    - Order of delivery: after queuing an event for every local socket the manager yields, so
      each socket's writer sends it before the commit's next event is queued. All sockets get
      the first event, then all get the second (as Node's socket.io does), instead of the last
      socket waiting behind everyone's two.
    """

    def _redis_listen_with_retries(self):
        lost = False
        while True:
            try:
                self._redis_connect()
                self.pubsub.subscribe(self.channel)
                if lost:
                    lost = False
                    self._get_logger().warning("message queue is back: asking clients to resync")
                    self.server.emit("resync", stamped({}), ignore_queue=True)
                yield from self.pubsub.listen()
            except Exception as exc:
                if not lost:
                    self._get_logger().error("message queue lost: %s", exc)
                lost = True
                self.connected = False
                time.sleep(RETRY_SECONDS)

    def _handle_emit(self, message):
        batch = getattr(_batch, "batch", None)
        if batch is not None:
            batch[0].append(message)
            return
        super()._handle_emit(message)
        self._let_writers_run()

    def _let_writers_run(self):
        self.server.sleep(0)

    def _publish(self, data):
        batch = getattr(_batch, "batch", None)
        if batch is None:
            return super()._publish(data)
        batch[1].append(data)

    def flush(self, local: list, remote: list) -> None:
        if remote:
            self._publish_all(remote)
        for message in local:
            super()._handle_emit(message)
            self._let_writers_run()

    def _publish_all(self, messages: list) -> None:
        for attempt in (1, 2):
            try:
                if not self.connected:
                    self._redis_connect()
                pipe = self.redis.pipeline(transaction=False)
                for message in messages:
                    pipe.publish(self.channel, self.json.dumps(message))
                pipe.execute()
                return
            except Exception as exc:
                self.connected = False
                if attempt == 2:
                    self._get_logger().error(
                        "cannot publish %d events to redis: %s", len(messages), exc
                    )


@contextmanager
def published_together(manager) -> Iterator[None]:
    """The emits made within the block go out when it ends: to the other workers through one
    Redis pipeline, then to this worker's own clients."""
    if not isinstance(manager, ResilientRedisManager):
        yield
        return
    _batch.batch = ([], [])
    try:
        yield
    finally:
        (local, remote), _batch.batch = _batch.batch, None
        manager.flush(local, remote)


_status_client: redis.Redis | None = None


def configure_status_check(url: str | None) -> None:
    global _status_client
    _status_client = (
        redis.Redis.from_url(url, socket_timeout=0.5, socket_connect_timeout=0.5) if url else None
    )


def message_queue_status() -> str:
    if _status_client is None:
        return "disabled"
    try:
        _status_client.ping()
        return "ok"
    except redis.RedisError:
        return "down"


def stamped(payload: dict) -> dict:
    """Every event carries a unique id (clients deduplicate on it) and when it happened."""
    return {
        "event_id": str(uuid.uuid4()),
        "occurred_at": datetime.now(UTC).isoformat(),
        **payload,
    }
