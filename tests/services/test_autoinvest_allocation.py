"""The auto-invest arithmetic, without a database: units on offer, each rule's want, and the
allocation of a listing's units over the wants."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from invoiceapp.services.autoinvest import (
    UNIT,
    Exposure,
    RuleLimits,
    Want,
    allocate,
    fill_order,
    served_order,
    units_on_offer,
    wants,
)

EPOCH = datetime(2026, 1, 1, tzinfo=UTC)
money = st.integers(min_value=0, max_value=10**9)
fill_times = st.one_of(st.none(), st.integers(0, 50).map(lambda n: EPOCH + timedelta(seconds=n)))


@st.composite
def want_lists(draw, max_size=40):
    ids = draw(st.lists(st.integers(1, 10_000), unique=True, max_size=max_size))
    return [Want(i, draw(st.integers(0, 200)), draw(fill_times)) for i in ids]


# --- units on offer ----------------------------------------------------------------------------


@given(
    target=st.integers(UNIT, 10**10),
    funded_pct=st.integers(0, 100),
    share=st.integers(0, 100),
)
def test_units_on_offer_keep_within_the_share_and_leave_the_last_thousand(
    target, funded_pct, share
):
    remaining = target - target * funded_pct // 100
    units = units_on_offer(target, remaining, share)
    assert units >= 0
    assert units * UNIT * 100 <= target * share  # the AUTO_INVEST_SHARE cap
    if units:
        assert remaining - units * UNIT >= UNIT  # never the last ₹1,000
    # and it is the largest such whole number of units
    bigger = (units + 1) * UNIT
    assert bigger * 100 > target * share or remaining - bigger < UNIT


def test_units_on_offer_examples():
    assert units_on_offer(980_000_00, 980_000_00, 70) == 686  # ₹6,86,000 of ₹9,80,000
    assert units_on_offer(150_000, 150_000, 70) == 0  # 70 % is ₹1,050: less than a unit
    assert units_on_offer(500_000, 150_000, 70) == 0  # only ₹1,500 left: the last ₹1,000 stays
    assert units_on_offer(500_000, 200_000, 70) == 1
    assert units_on_offer(10**10, 10**10, 70) == 70_000


# --- allocation --------------------------------------------------------------------------------


@given(units=st.integers(0, 5_000), wanted=want_lists())
def test_allocation_adds_up_and_never_passes_a_want(units, wanted):
    parts = allocate(units, wanted)
    total_want = sum(w.units for w in wanted)
    assert sum(parts.values()) == min(units, total_want)  # every unit on offer that is wanted
    by_id = {w.rule_id: w for w in wanted}
    for rule_id, n in parts.items():
        assert 0 < n <= by_id[rule_id].units
    if total_want <= units:
        assert parts == {w.rule_id: w.units for w in wanted if w.units}


@given(units=st.integers(0, 5_000), wanted=want_lists())
def test_shortage_gives_each_its_floor_share_plus_at_most_one(units, wanted):
    total_want = sum(w.units for w in wanted)
    if total_want <= units:
        return
    parts = allocate(units, wanted)
    for w in wanted:
        floor_share = units * w.units // total_want
        assert floor_share <= parts.get(w.rule_id, 0) <= floor_share + 1


@given(units=st.integers(0, 5_000), wanted=want_lists())
def test_the_extra_units_go_to_the_least_recently_filled(units, wanted):
    total_want = sum(w.units for w in wanted)
    if total_want <= units:
        return
    parts = allocate(units, wanted)
    extra = {
        w.rule_id
        for w in wanted
        if w.units and parts.get(w.rule_id, 0) > units * w.units // total_want
    }
    under = [w for w in wanted if w.units and units * w.units // total_want < w.units]
    order = sorted(under, key=fill_order)
    # the extras are exactly a prefix of the fill order
    assert {w.rule_id for w in order[: len(extra)]} == extra


def test_never_filled_rules_come_first_then_oldest_fill_then_lowest_id():
    t = EPOCH
    wanted = [
        Want(1, 5, t + timedelta(seconds=2)),
        Want(2, 5, t + timedelta(seconds=1)),
        Want(3, 5, None),
        Want(4, 5, t + timedelta(seconds=1)),
        Want(5, 5, None),
    ]
    # 3 units for 25 wanted: every floor share is 0, so the order decides
    assert allocate(3, wanted) == {3: 1, 5: 1, 2: 1}
    assert allocate(4, wanted) == {3: 1, 5: 1, 2: 1, 4: 1}


def test_proportional_shares_when_the_wants_do_not_fit():
    wanted = [Want(1, 60), Want(2, 30), Want(3, 10)]
    assert allocate(50, wanted) == {1: 30, 2: 15, 3: 5}
    assert allocate(100, wanted) == {1: 60, 2: 30, 3: 10}
    assert allocate(200, wanted) == {1: 60, 2: 30, 3: 10}


def _rotate(rules: int, units: int, listings: int, want: int = 5) -> dict[int, int]:
    """Identical rules over many listings, as the job does it: the fills of one listing set
    the fill times the next one orders by."""
    last: dict[int, datetime | None] = dict.fromkeys(range(1, rules + 1))
    counts = dict.fromkeys(last, 0)
    for n in range(listings):
        wanted = [Want(i, want, last[i]) for i in last]
        parts = allocate(units, wanted)
        for position, rule_id in enumerate(served_order(units, wanted, parts)):
            counts[rule_id] += parts[rule_id]
            last[rule_id] = EPOCH + timedelta(seconds=n, microseconds=position)
    return counts


@settings(max_examples=50)
@given(
    rules=st.integers(2, 120),
    units=st.integers(1, 300),
    listings=st.integers(1, 60),
    want=st.integers(1, 5),
)
def test_identical_rules_are_filled_fairly_over_many_listings(rules, units, listings, want):
    counts = _rotate(rules, units, listings, want)
    assert max(counts.values()) - min(counts.values()) <= want


def test_a_listings_fills_are_stamped_in_the_order_the_rules_were_waiting():
    wanted = [Want(1, 1, EPOCH), Want(2, 1, None), Want(3, 1, EPOCH - timedelta(1)), Want(4, 1)]
    assert served_order(3, wanted, {1: 1, 2: 1, 3: 1}) == [2, 3, 1]
    # 4 units for 6 wanted: a share of 1 each, and the unit left over to the never filled
    wanted = [Want(1, 2, None), Want(2, 2, EPOCH), Want(3, 2, EPOCH - timedelta(1))]
    assert allocate(4, wanted) == {1: 2, 2: 1, 3: 1}
    assert served_order(4, wanted, {1: 2, 2: 1, 3: 1}) == [3, 2, 1]


def test_fairness_over_200_listings_and_500_rules():
    # 137 units a listing for 500 rules wanting one each: most rules miss each listing
    counts = _rotate(500, 137, 200, want=1)
    assert max(counts.values()) - min(counts.values()) <= 1
    assert sum(counts.values()) == 137 * 200


# --- wants -------------------------------------------------------------------------------------


@st.composite
def rule_sets(draw):
    investors = draw(st.integers(1, 4))
    exposures = {
        i: Exposure(draw(money), draw(st.integers(0, 10**7)), draw(st.integers(0, 10**7)))
        for i in range(1, investors + 1)
    }
    count = draw(st.integers(1, 12))
    rules = [
        RuleLimits(
            rule_id=n,
            investor_id=draw(st.integers(1, investors)),
            max_per_invoice=draw(st.integers(UNIT, 10**7)),
            budget_left=draw(st.integers(-(10**6), 10**7)),
            max_per_seller=draw(st.one_of(st.none(), st.integers(UNIT, 2 * 10**7))),
            max_per_buyer=draw(st.one_of(st.none(), st.integers(UNIT, 2 * 10**7))),
            keep_balance=draw(st.integers(0, 10**8)),
        )
        for n in draw(st.permutations(list(range(1, count + 1))))
    ]
    return rules, exposures


@given(rule_sets())
def test_wants_never_pass_a_limit_even_if_every_rule_got_its_whole_want(case):
    rules, exposures = case
    result = {w.rule_id: w for w in wants(rules, exposures)}
    assert set(result) == {r.rule_id for r in rules}
    spent: dict[int, int] = {}
    for rule in sorted(rules, key=lambda r: r.rule_id):  # shared limits: in rule-id order
        want = result[rule.rule_id].units * UNIT
        before = spent.get(rule.investor_id, 0)
        after = before + want
        exposure = exposures[rule.investor_id]
        assert want >= 0
        assert want <= rule.max_per_invoice
        assert want <= max(0, rule.budget_left)
        if rule.max_per_seller is not None:
            assert want == 0 or exposure.seller + after <= rule.max_per_seller
        if rule.max_per_buyer is not None:
            assert want == 0 or exposure.buyer + after <= rule.max_per_buyer
        assert want == 0 or exposure.wallet - after >= rule.keep_balance
        spent[rule.investor_id] = after


def test_want_is_the_least_limit_in_whole_units():
    rule = RuleLimits(1, 7, 25_000_00, 12_345_00, None, None, 0)
    assert wants([rule], {7: Exposure(10**8)}) == [Want(1, 12)]
    assert wants([rule], {7: Exposure(3_500_00)}) == [Want(1, 3)]


def test_an_investors_rules_share_its_wallet_and_seller_cap_in_rule_id_order():
    rules = [
        RuleLimits(2, 7, 50_000_00, 10**8, 80_000_00, None, 0),
        RuleLimits(1, 7, 50_000_00, 10**8, 80_000_00, None, 0),
        RuleLimits(3, 8, 50_000_00, 10**8, None, None, 0),
    ]
    exposures = {7: Exposure(10**8, seller=10_000_00), 8: Exposure(10**8)}
    assert [(w.rule_id, w.units) for w in wants(rules, exposures)] == [(1, 50), (2, 20), (3, 50)]


def test_a_rule_short_of_funds_is_told_apart_from_one_at_its_limits():
    rules = [
        RuleLimits(1, 7, 5_000_00, 10**8, None, None, 0),  # wallet ₹500: short
        RuleLimits(2, 8, 5_000_00, 0, None, None, 0),  # budget used up: not short
        RuleLimits(3, 9, 5_000_00, 10**8, None, None, 9_50_00),  # keeps ₹950 of ₹1,500
    ]
    exposures = {7: Exposure(500_00), 8: Exposure(10**8), 9: Exposure(1_500_00)}
    assert [(w.units, w.short_of_funds, w.wallet_room) for w in wants(rules, exposures)] == [
        (0, True, False),
        (0, False, True),
        (0, True, False),
    ]
