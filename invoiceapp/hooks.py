"""What every HTTP request goes through: a request id, the audit trail's actor, the Host check,
no chunked bodies, the browser defences on every response, and one access log line."""

from __future__ import annotations

import logging
import re
import time
import uuid
from urllib.parse import urlsplit

from flask import Flask, g, request

from .api.errors import error_response
from .services import audit

access = logging.getLogger("invoiceapp.access")
REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,64}$")


def request_id() -> str | None:
    return getattr(g, "request_id", None)


def _ws_origins(url: str | None) -> list[str]:
    if not url:
        return []
    parts = urlsplit(url)
    socket_scheme = "wss" if parts.scheme == "https" else "ws"
    return [f"{parts.scheme}://{parts.netloc}", f"{socket_scheme}://{parts.netloc}"]


def content_security_policy(frontend_url: str | None, public_url: str | None) -> str:
    connect = " ".join(["'self'", *_ws_origins(public_url), *_ws_origins(frontend_url)])
    return (
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
        f"img-src 'self' data:; font-src 'self'; connect-src {connect}; "
        "frame-ancestors 'none'; object-src 'none'; base-uri 'none'; form-action 'self'"
    )


def register_hooks(app: Flask) -> None:
    policy = content_security_policy(app.config["FRONTEND_URL"], app.config["PUBLIC_URL"])
    access_log = app.config["ACCESS_LOG"]
    allowed_hosts = set(app.config["ALLOWED_HOSTS"])

    @app.before_request
    def start():
        g.started = time.perf_counter()
        given = request.headers.get("X-Request-ID", "")
        g.request_id = given if REQUEST_ID.match(given) else uuid.uuid4().hex
        audit.set_actor(
            audit.Actor(user_id=None, role=None, ip=request.remote_addr, request_id=g.request_id)
        )
        if allowed_hosts and request.host not in allowed_hosts:
            # A page on another name (DNS rebinding) must not reach this app as itself.
            return error_response(
                400, "invalid_host", "This server does not answer to that host name."
            )
        if (
            request.headers.get("Transfer-Encoding", "").lower() == "chunked"
            and request.content_length is None
        ):
            return error_response(
                411,
                "length_required",
                "Send the request body with a Content-Length (chunked bodies are not accepted).",
            )
        return None

    @app.teardown_request
    def forget_actor(error=None):
        audit.set_actor(audit.SYSTEM)  # the thread (in tests) or greenlet may serve others next

    @app.after_request
    def finish(response):
        response.headers["X-Request-ID"] = request_id() or ""
        response.headers["Content-Security-Policy"] = policy
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["Referrer-Policy"] = "strict-origin-when-cross-origin"
        if request.is_secure:
            response.headers["Strict-Transport-Security"] = "max-age=63072000; includeSubDomains"
        if access_log:
            access.info(
                "%s %s %s",
                request.method,
                request.path,
                response.status_code,
                extra={
                    "method": request.method,
                    "path": request.path,  # never the query string
                    "status": response.status_code,
                    "duration_ms": round((time.perf_counter() - g.started) * 1000, 2),
                },
            )
        return response
