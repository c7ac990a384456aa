"""the API's error envelope, for everything: domain errors, HTTP errors, validation, JWT."""

from __future__ import annotations

import logging

from flask import Flask, jsonify, request
from werkzeug.exceptions import HTTPException

from ..services.errors import DomainError

log = logging.getLogger(__name__)

HTTP_CODES = {
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    411: "length_required",
    413: "payload_too_large",
    422: "validation_error",
    429: "rate_limited",
}
MESSAGES = {
    404: "Not found.",
    405: "Method not allowed.",
    411: "Send the request body with a Content-Length (chunked bodies are not accepted).",
    413: "The request body is too large.",
    422: "The request is not valid.",
    429: "Too many requests; try again later.",
}
UNREADABLE_BODY = "The request body is not valid JSON."


def error_body(code: str, message: str, details: dict | None = None) -> dict:
    return {"error": {"code": code, "message": message, "details": details or {}}}


def error_response(status: int, code: str, message: str, details: dict | None = None):
    return jsonify(error_body(code, message, details)), status


def domain_error_body(error: DomainError) -> dict:
    return error_body(error.code, error.message, error.details)


def domain_error_response(error: DomainError):
    response = jsonify(domain_error_body(error))
    response.status_code = error.status
    if error.retry_after:
        response.headers["Retry-After"] = str(error.retry_after)
    return response


def http_error_response(error: HTTPException):
    status = error.code or 500
    details = {}
    messages = getattr(error, "data", {}).get("messages")
    if messages:  # webargs/marshmallow: {location: {field: [messages]}}
        for fields in messages.values():
            details.update(fields if isinstance(fields, dict) else {"_schema": fields})
    # Malformed JSON and wrong content types are validation errors to our clients.
    if status in (400, 415):
        status = 422
        details = details or {"_body": [UNREADABLE_BODY]}
    code = HTTP_CODES.get(status, "http_error")
    message = MESSAGES.get(status, error.description or "HTTP error.")
    response = jsonify(error_body(code, message, details))
    if status == 405 and getattr(error, "valid_methods", None):
        response.headers["Allow"] = ", ".join(error.valid_methods)
    if status == 429:
        retry = getattr(error, "retry_after", None)
        if retry:
            response.headers["Retry-After"] = str(retry)
    return response, status


def register_error_handlers(app: Flask) -> None:
    app.register_error_handler(DomainError, domain_error_response)
    app.register_error_handler(HTTPException, http_error_response)

    @app.errorhandler(Exception)
    def on_unexpected(error: Exception):
        log.exception("unhandled error on %s %s", request.method, request.path)
        return error_response(500, "internal_error", "Something went wrong on our side.")
