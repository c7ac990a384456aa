"""Logging: one line per event, as text or (LOG_FORMAT=json) one JSON object per line, each
carrying the request id and, when known, the user id of the request or socket it is about.
Secrets never reach the log: the app logs no bodies, no headers, no token, and SQLAlchemy is
told to keep statement parameters out of its error messages."""

from __future__ import annotations

import logging
import sys

from pythonjsonlogger.json import JsonFormatter

from .services import audit

TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(request_id)s]: %(message)s"


class RequestContext(logging.Filter):
    """Stamp each record with the request (or socket) it belongs to."""

    def filter(self, record: logging.LogRecord) -> bool:
        actor = audit.current_actor()
        record.request_id = actor.request_id or "-"
        if actor.user_id is not None:
            record.user_id = actor.user_id
        return True


class StandardError(logging.StreamHandler):
    """Writes to whatever sys.stderr is at the time (a test's capture, a redirected stream)."""

    @property
    def stream(self):
        return sys.stderr

    @stream.setter
    def stream(self, value):
        pass


def configure(level: str, log_format: str) -> None:
    handler = StandardError()
    handler.addFilter(RequestContext())
    if log_format == "json":
        handler.setFormatter(
            JsonFormatter(
                "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s",
                rename_fields={
                    "asctime": "ts",
                    "levelname": "level",
                    "name": "logger",
                    "message": "msg",
                },
                datefmt="%Y-%m-%dT%H:%M:%S%z",
            )
        )
    else:
        handler.setFormatter(logging.Formatter(TEXT_FORMAT))
    root = logging.getLogger()
    for existing in [h for h in root.handlers if getattr(h, "invoiceapp", False)]:
        root.removeHandler(existing)
    handler.invoiceapp = True
    root.addHandler(handler)
    root.setLevel(level)
