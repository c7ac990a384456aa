"""Idempotency-Key (IETF httpapi draft, as Stripe does it): keyed by user and key; the first
response, 201 or 409 alike, is stored and replayed for the same request fingerprint."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..db import run_in_transaction
from ..models import IdempotencyKey, utcnow
from .errors import IdempotencyConflict, IdempotencyInProgress

RETENTION = timedelta(hours=24)
# A claim still in progress after this long belongs to a request that died (a worker killed
# mid-request); a retry may take it over instead of being refused for a day.
ABANDONED_AFTER = timedelta(seconds=60)


def fingerprint(method: str, path: str, body: Any) -> str:
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(f"{method.upper()} {path}\n{canonical}".encode()).hexdigest()


@dataclass
class Idempotency:
    """What a service needs to honour a key: the key, the request's fingerprint, and how to
    render the response it will store (the same body the client receives)."""

    user_id: int
    key: str
    fingerprint: str
    render: Callable[[Any], dict]


@dataclass
class Replay:
    status: int
    body: dict


def claim(request: Idempotency) -> Replay | None:
    """Commit an in-progress row for this key, or explain why the request must not run:
    a stored response to replay, a different request under the same key, or one in flight."""

    def insert(session: Session) -> None:
        session.add(
            IdempotencyKey(
                user_id=request.user_id,
                key=request.key,
                fingerprint=request.fingerprint,
                created_at=utcnow(),
            )
        )
        session.flush()

    try:
        run_in_transaction(insert)
        return None
    except IntegrityError:
        pass

    def existing(session: Session) -> IdempotencyKey | None:
        return session.scalar(
            select(IdempotencyKey).where(
                IdempotencyKey.user_id == request.user_id, IdempotencyKey.key == request.key
            )
        )

    row = run_in_transaction(existing)
    if row is None:  # purged in between: rare enough to ask the client to retry
        raise IdempotencyInProgress()
    if row.fingerprint != request.fingerprint:
        raise IdempotencyConflict()
    if row.response_status is None:
        if _take_over_abandoned(row.id):
            return None
        raise IdempotencyInProgress()
    return Replay(row.response_status, row.response_body)


def _take_over_abandoned(row_id: int) -> bool:
    """Conditional update: of several retries of an abandoned claim, exactly one wins it."""
    now = utcnow()
    return run_in_transaction(
        lambda session: (
            session.execute(
                update(IdempotencyKey)
                .where(
                    IdempotencyKey.id == row_id,
                    IdempotencyKey.response_status.is_(None),
                    IdempotencyKey.created_at < now - ABANDONED_AFTER,
                )
                .values(created_at=now)
            ).rowcount
            == 1
        )
    )


def store(session: Session, request: Idempotency, status: int, body: dict) -> None:
    session.execute(
        update(IdempotencyKey)
        .where(IdempotencyKey.user_id == request.user_id, IdempotencyKey.key == request.key)
        .values(response_status=status, response_body=body)
    )


def store_separately(request: Idempotency, status: int, body: dict) -> None:
    run_in_transaction(lambda session: store(session, request, status, body))


def release(request: Idempotency) -> None:
    """Forget a claim whose request ended in a response that is not replayed (404, 422, ...)."""
    run_in_transaction(
        lambda session: session.execute(
            delete(IdempotencyKey).where(
                IdempotencyKey.user_id == request.user_id,
                IdempotencyKey.key == request.key,
                IdempotencyKey.response_status.is_(None),
            )
        )
    )


def purge_expired() -> int:
    cutoff = utcnow() - RETENTION
    return run_in_transaction(
        lambda session: (
            session.execute(
                delete(IdempotencyKey).where(IdempotencyKey.created_at < cutoff)
            ).rowcount
        )
    )
