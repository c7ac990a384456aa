"""Prometheus metrics of this process, at GET /metrics (web workers) or on WORKER_METRICS_PORT
(the worker), only with `Authorization: Bearer <METRICS_TOKEN>`; otherwise 404. Requests are
labelled by route template, never by raw path, so the number of series stays bounded."""

from __future__ import annotations

import hmac
import time
from collections.abc import Callable

from flask import Flask, abort, g, request
from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily
from prometheus_client.exposition import CONTENT_TYPE_LATEST

REGISTRY = CollectorRegistry()

HTTP_REQUESTS = Counter(
    "invoiceapp_http_requests_total",
    "HTTP requests",
    ["method", "route", "status"],
    registry=REGISTRY,
)
HTTP_DURATION = Histogram(
    "invoiceapp_http_request_duration_seconds",
    "HTTP request duration by route template",
    ["route"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
    registry=REGISTRY,
)
FUNDINGS = Counter(
    "invoiceapp_fundings_total", "Investments committed", ["source"], registry=REGISTRY
)
FUNDING_AMOUNT = Counter(
    "invoiceapp_funding_amount_paise_total", "Money invested, in paise", registry=REGISTRY
)
EVENTS = Counter(
    "invoiceapp_events_published_total", "Socket.IO events published", ["event"], registry=REGISTRY
)
CATCH_UP = Histogram(
    "invoiceapp_catch_up_seconds",
    "Replaying missed events to a reconnecting socket: reading them and queueing them to it",
    buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1),
    registry=REGISTRY,
)
REPLAYED = Counter(
    "invoiceapp_events_replayed_total", "Missed events replayed to sockets", registry=REGISTRY
)
Samples = list[tuple[dict, float]]


class Readings:
    """Values read when scraped, from whatever this process has (sockets, bus, pool, jobs)."""

    def __init__(self):
        self.readers: dict[str, tuple[type, str, Callable[[], Samples]]] = {}

    def add(
        self, name: str, help_text: str, read: Callable[[], Samples], family=GaugeMetricFamily
    ) -> None:
        self.readers[name] = (family, help_text, read)

    def collect(self):
        for name, (family_type, help_text, read) in self.readers.items():
            try:
                samples = read()
            except Exception:  # a scrape must not fail because one source is down
                continue
            labels = sorted({key for sample_labels, _ in samples for key in sample_labels})
            family = family_type(name, help_text, labels=labels)
            for sample_labels, value in samples:
                family.add_metric([sample_labels[key] for key in labels], value)
            yield family


GAUGES = Readings()
REGISTRY.register(GAUGES)


def watch_jobs() -> None:
    """The background work's figures, in the process that runs it."""
    from .models import utcnow
    from .services import jobs

    def lag() -> Samples:
        oldest = jobs.oldest_due()
        return [({}, (utcnow() - oldest).total_seconds() if oldest else 0.0)]

    GAUGES.add(
        "invoiceapp_jobs_pending", "Jobs waiting to run", lambda: [({}, jobs.pending_count())]
    )
    GAUGES.add("invoiceapp_job_lag_seconds", "How long the oldest due job has waited", lag)
    GAUGES.add(
        "invoiceapp_jobs_failed",
        "Jobs set aside after repeated failures",
        lambda: [({}, jobs.failed_count())],
        family=CounterMetricFamily,
    )


def exposition() -> tuple[bytes, int, dict]:
    return generate_latest(REGISTRY), 200, {"Content-Type": CONTENT_TYPE_LATEST}


def authorized(token: str | None, header: str | None) -> bool:
    return bool(token) and hmac.compare_digest(header or "", f"Bearer {token}")


def count_funding(source: str, amount: int) -> None:
    FUNDINGS.labels(source).inc()
    FUNDING_AMOUNT.inc(amount)


def instrument(app: Flask) -> None:
    """Request counts and durations, and the /metrics endpoint."""
    token = app.config["METRICS_TOKEN"]

    @app.after_request
    def observed(response):
        rule = request.url_rule
        route = rule.rule if rule is not None else "unmatched"
        if route != "/metrics":
            HTTP_REQUESTS.labels(request.method, route, str(response.status_code)).inc()
            HTTP_DURATION.labels(route).observe(time.perf_counter() - g.started)
        return response

    @app.route("/metrics")
    def metrics():
        if not authorized(token, request.headers.get("Authorization")):
            abort(404)
        return exposition()


def standalone_app(token: str | None):
    """/metrics for a process without Flask routes (the worker), same rules."""

    def app(environ, start_response):
        if environ.get("PATH_INFO") != "/metrics" or not authorized(
            token, environ.get("HTTP_AUTHORIZATION")
        ):
            start_response("404 Not Found", [("Content-Type", "text/plain")])
            return [b"not found\n"]
        body, _, headers = exposition()
        start_response("200 OK", list(headers.items()))
        return [body]

    return app
