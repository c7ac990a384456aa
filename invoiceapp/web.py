"""The built SPA (frontend/dist). No catch-all route: a GET that matches no route outside /api
and /socket.io gets a file of the build or index.html (the SPA's client-side routes), so every
/api path keeps its true 404 or 405."""

from pathlib import Path

from flask import Flask, current_app, request, send_from_directory
from werkzeug.exceptions import NotFound

from .api.errors import http_error_response

RESERVED = ("/api/", "/socket.io/")


def _is_spa_request() -> bool:
    path = request.path
    return request.method in ("GET", "HEAD") and not (
        path.startswith(RESERVED) or path in ("/api", "/socket.io", "/metrics")
    )


def serve_spa(app: Flask) -> None:
    @app.route("/")
    def index():
        return _spa("")

    @app.errorhandler(NotFound)
    def not_found(error: NotFound):
        if _is_spa_request():
            return _spa(request.path.lstrip("/"))
        return http_error_response(error)


def _spa(path: str):
    dist = Path(current_app.config["FRONTEND_DIST"])
    if path and (dist / path).is_file() and dist in (dist / path).resolve().parents:
        response = send_from_directory(dist, path)
        if path.startswith("assets/"):  # content-hashed names: cache forever
            response.cache_control.max_age = 31536000
            response.cache_control.immutable = True
        return response
    if not (dist / "index.html").is_file():
        return (
            "The web app is not built: run `make frontend` (or `make run`).",
            503,
            {"Content-Type": "text/plain; charset=utf-8"},
        )
    response = send_from_directory(dist, "index.html")
    response.cache_control.no_cache = True
    return response
