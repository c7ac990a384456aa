"""The arithmetic of invoice discounting, in Python integers (products of two amounts can pass
2^63, so none of it happens in SQL). All amounts are paise; rates are basis points."""

DAYS_BPS = 365 * 10_000  # a year of days times 10,000 basis points
MIN_INVESTMENT = 100_000  # ₹1,000


def funding_target(amount: int, discount_rate_bps: int, days: int) -> int:
    """What investors pay in total and the seller receives: face value less the discount,
    the discount floored so the seller never receives a fraction of a paisa too much."""
    return amount - amount * discount_rate_bps * days // DAYS_BPS


def annual_yield_bps(amount: int, target: int, days: int) -> int:
    return (amount - target) * DAYS_BPS // (target * days)


def expected_return(investment: int, amount: int, target: int) -> int:
    return investment * amount // target


def minimum_investment(remaining: int) -> int:
    return min(MIN_INVESTMENT, remaining)


def payouts(investments: list[tuple[int, int]], amount: int, target: int) -> dict[int, int]:
    """Split the face value over investments given as (id, invested), proportionally: each gets
    its floored expected return, and the paise left over go one each to the largest fractional
    remainders (ties: lowest id), so the payouts add up to exactly `amount`."""
    shares = {inv_id: invested * amount // target for inv_id, invested in investments}
    leftover = amount - sum(shares.values())
    by_remainder = sorted(investments, key=lambda item: (-(item[1] * amount % target), item[0]))
    for inv_id, _ in by_remainder[:leftover]:
        shares[inv_id] += 1
    return shares
