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

from config import Config
from invoiceapp import create_app
from invoiceapp.background import Background

config = Config()
# Jobs may wait longer for locks and statements than a request would.
config.DB_LOCK_TIMEOUT_MS = config.WORKER_LOCK_TIMEOUT_MS
config.DB_STATEMENT_TIMEOUT_MS = config.WORKER_STATEMENT_TIMEOUT_MS
app = create_app(config)


def main() -> None:
    Background(app).run_forever()


if __name__ == "__main__":
    main()
