"""The Redis message queue between worker processes, and what happens when Redis goes away."""
from __future__ import annotations

import time
import uuid
from datetime import datetime, timezone

import redis
import socketio

RETRY_SECONDS = 1.0


class ResilientRedisManager(socketio.RedisManager):
    """python-socketio's Redis manager, with two changes: the listener retries every second
    (not with a backoff up to a minute), and when it subscribes again after an outage it tells
    this worker's own clients to `resync`, because events published meanwhile were lost."""

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


_status_client: redis.Redis | None = None


def configure_status_check(url: str | None) -> None:
    global _status_client
    _status_client = redis.Redis.from_url(url, socket_timeout=0.5, socket_connect_timeout=0.5) \
        if url else None


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
    return {"event_id": str(uuid.uuid4()),
            "occurred_at": datetime.now(timezone.utc).isoformat(), **payload}
