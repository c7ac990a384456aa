"""Who may call a view: a decorator that runs before anything else in the view, so that the
checks come in the API's documented order (401, then 403 for the wrong role, then validation)."""

from __future__ import annotations

from dataclasses import replace
from functools import wraps

from flask_jwt_extended import get_jwt, verify_jwt_in_request
from flask_smorest.utils import deepupdate

from ..models import Role
from ..schemas.common import ErrorSchema
from ..services import audit
from ..services.errors import Forbidden

BEARER = [{"bearerAuth": []}]
ERROR_CONTENT = {"application/json": {"schema": ErrorSchema}}


def auth_required(*roles: Role, refresh: bool = False):
    allowed = {role.value for role in roles}

    def decorator(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            verify_jwt_in_request(refresh=refresh)
            claims = get_jwt()
            audit.set_actor(
                replace(audit.current_actor(), user_id=int(claims["sub"]), role=claims["role"])
            )
            if allowed and claims["role"] not in allowed:
                raise Forbidden(f"Only {' and '.join(sorted(allowed))} accounts may do this.")
            return view(*args, **kwargs)

        responses = {
            "401": {
                "description": "Missing, invalid, expired or wrong-type token",
                "content": ERROR_CONTENT,
            }
        }
        if allowed:
            who = " or ".join(f"an {r}" if r[0] in "aeiou" else f"a {r}" for r in sorted(allowed))
            responses["403"] = {
                "description": f"Not {who}, or not the owner",
                "content": ERROR_CONTENT,
            }
        wrapper._apidoc = deepupdate(
            getattr(view, "_apidoc", {}),
            {"manual_doc": {"security": BEARER, "responses": responses}},
        )
        return wrapper

    return decorator


def current_user_id() -> int:
    return int(get_jwt()["sub"])


def current_role() -> str:
    return get_jwt()["role"]
