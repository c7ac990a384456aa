"""Server entry point: the async set-up first, then create_app(), then serve.

Every eventlet or gevent detail of the project lives here (and in worker.py, its twin for the
background worker). Procfile: `web: python wsgi.py`.
"""

import gc
import logging
import os
import socket

ASYNC_MODE = os.environ.get("ASYNC_MODE", "eventlet")

if ASYNC_MODE == "eventlet":
    import warnings

    # eventlet is in bug-fix-only maintenance (it says so on import); it stays the default as
    # designed, and ASYNC_MODE=gevent is tested alongside it.
    warnings.filterwarnings("ignore", message=r"(?s)\s*Eventlet is deprecated")
    import eventlet

    eventlet.monkey_patch()  # greens sockets, threads, time, and psycopg2's waits
elif ASYNC_MODE == "gevent":
    from gevent import monkey

    monkey.patch_all()
    from psycogreen.gevent import patch_psycopg

    patch_psycopg()

from config import Config
from invoiceapp import create_app, metrics
from invoiceapp.background import Background
from invoiceapp.extensions import socketio
from invoiceapp.services import offload

config = Config()
config.SERVING = True
app = create_app(config)

if ASYNC_MODE == "eventlet":
    from eventlet import tpool

    offload.set_runner(tpool.execute)  # argon2 in a real OS thread, off the event loop
elif ASYNC_MODE == "gevent":
    import gevent

    offload.set_runner(lambda fn, *args: gevent.get_hub().threadpool.apply(fn, args))


def raise_open_file_limit(wanted: int) -> None:
    """Every socket is a file descriptor: let this process hold MAX_CONNECTIONS of them."""
    import resource

    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
    if soft != resource.RLIM_INFINITY and soft < target:
        resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))


def main() -> None:
    raise_open_file_limit(config.MAX_CONNECTIONS + 256)
    if config.RUN_JOBS:
        metrics.watch_jobs()
        socketio.start_background_task(Background(app).run_forever, socketio.sleep)
    # Garbage-collector pauses were the tail of the fan-out latency (bench/README.md): keep
    # what start-up loaded out of the collector's passes, and collect less often (a young
    # generation of 50,000 objects instead of 700; a full pass a fifth as often).
    gc.freeze()
    gc.set_threshold(50_000, 50, 20)
    host = os.environ.get("HOST", "0.0.0.0")
    mode = "scaled (Redis message queue)" if config.REDIS_URL else "embedded (one process)"
    database = "PostgreSQL" if config.DATABASE_URL.startswith("postgresql") else "SQLite"
    logging.getLogger("invoiceapp").info(
        "serving on http://%s:%d: %s, %s, async mode %s, background jobs %s",
        "localhost" if host in ("0.0.0.0", "127.0.0.1") else host,
        config.PORT,
        mode,
        database,
        ASYNC_MODE,
        "in this process" if config.RUN_JOBS else "in the worker: process",
    )
    options = {"host": host, "port": config.PORT, "allow_unsafe_werkzeug": True}
    if ASYNC_MODE == "eventlet":
        import eventlet.wsgi

        class LeanHttpProtocol(eventlet.wsgi.HttpProtocol):
            # Each connection allocates these buffers up front (8 KiB + 16 KiB by default) and
            # an idle WebSocket keeps them for its whole life; our requests and frames are small.
            rbufsize = 2048
            wbufsize = 2048

            def setup(self):
                super().setup()
                # A response over wbufsize leaves in several writes; with Nagle on, the last
                # one waits for the client's delayed ACK (~40 ms on every keep-alive request).
                self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

        # eventlet.wsgi caps simultaneous connections at 1,024 unless told otherwise.
        options["max_size"] = config.MAX_CONNECTIONS
        options["protocol"] = LeanHttpProtocol
        options["log_output"] = False  # the app writes its own access lines (ACCESS_LOG)
    socketio.run(app, **options)


if __name__ == "__main__":
    main()
