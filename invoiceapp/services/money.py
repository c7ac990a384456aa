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


def split(total: int, weights: list[tuple[int, int]]) -> dict[int, int]:
    """Split `total` over (id, weight) pairs in proportion to the weights: each gets its floored
    share, and the paise left over go one each to the largest fractional remainders (ties:
    lowest id), so the parts add up to exactly `total`."""
    whole = sum(weight for _, weight in weights)
    parts = {item_id: total * weight // whole for item_id, weight in weights}
    leftover = total - sum(parts.values())
    by_remainder = sorted(weights, key=lambda item: (-(total * item[1] % whole), item[0]))
    for item_id, _ in by_remainder[:leftover]:
        parts[item_id] += 1
    return parts


def distribute(
    payment: int, investments: list[tuple[int, int, int]], distributed_before: int
) -> dict[int, int]:
    """Share one payment (a repayment or a recovery) over investments given as (id, weight,
    received so far). Each gets floor(payment * w / W); the paise left over go one each to the
    investments furthest below their exact cumulative share C * w / W - received, where C is
    everything distributed so far, this payment included (ties: lowest id). So however a debt
    is paid, in one go or in many parts, every investor ends up with its exact pro-rata share
    to the paisa, and the parts of each payment add up to the payment."""
    whole = sum(weight for _, weight, _ in investments)
    cumulative = distributed_before + payment
    parts = {item_id: payment * weight // whole for item_id, weight, _ in investments}
    leftover = payment - sum(parts.values())

    def shortfall(item: tuple[int, int, int]) -> tuple[int, int]:
        item_id, weight, received = item
        # (C * w / W - received) scaled by W, to compare exactly in integers
        return (-(cumulative * weight - (received + parts[item_id]) * whole), item_id)

    for item_id, _, _ in sorted(investments, key=shortfall)[:leftover]:
        parts[item_id] += 1
    return parts


def daily_late_interest(face_unpaid: int, discount_rate_bps: int, penalty_bps: int) -> int:
    """One day's late interest (Act/365) on the face value still unpaid at the end of the day."""
    return face_unpaid * (discount_rate_bps + penalty_bps) // DAYS_BPS


def format_inr(paise: int) -> str:
    """₹12,34,567.89: Indian digit grouping, for text written to people (emails)."""
    sign = "-" if paise < 0 else ""
    rupees, fraction = divmod(abs(paise), 100)
    digits = str(rupees)
    head, tail = digits[:-3], digits[-3:]
    groups = []
    while len(head) > 2:
        groups.insert(0, head[-2:])
        head = head[:-2]
    if head:
        groups.insert(0, head)
    grouped = ",".join([*groups, tail]) if groups else tail
    return f"{sign}₹{grouped}.{fraction:02d}"
