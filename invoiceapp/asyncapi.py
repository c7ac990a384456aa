"""The AsyncAPI 3 document of the Socket.IO events (/api/asyncapi.json), built from the event
registry (realtime/events.py) and the OpenAPI document's schemas, so it cannot drift."""

from __future__ import annotations

from .realtime.events import REGISTRY

STAMP = {
    "offset": {
        "type": "string",
        "description": "Opaque place in the event sequence; reconnect with it to replay what was missed",
    },
    "event_id": {
        "type": "string",
        "format": "uuid",
        "description": "Unique: clients deduplicate on it",
    },
    "occurred_at": {"type": "string", "format": "date-time"},
}

# Sent by the server outside the domain events: the session's own protocol.
SESSION_EVENTS = {
    "ready": ("after authentication: where live delivery starts", {"offset": {"type": "string"}}),
    "recovered": (
        "after replaying what a reconnecting client missed",
        {"replayed": {"type": "integer", "description": "events replayed"}},
    ),
    "resync": ("the server cannot replay (offset unknown or too old, events lost): refetch", {}),
    "authenticated": ("answer to `authenticate`", {"user": "User"}),
    "unauthorized": ("answer to a refused `authenticate`", {"message": {"type": "string"}}),
}


def _properties(fields: dict) -> dict:
    return {
        name: {"$ref": f"#/components/schemas/{spec}"} if isinstance(spec, str) else spec
        for name, spec in fields.items()
    }


def _message(name: str, summary: str, properties: dict, required: list[str]) -> dict:
    return {
        "name": name,
        "summary": summary,
        "payload": {"type": "object", "required": required, "properties": properties},
    }


def document(openapi: dict) -> dict:
    messages = {}
    for event in REGISTRY:
        messages[event.name] = _message(
            event.name,
            f"To {event.audience}." + ("" if event.replay else " Never replayed."),
            {**STAMP, **_properties(event.fields)},
            [*STAMP, *event.fields],
        )
    for name, (summary, fields) in SESSION_EVENTS.items():
        messages[name] = _message(
            name, summary.capitalize() + ".", _properties(fields), list(fields)
        )
    messages["authenticate"] = _message(
        "authenticate",
        "Authenticate (or re-authenticate with a fresh token) after connecting; "
        "or pass the same object as the connection's `auth`.",
        {
            "token": {"type": "string", "description": "An access token"},
            "offset": {"type": "string"},
        },
        ["token"],
    )
    channel = {
        "address": "/socket.io/",
        "title": "The Socket.IO connection (protocol v5, namespace /)",
        "messages": {name: {"$ref": f"#/components/messages/{name}"} for name in messages},
    }
    operations = {
        f"receive_{name}": {
            "action": "receive",
            "channel": {"$ref": "#/channels/socket"},
            "messages": [{"$ref": f"#/channels/socket/messages/{name}"}],
        }
        for name in messages
        if name != "authenticate"
    }
    operations["send_authenticate"] = {
        "action": "send",
        "channel": {"$ref": "#/channels/socket"},
        "messages": [{"$ref": "#/channels/socket/messages/authenticate"}],
    }
    return {
        "asyncapi": "3.0.0",
        "info": {
            "title": "Invoice marketplace events",
            "version": openapi["info"]["version"],
            "description": "Socket.IO events. Connect with `io(url, {auth: {token, offset}})`; rooms "
            "come from the verified identity only. Schemas are those of /api/openapi.json.",
        },
        "defaultContentType": "application/json",
        "channels": {"socket": channel},
        "operations": operations,
        "components": {"messages": messages, "schemas": openapi["components"]["schemas"]},
    }
