"""The audit trail: who did what, appended in the same transaction as the action (the rows of a
transaction are written together just before it commits).

Who is acting (and from where, for which request) is set once per request by the web layer,
or per job by the worker, with `acting_as`; services only name the action and its target.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from .. import db
from ..models import AuditEntry, utcnow
from .changes import ChangeSet, before_commit, changes
from .pagination import Page, paginate


@dataclass(frozen=True)
class Actor:
    user_id: int | None = None
    role: str | None = "system"
    ip: str | None = None
    request_id: str | None = None


SYSTEM = Actor()
_actor: ContextVar[Actor] = ContextVar("invoiceapp_actor", default=SYSTEM)


@contextmanager
def acting_as(actor: Actor) -> Iterator[None]:
    token = _actor.set(actor)
    try:
        yield
    finally:
        _actor.reset(token)


def set_actor(actor: Actor) -> None:
    """For the web layer, which resets it at the start of every request."""
    _actor.set(actor)


def current_actor() -> Actor:
    return _actor.get()


def record(
    session: Session,
    action: str,
    target_type: str,
    target_id: int | None,
    details: dict | None = None,
    actor_id: int | None = None,
) -> None:
    actor = _actor.get()
    changes(session).audited(
        {
            "at": utcnow(),
            "actor_id": actor_id if actor_id is not None else actor.user_id,
            "actor_role": actor.role,
            "action": action,
            "target_type": target_type,
            "target_id": target_id,
            "ip": actor.ip,
            "request_id": actor.request_id,
            "details": details or {},
        }
    )


_INSERT = insert(AuditEntry.__table__)  # Core: cheaper than the ORM's bulk insert


@before_commit
def _store(session: Session, change_set: ChangeSet) -> None:
    """The transaction's audit rows, in one statement just before its commit."""
    if change_set.audit_rows:
        session.execute(_INSERT, change_set.audit_rows)


def entries(
    actor_id: int | None,
    target_type: str | None,
    target_id: int | None,
    limit: int,
    cursor: str | None,
) -> Page[AuditEntry]:
    query = select(AuditEntry)
    if actor_id is not None:
        query = query.where(AuditEntry.actor_id == actor_id)
    if target_type is not None:
        query = query.where(AuditEntry.target_type == target_type)
    if target_id is not None:
        query = query.where(AuditEntry.target_id == target_id)
    return db.read(
        lambda session: paginate(session, query, AuditEntry, limit, cursor, AuditEntry.at)
    )
