"""The arithmetic of invoice discounting, exhaustively by property (amounts up to ₹10 crore)."""

from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from invoiceapp.services import money

amounts = st.integers(min_value=100_000, max_value=10**10)
rates = st.integers(min_value=0, max_value=5000)
days = st.integers(min_value=1, max_value=365)


def test_funding_target_worked_example():
    # ₹10,00,000 at 10% p.a. for 73 days: discount ₹20,000 exactly.
    assert money.funding_target(1_000_000_00, 1000, 73) == 980_000_00
    assert money.annual_yield_bps(1_000_000_00, 980_000_00, 73) == 1020


def test_discount_is_floored_in_the_sellers_favour():
    # 100000 * 1 * 7 / 3650000 = 0.19...: no discount at all.
    assert money.funding_target(100_000, 1, 7) == 100_000


@given(amounts, rates, days)
def test_funding_target_matches_the_exact_formula(amount, rate, tenor):
    target = money.funding_target(amount, rate, tenor)
    exact = Fraction(amount * rate * tenor, 3_650_000)
    assert amount - target == int(exact)  # floor of a non-negative fraction
    assert amount // 2 <= target <= amount


@given(amounts, rates, days)
def test_yield_is_floored_annualised_return(amount, rate, tenor):
    target = money.funding_target(amount, rate, tenor)
    yield_bps = money.annual_yield_bps(amount, target, tenor)
    exact = Fraction((amount - target) * 3_650_000, target * tenor)
    assert yield_bps == int(exact)
    assert yield_bps >= 0


@given(amounts, rates, days, st.data())
def test_expected_return_is_floored_and_at_least_the_investment(amount, rate, tenor, data):
    target = money.funding_target(amount, rate, tenor)
    invested = data.draw(st.integers(min_value=1, max_value=target))
    expected = money.expected_return(invested, amount, target)
    assert expected == int(Fraction(invested * amount, target))
    assert expected >= invested


@st.composite
def fundings(draw):
    amount = draw(amounts)
    target = money.funding_target(amount, draw(rates), draw(days))
    cuts = sorted(draw(st.lists(st.integers(1, target - 1), max_size=12, unique=True)))
    parts = [b - a for a, b in zip([0, *cuts], [*cuts, target], strict=False)]
    return amount, target, list(enumerate(parts, start=1))


@settings(max_examples=300)
@given(fundings())
def test_payouts_add_up_to_face_value_by_largest_remainder(case):
    amount, target, investments = case
    payouts = money.split(amount, investments)
    assert sum(payouts.values()) == amount
    extra = {i: payouts[i] - money.expected_return(a, amount, target) for i, a in investments}
    assert set(extra.values()) <= {0, 1}
    # whoever got a leftover paisa had a remainder at least as large as anyone who did not
    remainder = {i: a * amount % target for i, a in investments}
    winners = [i for i in extra if extra[i] == 1]
    losers = [i for i in extra if extra[i] == 0]
    for w in winners:
        for lo in losers:
            assert (remainder[w], -w) > (remainder[lo], -lo)


def test_payout_ties_go_to_the_lowest_investment_id():
    # three equal thirds of 100 paise: one leftover paisa, to investment 1
    assert money.split(100, [(3, 1), (1, 1), (2, 1)]) == {1: 34, 2: 33, 3: 33}


def test_minimum_investment_is_the_remainder_when_less_than_1000_rupees():
    assert money.minimum_investment(5_000_000) == 100_000
    assert money.minimum_investment(40_000) == 40_000


@st.composite
def payment_plans(draw):
    """Investments (weights) and a sequence of partial payments of a debt."""
    weights = draw(st.lists(st.integers(1, 10**9), min_size=1, max_size=8))
    debt = draw(st.integers(1, 10**10))
    cuts = sorted(draw(st.lists(st.integers(1, debt), max_size=10, unique=True)))
    payments = [b - a for a, b in zip([0, *cuts], [*cuts, debt], strict=True) if b > a]
    return list(enumerate(weights, start=1)), payments


@settings(max_examples=300)
@given(payment_plans())
def test_partial_payments_pay_every_investor_its_cumulative_pro_rata_share(plan):
    weighted, payments = plan
    whole = sum(w for _, w in weighted)
    received = {item: 0 for item, _ in weighted}
    distributed = 0
    for payment in payments:
        parts = money.distribute(payment, [(i, w, received[i]) for i, w in weighted], distributed)
        assert sum(parts.values()) == payment and min(parts.values()) >= 0
        distributed += payment
        for item, weight in weighted:
            received[item] += parts[item]
            exact = distributed * weight
            # within one paisa of the exact share of everything paid so far, never drifting
            assert (
                received[item] * whole >= exact - whole and received[item] * whole <= exact + whole
            )
    assert sum(received.values()) == distributed


def test_one_full_payment_is_the_first_releases_settlement_rule():
    weighted = [(1, 333), (2, 333), (3, 334)]
    assert money.distribute(1000, [(i, w, 0) for i, w in weighted], 0) == money.split(
        1000, weighted
    )


@settings(max_examples=200)
@given(st.integers(0, 10**10), st.integers(0, 5000), st.integers(0, 5000))
def test_a_days_late_interest_is_floored_act_365(face, rate, penalty):
    interest = money.daily_late_interest(face, rate, penalty)
    assert interest * 3_650_000 <= face * (rate + penalty) < (interest + 1) * 3_650_000
