"""The auction's arithmetic as pure functions (no database): the book, the winning set, the
improvement rule, extensions, and the split of the target; by table and by property."""

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from invoiceapp.services import money
from invoiceapp.services.clearing import (
    MAX_EXTENSIONS,
    BookLevel,
    Offer,
    allocate,
    clear,
    competitive,
    extended,
    levels,
    rank,
)

L = 100_000_00  # ₹1,00,000 (a lakh) in paise


@pytest.mark.parametrize(
    "case,offers,amount,filled,rate,covered",
    [
        ("empty book", [], 10 * L, {}, None, False),
        ("not covered: every bid is in", [(1, 3 * L, 500), (2, 2 * L, 600)], 10 * L,
         {1: 3 * L, 2: 2 * L}, 600, False),
        ("the exact cover", [(1, 6 * L, 700), (2, 4 * L, 750)], 10 * L,
         {1: 6 * L, 2: 4 * L}, 750, True),
        ("a partial last bid", [(1, 7 * L, 800), (2, 5 * L, 900)], 10 * L,
         {1: 7 * L, 2: 3 * L}, 900, True),
        ("rate first, not time", [(1, 7 * L, 900), (2, 5 * L, 800)], 10 * L,
         {2: 5 * L, 1: 5 * L}, 900, True),
        ("ties broken by time (bid id)", [(3, 4 * L, 1000), (1, 4 * L, 1000), (2, 4 * L, 1000)],
         10 * L, {1: 4 * L, 2: 4 * L, 3: 2 * L}, 1000, True),
        ("bids past the cover are out", [(1, 10 * L, 500), (2, 1 * L, 400), (3, 1 * L, 600)],
         10 * L, {2: 1 * L, 1: 9 * L}, 500, True),
    ],
)  # fmt: skip
def test_the_winning_set(case, offers, amount, filled, rate, covered):
    result = clear([Offer(*offer) for offer in offers], amount)
    assert result.filled == filled
    assert list(result.filled) == list(filled)  # in book order
    assert result.clearing_rate_bps == rate
    assert result.covered is covered
    assert result.covered_face == sum(filled.values())


@pytest.mark.parametrize(
    "offers,rate,ok",
    [
        ([], 5000, True),  # an empty book takes anything
        ([(1, 5 * L, 900)], 4000, True),  # not covered: even above the best bid
        ([(1, 10 * L, 900)], 896, False),  # covered: at least 5 bps better
        ([(1, 10 * L, 900)], 895, True),
        ([(1, 10 * L, 900)], 900, False),
        ([(1, 10 * L, 4)], 0, False),  # 4 bps cannot be beaten by 5
    ],
)
def test_the_improvement_rule_applies_once_covered(offers, rate, ok):
    assert competitive(clear([Offer(*o) for o in offers], 10 * L), rate) is ok


CLOSE = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
WINDOW = timedelta(seconds=120)


@pytest.mark.parametrize(
    "before_close,extensions,closes_at,after",
    [
        (timedelta(seconds=121), 0, CLOSE, 0),  # outside the window: no change
        (timedelta(seconds=120), 0, CLOSE, 0),  # exactly 120 s before: not in the last 120 s
        (timedelta(seconds=119), 0, CLOSE + timedelta(seconds=1), 1),
        (timedelta(seconds=1), 3, CLOSE + timedelta(seconds=119), 4),
        (timedelta(seconds=1), MAX_EXTENSIONS - 1, CLOSE + timedelta(seconds=119), 10),
        (timedelta(seconds=1), MAX_EXTENSIONS, CLOSE, 10),  # the cap
    ],
)
def test_extensions_in_the_last_window_up_to_ten(before_close, extensions, closes_at, after):
    assert extended(CLOSE, extensions, CLOSE - before_close, WINDOW) == (closes_at, after)


def test_the_split_is_proportional_to_filled_face_with_ties_to_the_lowest_bid_id():
    # 3 equal winners share 100 paise: 33 each, the leftover paisa to the lowest id
    assert allocate(100, {7: 10, 3: 10, 5: 10}) == {3: 34, 5: 33, 7: 33}
    # 7:3 of a target of 9,80,000.00
    assert allocate(980_000_00, {1: 7 * L, 2: 3 * L}) == {1: 686_000_00, 2: 294_000_00}


def test_the_seller_sees_levels_without_bidders():
    offers = [Offer(1, 4 * L, 900), Offer(2, 4 * L, 800), Offer(3, 4 * L, 900)]
    book = levels(offers, {2: 4 * L, 1: 4 * L, 3: 2 * L})
    assert book == [BookLevel(800, 4 * L, 1, 4 * L), BookLevel(900, 8 * L, 2, 6 * L)]


# --- properties ------------------------------------------------------------------------------

offer_lists = st.lists(
    st.tuples(st.integers(100_000, 10**9), st.integers(0, 5000)), min_size=0, max_size=40
)


@given(offer_lists, st.integers(100_000, 10**10))
def test_the_winning_set_is_the_shortest_covering_prefix(raw, amount):
    offers = [Offer(n, face, rate) for n, (face, rate) in enumerate(raw, start=1)]
    result = clear(offers, amount)
    book = rank(offers)
    winners = book[: len(result.filled)]
    assert list(result.filled) == [offer.bid_id for offer in winners]
    assert result.covered_face == min(amount, sum(face for face, _ in raw))
    assert all(0 < result.filled[o.bid_id] <= o.face_amount for o in winners)
    # only the last winner may be partly in, and the set is the shortest that covers
    assert all(result.filled[o.bid_id] == o.face_amount for o in winners[:-1])
    if result.covered:
        assert sum(o.face_amount for o in winners[:-1]) < amount
        assert result.clearing_rate_bps == winners[-1].rate_bps


@given(offer_lists, st.integers(100_000, 10**10), st.integers(0, 5000), st.integers(7, 365))
def test_the_split_adds_up_and_no_winner_pays_more_than_it_holds(raw, amount, rate, days):
    offers = [Offer(n, face, rate) for n, (face, _) in enumerate(raw, start=1)]
    result = clear(offers, amount)
    if not result.covered:
        return
    target = money.funding_target(amount, rate, days)
    parts = allocate(target, result.filled)
    assert sum(parts.values()) == target
    assert all(0 <= parts[i] <= result.filled[i] for i in parts)
