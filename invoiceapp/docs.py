"""/api/docs: Swagger UI for /api/openapi.json (its assets served from the swagger-ui-bundle
package: no CDN is reachable from our users' or our machines), and /api/asyncapi.json, the
AsyncAPI document of the Socket.IO events."""

from flask import Blueprint, jsonify, send_from_directory
from swagger_ui_bundle import swagger_ui_path

from . import asyncapi
from .extensions import api

blp = Blueprint("docs", __name__, url_prefix="/api")

PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Invoice marketplace API</title>
<link rel="stylesheet" href="/api/docs/assets/swagger-ui.css"></head>
<body><p style="font-family: sans-serif; margin: 1em 2em">REST: <a href="/api/openapi.json">OpenAPI
document</a> (below). Socket.IO events: <a href="/api/asyncapi.json">AsyncAPI document</a>.</p>
<div id="swagger-ui"></div>
<script src="/api/docs/assets/swagger-ui-bundle.js"></script>
<script src="/api/docs/init.js"></script></body></html>"""

INIT = "window.ui = SwaggerUIBundle({url: '/api/openapi.json', dom_id: '#swagger-ui'});"


@blp.route("/docs", strict_slashes=False)
def page():
    return PAGE, 200, {"Content-Type": "text/html; charset=utf-8"}


@blp.route("/docs/init.js")
def init_script():
    return INIT, 200, {"Content-Type": "text/javascript; charset=utf-8"}


@blp.route("/docs/assets/<path:filename>")
def assets(filename: str):
    return send_from_directory(swagger_ui_path, filename)


@blp.route("/asyncapi.json")
def asyncapi_document():
    return jsonify(asyncapi.document(api.spec.to_dict()))
