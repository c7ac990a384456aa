"""Auto-invest (SPEC R2.4)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from . import jobs


@jobs.handler("auto_invest")
def fill_listing(session: Session, payload: dict) -> None:
    """Fill the auto-invest rules that match a new fixed-price listing."""
