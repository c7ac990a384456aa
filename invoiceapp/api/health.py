from flask_smorest import Blueprint
from sqlalchemy import text

from ..db import read_session
from ..realtime import message_queue_status
from ..schemas import HealthSchema

blp = Blueprint("health", __name__, url_prefix="/api/health", description="Liveness")


def _database_status() -> str:
    try:
        with read_session() as session:
            session.execute(text("SELECT 1"))
        return "ok"
    except Exception:
        return "down"


@blp.route("", methods=["GET"])
@blp.response(200, HealthSchema)
@blp.alt_response(503, schema=HealthSchema, description="The database is down")
def health():
    """Whether the database and the message queue answer."""
    database = _database_status()
    body = {
        "status": "ok" if database == "ok" else "down",
        "database": database,
        "message_queue": message_queue_status(),
    }
    return body, (200 if database == "ok" else 503)
