"""The invoice financing marketplace: create_app() wires extensions, blueprints, error
handlers and CLI commands around the services package."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from . import db, logs, metrics, tokens
from .api import blueprints
from .api.errors import error_response, register_error_handlers
from .extensions import api, jwt, limiter
from .hooks import register_hooks
from .realtime import init_realtime
from .schemas.invoices import BidSchema
from .services import settings

FRONTEND_DIST = Path(__file__).resolve().parent.parent / "frontend" / "dist"


def create_app(config=None) -> Flask:
    if config is None:  # `flask --app invoiceapp ...`
        from config import Config

        config = Config()
    app = Flask(__name__, static_folder=None)
    app.config.from_object(config)
    app.config.setdefault("SERVING", False)
    app.config.setdefault("FRONTEND_DIST", str(FRONTEND_DIST))
    app.config.update(
        API_TITLE="Invoice marketplace",
        API_VERSION="2.0",
        OPENAPI_VERSION="3.0.3",
        OPENAPI_URL_PREFIX="/api",
        OPENAPI_JSON_PATH="openapi.json",
        JWT_ALGORITHM="HS256",
        JWT_DECODE_ALGORITHMS=["HS256"],
        JWT_TOKEN_LOCATION=["headers"],
        JWT_ACCESS_TOKEN_EXPIRES=timedelta(minutes=app.config["ACCESS_TOKEN_MINUTES"]),
        JWT_REFRESH_TOKEN_EXPIRES=timedelta(days=app.config["REFRESH_TOKEN_DAYS"]),
        RATELIMIT_STORAGE_URI=app.config["REDIS_URL"] or "memory://",
        RATELIMIT_STORAGE_OPTIONS={"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        RATELIMIT_HEADERS_ENABLED=True,
        MAX_CONTENT_LENGTH=64 * 1024,
    )
    logs.configure(app.config["LOG_LEVEL"], app.config["LOG_FORMAT"])

    if app.config.get("TRUSTED_PROXY_COUNT"):
        hops = app.config["TRUSTED_PROXY_COUNT"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)

    settings.configure(settings.Settings.from_config(app.config))
    db.init_engine(
        app.config["DATABASE_URL"],
        db.DatabaseSettings(
            pool_size=app.config["DB_POOL_SIZE"],
            pool_timeout=app.config["DB_POOL_TIMEOUT"],
            connect_timeout=app.config["DB_CONNECT_TIMEOUT"],
            lock_timeout_ms=app.config["DB_LOCK_TIMEOUT_MS"],
            statement_timeout_ms=app.config["DB_STATEMENT_TIMEOUT_MS"],
        ),
    )

    jwt.init_app(app)
    _configure_jwt()
    limiter.init_app(app)
    api.init_app(app)
    api.spec.components.security_scheme(
        "bearerAuth", {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}
    )
    for blueprint in blueprints:
        api.register_blueprint(blueprint)
    # Event payloads (the AsyncAPI document) use this one, which no REST response nests yet.
    if "Bid" not in api.spec.components.schemas:
        api.spec.components.schema("Bid", schema=BidSchema)
    register_error_handlers(app)  # after api.init_app: ours replace flask-smorest's handlers
    register_hooks(app)
    metrics.instrument(app)
    metrics.GAUGES.add(
        "invoiceapp_db_pool_in_use",
        "Database connections checked out of this process's pool",
        lambda: [({}, db.get_engine().pool.checkedout())],
    )

    from . import docs, web

    app.register_blueprint(docs.blp)
    web.serve_spa(app)

    init_realtime(app)

    from .cli import register_commands

    register_commands(app)
    return app


def _configure_jwt() -> None:
    """Every token problem is a 401 here (flask-jwt-extended answers some with 422), and a
    token must have the claims we issue and belong to a live session of an active user."""

    def unauthorized(message: str):
        return error_response(401, "unauthorized", message)

    jwt.unauthorized_loader(lambda reason: unauthorized("Authentication required."))
    jwt.invalid_token_loader(lambda reason: unauthorized("The token is invalid."))
    jwt.expired_token_loader(lambda header, payload: unauthorized("The token has expired."))
    jwt.revoked_token_loader(lambda header, payload: unauthorized("The token is no longer valid."))
    jwt.needs_fresh_token_loader(lambda header, payload: unauthorized("A fresh token is required."))
    jwt.user_lookup_error_loader(lambda header, payload: unauthorized("Unknown user."))
    jwt.token_verification_failed_loader(lambda header, payload: unauthorized("Token refused."))

    @jwt.decode_key_loader
    def decode_key(header: dict, unverified_claims: dict) -> str:
        # Runs before the signature check, on the claims as sent (flask-jwt-extended fills in
        # a missing `type` as "access" afterwards).
        tokens.check_shape(unverified_claims)
        from flask import current_app

        return current_app.config["JWT_SECRET_KEY"]

    @jwt.token_in_blocklist_loader
    def is_refused(header: dict, claims: dict) -> bool:
        return tokens.refusal(claims) is not None
