"""Who may call a view: a decorator that runs before anything else in the view, so that the
checks come in SPEC.md's order (401, then 403 for the wrong role, then validation)."""

from __future__ import annotations

from functools import wraps

from flask_jwt_extended import get_jwt, get_jwt_identity, verify_jwt_in_request
from flask_smorest.utils import deepupdate

from ..models import Role
from ..schemas import ErrorSchema
from ..services.errors import Forbidden

BEARER = [{"bearerAuth": []}]


def auth_required(role: Role | None = None, refresh: bool = False):
    def decorator(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            verify_jwt_in_request(refresh=refresh)
            if role is not None and get_jwt().get("role") != role.value:
                raise Forbidden(f"Only {role.value}s may do this.")
            return view(*args, **kwargs)

        responses = {
            "401": {
                "description": "Missing, invalid, expired or wrong-type token",
                "content": {"application/json": {"schema": ErrorSchema}},
            }
        }
        if role is not None:
            responses["403"] = {
                "description": f"Not a {role.value}, or not the owner",
                "content": {"application/json": {"schema": ErrorSchema}},
            }
        wrapper._apidoc = deepupdate(
            getattr(view, "_apidoc", {}),
            {"manual_doc": {"security": BEARER, "responses": responses}},
        )
        return wrapper

    return decorator


def current_user_id() -> int:
    return int(get_jwt_identity())
