"""Socket.IO: connections and catch-up (sockets.py, handlers.py), the registry that turns
committed changes into events (events.py), and the bus that orders, keeps and carries them to
every worker process (bus.py)."""

from __future__ import annotations

from flask import Flask

from .. import metrics, tokens
from ..extensions import socketio
from ..services import changes
from . import events, handlers
from .bus import Bus, MemoryBus, RedisBus, Retention
from .sockets import Sockets

__all__ = ["init_realtime", "message_queue_status"]

_bus: Bus | None = None


def _origin_checker(frontend_url: str | None, public_url: str | None, trusted_proxies: int):
    """The app's public origin (PUBLIC_URL) or, without one, its own origin as the browser saw
    it (the proxy's X-Forwarded-* headers are believed only behind TRUSTED_PROXY_COUNT
    proxies); and FRONTEND_URL. Never `*`."""

    def allowed(origin: str | None, environ: dict) -> bool:
        if public_url:
            own = public_url
        else:
            host, scheme = environ.get("HTTP_HOST", ""), environ.get("wsgi.url_scheme", "http")
            if trusted_proxies:
                host = environ.get("HTTP_X_FORWARDED_HOST", host).split(",")[0].strip()
                scheme = environ.get("HTTP_X_FORWARDED_PROTO", scheme).split(",")[0].strip()
            own = f"{scheme}://{host}"
        return origin is not None and origin in {own, frontend_url}

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


def publish(change_set: changes.ChangeSet) -> None:
    """Called once per committed transaction (never for a rollback or an idempotent replay)."""
    batch = events.outgoing(change_set)
    market = ("market",) if any(True for _ in change_set.of(changes.MarketChanged)) else ()
    if batch or market:
        _bus.publish(batch, flags=market)
        for event in batch:
            metrics.EVENTS.labels(event.name).inc()
    for funded in change_set.of(changes.Funded):
        metrics.count_funding(funded.investment.source.value, funded.investment.amount)
    for fact in change_set.of(changes.UserSuspended):
        _bus.control({"kind": "drop_user", "user_id": fact.user_id}, revocation=True)
    for fact in change_set.of(changes.SessionRevoked):
        _bus.control({"kind": "revoke", "session": fact.session}, revocation=True)


def message_queue_status() -> str:
    return _bus.status() if _bus is not None else "disabled"


def init_realtime(app: Flask) -> None:
    global _bus
    config = app.config
    serving = config["SERVING"]
    retention = Retention(config["EVENT_RETENTION_SECONDS"], config["EVENT_RETENTION_COUNT"])
    if config["REDIS_URL"]:
        _bus = RedisBus(config["REDIS_URL"], config["REDIS_CHANNEL"], retention)
    else:
        _bus = MemoryBus(retention)
    socketio.init_app(
        app,
        async_mode=config["ASYNC_MODE"] if serving else "threading",
        cors_allowed_origins=_origin_checker(
            config["FRONTEND_URL"], config["PUBLIC_URL"], config["TRUSTED_PROXY_COUNT"]
        ),
        max_http_buffer_size=64 * 1024,
        ping_interval=config["SOCKET_PING_INTERVAL"],
        ping_timeout=config["SOCKET_PING_TIMEOUT"],
        manage_session=False,
    )
    app.wsgi_app = decline_websocket_compression(app.wsgi_app)
    sockets = Sockets(
        socketio,
        _bus,
        auth_timeout=config["SOCKET_AUTH_TIMEOUT"],
        per_ip_cap=config["UNAUTHENTICATED_SOCKETS_PER_IP"],
        trusted_proxies=config["TRUSTED_PROXY_COUNT"],
    )
    handlers.sockets = sockets
    tokens.trust_cache_unless(_bus.revocations_pending)
    _track_transports(sockets)
    changes.subscribe(publish)
    if isinstance(_bus, MemoryBus):
        _bus.listen(sockets)
    elif serving:
        socketio.start_background_task(_bus.listen, sockets)
    app.extensions["invoiceapp.sockets"] = sockets
    app.extensions["invoiceapp.bus"] = _bus
    metrics.GAUGES.add(
        "invoiceapp_socket_connections",
        "Socket.IO connections on this worker",
        lambda: [
            ({"state": "authenticated"}, sockets.counts()[0]),
            ({"state": "unauthenticated"}, sockets.counts()[1]),
        ],
    )
    metrics.GAUGES.add(
        "invoiceapp_message_queue_up",
        "1 if the message queue answers (or none is configured), else 0",
        lambda: [({}, 0 if _bus.status() == "down" else 1)],
    )


def _track_transports(sockets: Sockets) -> None:
    """See every Engine.IO connection open and close, CONNECT packet or not."""
    eio = socketio.server.eio
    on_connect, on_disconnect = eio.handlers["connect"], eio.handlers["disconnect"]

    def connect(eio_sid, environ):
        if not sockets.opened(eio_sid, environ):
            return False
        return on_connect(eio_sid, environ)

    def disconnect(eio_sid, *args):
        sockets.closed(eio_sid)
        return on_disconnect(eio_sid, *args)

    eio.on("connect", connect)
    eio.on("disconnect", disconnect)
