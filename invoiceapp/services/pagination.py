"""Keyset pagination on (created_at, id), newest first, with an opaque cursor."""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Generic, TypeVar

from sqlalchemy import Select, and_, or_
from sqlalchemy.orm import Session

from .errors import ValidationFailed

T = TypeVar("T")


@dataclass
class Page(Generic[T]):
    items: list[T]
    next_cursor: str | None


def encode_cursor(created_at: datetime, row_id: int) -> str:
    raw = json.dumps([created_at.isoformat(), row_id]).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[datetime, int]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        created_at, row_id = json.loads(raw)
        moment = datetime.fromisoformat(created_at)
        if moment.tzinfo is None or not isinstance(row_id, int) or isinstance(row_id, bool):
            raise ValueError
        return moment, row_id
    except (ValueError, TypeError, binascii.Error, UnicodeDecodeError):
        raise ValidationFailed(
            "The cursor is not valid.", {"cursor": ["Invalid cursor."]}
        ) from None


def paginate(
    session: Session, query: Select, model: Any, limit: int, cursor: str | None, time_column=None
) -> Page:
    """Newest first by (time_column, id); time_column defaults to the model's created_at."""
    moment = time_column if time_column is not None else model.created_at
    if cursor:
        created_at, row_id = decode_cursor(cursor)
        query = query.where(or_(moment < created_at, and_(moment == created_at, model.id < row_id)))
    rows = session.scalars(query.order_by(moment.desc(), model.id.desc()).limit(limit + 1))
    rows = rows.unique().all()
    has_more = len(rows) > limit
    rows = rows[:limit]
    last = rows[-1] if rows else None
    next_cursor = encode_cursor(getattr(last, moment.key), last.id) if has_more and last else None
    return Page(list(rows), next_cursor)
