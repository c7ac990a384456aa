"""The built SPA (frontend/dist), with every client-side route falling back to index.html."""

from pathlib import Path

from flask import Blueprint, abort, current_app, send_from_directory

blp = Blueprint("web", __name__)

RESERVED = ("api/", "socket.io")


@blp.route("/", defaults={"path": ""})
@blp.route("/<path:path>")
def spa(path: str):
    if path.startswith(RESERVED) or path in ("api", "socket.io"):
        abort(404)
    dist = Path(current_app.config["FRONTEND_DIST"])
    if path and (dist / path).is_file():
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
