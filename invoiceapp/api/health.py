from sqlalchemy import text

from .. import db
from ..realtime import message_queue_status
from ..schemas.common import HealthSchema, LiveSchema
from .parsing import Blueprint

blp = Blueprint("health", __name__, url_prefix="/api/health", description="Liveness and readiness")


def _database_status() -> str:
    try:
        db.read(lambda session: session.execute(text("SELECT 1")))
        return "ok"
    except Exception:
        return "down"


@blp.route("", methods=["GET"])
@blp.response(200, HealthSchema)
@blp.alt_response(503, schema=HealthSchema, description="The database is down")
def health():
    """Readiness: whether the database and the message queue answer (503 without a database)."""
    database = _database_status()
    body = {
        "status": "ok" if database == "ok" else "down",
        "database": database,
        "message_queue": message_queue_status(),
    }
    return body, (200 if database == "ok" else 503)


@blp.route("/live", methods=["GET"])
@blp.response(200, LiveSchema)
def live():
    """Liveness: the process is serving requests (touches nothing else)."""
    return {"status": "ok"}
