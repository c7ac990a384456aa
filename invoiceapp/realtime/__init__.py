"""Socket.IO: connection handling (handlers.py) and the events of committed changes
(events.py), fanned out to every worker process through Redis (queue.py)."""

from __future__ import annotations

from flask import Flask

from ..extensions import socketio
from ..services import changes
from . import events, handlers  # noqa: F401  (registers the Socket.IO handlers)
from .queue import ResilientRedisManager, configure_status_check, message_queue_status

__all__ = ["init_realtime", "message_queue_status"]


def _origin_checker(frontend_url: str | None, behind_proxy: bool):
    """The app's own origin, as the browser saw it (the proxy's X-Forwarded-* headers are
    believed only when TRUSTED_PROXY_COUNT says there is a proxy), or FRONTEND_URL."""

    def allowed(origin: str | None, environ: dict) -> bool:
        host, scheme = environ.get("HTTP_HOST", ""), environ.get("wsgi.url_scheme", "http")
        if behind_proxy:
            host = environ.get("HTTP_X_FORWARDED_HOST", host).split(",")[0].strip()
            scheme = environ.get("HTTP_X_FORWARDED_PROTO", scheme).split(",")[0].strip()
        return origin in {f"{scheme}://{host}", frontend_url}

    return allowed


def decline_websocket_compression(wsgi_app):
    """WSGI middleware that hides the client's permessage-deflate offer. Our events are small
    JSON; compressing each one once per recipient cost a fifth of the fan-out CPU, and every
    socket's zlib state cost ~90 KiB of memory (bench/README.md). A closure rather than a
    class with __call__, which would add a C frame to the stack every idle WebSocket's
    greenlet keeps a copy of."""

    def middleware(environ, start_response):
        environ.pop("HTTP_SEC_WEBSOCKET_EXTENSIONS", None)
        return wsgi_app(environ, start_response)

    return middleware


def init_realtime(app: Flask) -> None:
    config = app.config
    serving = config["SERVING"]
    options = {}
    if config["REDIS_URL"]:
        # A process that only emits (CLI, jobs) publishes to the queue without listening.
        options["client_manager"] = ResilientRedisManager(
            config["REDIS_URL"], channel=config["REDIS_CHANNEL"], write_only=not serving
        )
    socketio.init_app(
        app,
        async_mode=config["ASYNC_MODE"] if serving else "threading",
        cors_allowed_origins=_origin_checker(
            config["FRONTEND_URL"], bool(config["TRUSTED_PROXY_COUNT"])
        ),
        max_http_buffer_size=64 * 1024,
        manage_session=False,
        **options,
    )
    app.wsgi_app = decline_websocket_compression(app.wsgi_app)
    configure_status_check(config["REDIS_URL"])
    changes.subscribe(events.publish)
