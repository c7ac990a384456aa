"""What makes a signed token acceptable, for REST and sockets alike.

- Its claims have the shape we issue: `type` access or refresh (never assumed), a numeric `sub`,
  a known `role`, a `jti`; access tokens also carry `rti`, the jti of the refresh token they were
  made from, so that logging out (revoking the refresh token) revokes them too.
- Its user exists and is not suspended, and its login session was not revoked. That is a
  database read, cached here for 30 seconds per (user, session); suspension and logout also
  reach every worker through the bus, which clears the cache entry (`forget`). Until this
  worker has applied every suspension and logout made elsewhere (the bus knows: each carries
  a number kept in Redis), no cached verdict is trusted and the database decides; so once a
  logout has been answered, no worker accepts its tokens. A session that this worker has just
  begun (login, registration) needs no read: `vouch`. Reads wanted at the same time go
  together (`Together`): a burst of requests whose verdicts expired costs a few statements,
  and a burst of requests asking the bus whether a revocation is pending a few Redis GETs,
  not one each.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field

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


Key = tuple[int, str]  # (user id, login session)
_cache: dict[Key, tuple[float, str | None]] = {}


def refusal(claims: dict) -> str | None:
    """Why this (signature-checked) token must be refused now, or None."""
    key = (int(claims["sub"]), login_session(claims))
    cached = _cache.get(key)
    if cached is not None and cached[0] > time.monotonic() and not _revocations.get(None):
        return cached[1]
    return _reads.get(key)


@dataclass(eq=False)
class _Wanted:
    key: Hashable
    done: threading.Event = field(default_factory=threading.Event)
    lead: bool = False  # woken to make the next read, not with a value
    value: object = None
    error: BaseException | None = None


class Together:
    """Reads wanted at the same time, made together: the first caller reads; those that want
    one while that read is in flight queue, and the first of them then reads for every queued
    one in one go (`read_many(keys)`), and so on. Each answer comes from a read that began
    after its caller asked. Alone, a read is one call, as before; under a burst, each read
    takes whatever queued during the last."""

    def __init__(self, read_many: Callable[[list], dict]):
        self._read_many = read_many
        self._lock = threading.Lock()
        self._queue: list[_Wanted] = []
        self._busy = False  # a read is in flight

    def get(self, key: Hashable):
        wanted = _Wanted(key)
        with self._lock:
            self._queue.append(wanted)
            leading, self._busy = not self._busy, True
        if not leading:
            wanted.done.wait()
        if leading or wanted.lead:
            self._read()
        if wanted.error is not None:
            raise wanted.error
        return wanted.value

    def _read(self) -> None:
        with self._lock:
            batch, self._queue = self._queue, []
        values, error = {}, None
        try:
            values = self._read_many(list({wanted.key: None for wanted in batch}))
        except BaseException as exc:  # each caller of the batch fails as it would have alone
            error = exc
        with self._lock:  # whatever happened, the next read has a reader
            if self._queue:
                self._queue[0].lead = True
                self._queue[0].done.set()
            else:
                self._busy = False
        for wanted in batch:
            wanted.value, wanted.error, wanted.lead = values.get(wanted.key), error, False
            wanted.done.set()


def _read_verdicts(keys: list[Key]) -> dict[Key, str | None]:
    reasons = auth.refusals(keys)
    for key, reason in reasons.items():
        _keep(key, reason)
    return reasons


_reads = Together(_read_verdicts)  # verdicts missing from the cache (`auth.refusals`)


def trust_cache_unless(revocations_pending: Callable[[], bool]) -> None:
    """Cached verdicts are not trusted while `revocations_pending()` (the realtime bus's: one
    Redis GET, shared by the requests that want it at the same time)."""
    global _revocations
    _revocations = Together(lambda keys: dict.fromkeys(keys, revocations_pending()))


trust_cache_unless(lambda: False)  # until the realtime layer names its bus


def vouch(user_id: int, session: str) -> None:
    """A login session just begun here, for a user who was just found active: nothing to refuse
    yet. Behind sticky sessions the user's next requests come to this worker, and the first of
    them (a burst of people who just signed in, each pressing Invest) skips the read."""
    _keep((user_id, session), None)


def _keep(key: Key, reason: str | None) -> None:
    if len(_cache) > 50_000:
        _cache.clear()
    _cache[key] = (time.monotonic() + CACHE_SECONDS, reason)


def forget(user_id: int | None = None, session: str | None = None) -> None:
    """Drop cached verdicts for a user (suspended) or a login session (logged out); with
    neither, every cached verdict (the bus was lost: what it missed is unknown)."""
    if user_id is None and session is None:
        _cache.clear()
        return
    for key in [k for k in _cache if k[0] == user_id or k[1] == session]:
        _cache.pop(key, None)
