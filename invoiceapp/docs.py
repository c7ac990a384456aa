"""/api/docs: Swagger UI for /api/openapi.json, its assets served from the swagger-ui-bundle
package (no CDN is reachable from our users' or our machines)."""

from flask import Blueprint, send_from_directory
from swagger_ui_bundle import swagger_ui_path

blp = Blueprint("docs", __name__, url_prefix="/api/docs")

PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Invoice marketplace API</title>
<link rel="stylesheet" href="/api/docs/assets/swagger-ui.css"></head>
<body><div id="swagger-ui"></div>
<script src="/api/docs/assets/swagger-ui-bundle.js"></script>
<script src="/api/docs/init.js"></script></body></html>"""

INIT = "window.ui = SwaggerUIBundle({url: '/api/openapi.json', dom_id: '#swagger-ui'});"


@blp.route("")
def page():
    return PAGE, 200, {"Content-Type": "text/html; charset=utf-8"}


@blp.route("/init.js")
def init_script():
    return INIT, 200, {"Content-Type": "text/javascript; charset=utf-8"}


@blp.route("/assets/<path:filename>")
def assets(filename: str):
    return send_from_directory(swagger_ui_path, filename)
