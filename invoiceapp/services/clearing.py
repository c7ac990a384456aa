"""The arithmetic of a live rate auction, as pure functions: no database, no clock.
`services/auctions.py` applies them under the invoice's row lock.

The book ranks bids by rate ascending, then by bid id (earlier first). The winning set is the
shortest prefix of the book whose face amounts cover the invoice's amount, the last bid in it
possibly only in part; until the book covers the amount, every bid is in it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from . import money

MIN_IMPROVEMENT_BPS = 5  # once covered, a new bid must beat the clearing rate by this much
MAX_EXTENSIONS = 10


@dataclass(frozen=True)
class Offer:
    """A bid as the book sees it."""

    bid_id: int
    face_amount: int
    rate_bps: int


@dataclass(frozen=True)
class Clearing:
    filled: dict[int, int]  # the winning set in book order: bid id -> filled face
    covered_face: int
    clearing_rate_bps: int | None  # the rate of the last bid in the winning set
    covered: bool


@dataclass(frozen=True)
class BookLevel:
    rate_bps: int
    face_amount: int
    bid_count: int
    filled_face: int


def rank(offers: Iterable[Offer]) -> list[Offer]:
    return sorted(offers, key=lambda offer: (offer.rate_bps, offer.bid_id))


def clear(offers: Iterable[Offer], amount: int) -> Clearing:
    """The winning set of a book against an invoice's face amount."""
    filled: dict[int, int] = {}
    covered_face, rate = 0, None
    for offer in rank(offers):
        if covered_face == amount:
            break
        part = min(offer.face_amount, amount - covered_face)
        filled[offer.bid_id] = part
        covered_face += part
        rate = offer.rate_bps
    return Clearing(filled, covered_face, rate, covered_face == amount)


def competitive(current: Clearing, rate_bps: int) -> bool:
    """May a new bid at this rate join the book? Always until it is covered; then only at
    least MIN_IMPROVEMENT_BPS below the clearing rate."""
    return not current.covered or rate_bps <= current.clearing_rate_bps - MIN_IMPROVEMENT_BPS


def extended(
    closes_at: datetime, extensions: int, bid_at: datetime, window: timedelta
) -> tuple[datetime, int]:
    """A bid accepted in the last `window` before the close moves the close to `window` after
    the bid, at most MAX_EXTENSIONS times: (closes_at, extensions) after the bid."""
    if extensions < MAX_EXTENSIONS and closes_at - bid_at < window:
        return bid_at + window, extensions + 1
    return closes_at, extensions


def allocate(funding_target: int, filled: dict[int, int]) -> dict[int, int]:
    """Uniform price: the funding target shared over the winners in proportion to their filled
    face, by largest remainder (ties: lowest bid id), adding up to exactly the target."""
    return money.split(funding_target, sorted(filled.items()))


def levels(offers: Iterable[Offer], filled: dict[int, int]) -> list[BookLevel]:
    """The book by rate level (what the seller sees: no bidder named)."""
    by_rate: dict[int, list[Offer]] = {}
    for offer in rank(offers):
        by_rate.setdefault(offer.rate_bps, []).append(offer)
    return [
        BookLevel(
            rate,
            sum(offer.face_amount for offer in level),
            len(level),
            sum(filled.get(offer.bid_id, 0) for offer in level),
        )
        for rate, level in by_rate.items()
    ]
