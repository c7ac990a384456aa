from ..schemas.notifications import (
    MarkReadSchema,
    NotificationPageSchema,
    NotificationQuerySchema,
    UnreadCountSchema,
)
from ..services import notifications
from .parsing import Blueprint
from .security import auth_required, current_user_id

blp = Blueprint(
    "notifications", __name__, url_prefix="/api/notifications", description="Stored notifications"
)


@blp.route("", methods=["GET"])
@auth_required()
@blp.arguments(NotificationQuerySchema, location="query")
@blp.response(200, NotificationPageSchema)
def list_notifications(query):
    """The user's notifications, newest first, with the unread count."""
    return notifications.page(
        current_user_id(), query["limit"], query["cursor"], query["unread_only"]
    )


@blp.route("/read", methods=["POST"])
@auth_required()
@blp.arguments(MarkReadSchema)
@blp.response(200, UnreadCountSchema)
def mark_read(data):
    """Mark notifications read: every one up to an id, or some ids."""
    return {
        "unread_count": notifications.mark_read(current_user_id(), data["up_to_id"], data["ids"])
    }
