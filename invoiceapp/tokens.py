"""What makes a signed token acceptable, for REST and sockets alike.

- Its claims have the shape we issue: `type` access or refresh (never assumed), a numeric `sub`,
  a known `role`, a `jti`; access tokens also carry `rti`, the jti of the refresh token they were
  made from, so that logging out (revoking the refresh token) revokes them too.
- Its user exists and is not suspended, and its login session was not revoked. That is a
  database read, cached here for 30 seconds per (user, session); suspension and logout also
  reach every worker at once through the bus, which clears the cache entry (`forget`). A
  session that this worker has just begun (login, registration) needs no read: `vouch`.
"""

from __future__ import annotations

import time

from jwt import InvalidTokenError

from .models import Role
from .services import auth

ROLES = {role.value for role in Role}
CACHE_SECONDS = 30.0


def check_shape(claims: dict) -> None:
    """Raise InvalidTokenError (answered 401) for claims we would never have issued."""
    kind = claims.get("type")
    if kind not in ("access", "refresh"):
        raise InvalidTokenError("The token has no valid type.")
    subject = claims.get("sub")
    if not (isinstance(subject, str) and subject.isdigit() and len(subject) <= 12):
        raise InvalidTokenError("The token's subject is not valid.")
    if claims.get("role") not in ROLES or not isinstance(claims.get("jti"), str):
        raise InvalidTokenError("The token's claims are not valid.")
    if kind == "access" and not isinstance(claims.get("rti"), str):
        raise InvalidTokenError("The token's claims are not valid.")


def login_session(claims: dict) -> str:
    """The refresh token's jti that this token belongs to."""
    return claims["jti"] if claims.get("type") == "refresh" else claims["rti"]


_cache: dict[tuple[int, str], tuple[float, str | None]] = {}


def refusal(claims: dict) -> str | None:
    """Why this (signature-checked) token must be refused now, or None."""
    key = (int(claims["sub"]), login_session(claims))
    now = time.monotonic()
    cached = _cache.get(key)
    if cached is not None and cached[0] > now:
        return cached[1]
    reason = auth.refusal(*key)
    _keep(key, reason)
    return reason


def vouch(user_id: int, session: str) -> None:
    """A login session just begun here, for a user who was just found active: nothing to refuse
    yet. Behind sticky sessions the user's next requests come to this worker, and the first of
    them (a burst of people who just signed in, each pressing Invest) skips the read."""
    _keep((user_id, session), None)


def _keep(key: tuple[int, str], reason: str | None) -> None:
    if len(_cache) > 50_000:
        _cache.clear()
    _cache[key] = (time.monotonic() + CACHE_SECONDS, reason)


def forget(user_id: int | None = None, session: str | None = None) -> None:
    """Drop cached verdicts for a user (suspended) or a login session (logged out)."""
    for key in [k for k in _cache if k[0] == user_id or k[1] == session]:
        _cache.pop(key, None)
