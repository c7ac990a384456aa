"""Background worker entry point (Procfile: `worker: python worker.py`): the async set-up
first, then create_app(), then the job loop (invoiceapp/background.py). Any number may run:
each piece of work is claimed in the database, so it runs once."""

import os

ASYNC_MODE = os.environ.get("ASYNC_MODE", "eventlet")

if ASYNC_MODE == "eventlet":
    import warnings

    warnings.filterwarnings("ignore", message=r"(?s)\s*Eventlet is deprecated")
    import eventlet

    eventlet.monkey_patch()
elif ASYNC_MODE == "gevent":
    from gevent import monkey

    monkey.patch_all()
    from psycogreen.gevent import patch_psycopg

    patch_psycopg()

import logging
import threading
from wsgiref.simple_server import WSGIRequestHandler, make_server

from config import Config
from invoiceapp import create_app, metrics
from invoiceapp.background import Background

config = Config()
# Jobs may wait longer for locks and statements than a request would.
config.DB_LOCK_TIMEOUT_MS = config.WORKER_LOCK_TIMEOUT_MS
config.DB_STATEMENT_TIMEOUT_MS = config.WORKER_STATEMENT_TIMEOUT_MS
app = create_app(config)


class QuietHandler(WSGIRequestHandler):
    def log_message(self, *args):  # scrapes every few seconds: not worth a log line each
        pass


def serve_metrics() -> None:
    """/metrics on WORKER_METRICS_PORT (0: none). A port already taken (another worker on this
    machine) is reported, and the worker runs its jobs anyway."""
    if not config.WORKER_METRICS_PORT:
        return
    try:
        server = make_server(
            os.environ.get("HOST", "0.0.0.0"),
            config.WORKER_METRICS_PORT,
            metrics.standalone_app(config.METRICS_TOKEN),
            handler_class=QuietHandler,
        )
    except OSError as exc:
        logging.getLogger("invoiceapp").error(
            "worker metrics not served on :%d: %s", config.WORKER_METRICS_PORT, exc
        )
        return
    threading.Thread(target=server.serve_forever, daemon=True).start()


def main() -> None:
    metrics.watch_jobs()
    serve_metrics()
    logging.getLogger("invoiceapp").info(
        "worker: background jobs, metrics on :%d/metrics", config.WORKER_METRICS_PORT
    )
    Background(app).run_forever()


if __name__ == "__main__":
    main()
