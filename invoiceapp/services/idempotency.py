"""Stored outcomes of requests made with an Idempotency-Key: keyed by user and key, with the
request's fingerprint (method, path, canonical JSON body), kept 24 hours. The web layer decides
when to use them (api/idempotency.py); this module reads and writes them inside its transaction.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from ..models import IdempotencyKey, utcnow
from .errors import IdempotencyConflict, IdempotencyInProgress

RETENTION = timedelta(hours=24)


def fingerprint(method: str, path: str, body: Any) -> str:
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(f"{method.upper()} {path}\n{canonical}".encode()).hexdigest()


@dataclass(frozen=True)
class Claim:
    user_id: int
    key: str
    fingerprint: str


@dataclass(frozen=True)
class Outcome:
    status: int
    body: dict


def stored_outcome(session: Session, claim: Claim) -> Outcome | None:
    """Lock the key for this transaction and return its stored outcome, if any.

    The lock is PostgreSQL's transaction-scoped advisory lock: it is released when the
    transaction ends, however it ends, so no timer ever hands a key to a second request while
    the first may still commit. On SQLite every writer holds the database lock already."""
    if session.get_bind().dialect.name == "postgresql":
        locked = session.scalar(
            select(
                func.pg_try_advisory_xact_lock(
                    func.hashtextextended(f"{claim.user_id}:{claim.key}", 0)
                )
            )
        )
        if not locked:
            raise IdempotencyInProgress()
    row = session.scalar(
        select(IdempotencyKey).where(
            IdempotencyKey.user_id == claim.user_id, IdempotencyKey.key == claim.key
        )
    )
    if row is None:
        return None
    if row.fingerprint != claim.fingerprint:
        raise IdempotencyConflict()
    return Outcome(row.response_status, row.response_body)


def store(session: Session, claim: Claim, status: int, body: dict) -> None:
    session.add(
        IdempotencyKey(
            user_id=claim.user_id,
            key=claim.key,
            fingerprint=claim.fingerprint,
            response_status=status,
            response_body=body,
            created_at=utcnow(),
        )
    )


def purge_expired(session: Session) -> int:
    cutoff = utcnow() - RETENTION
    return session.execute(
        delete(IdempotencyKey).where(IdempotencyKey.created_at < cutoff)
    ).rowcount
