"""Live rate auctions through their service calls, time an input (`now`): the winning set at
the close, the improvement rule, extensions, auto-accept, early acceptance; after every case
the books balance and every paisa held for a bid is either invested or back in its wallet."""

from __future__ import annotations

import threading
import time
from datetime import timedelta

import pytest
from sqlalchemy import delete, select

from invoiceapp import db
from invoiceapp.models import (
    Account,
    AccountKind,
    Auction,
    Bid,
    Investment,
    Invoice,
    LedgerEntry,
    TransferKind,
    utcnow,
)
from invoiceapp.services import auctions, money
from invoiceapp.services.books import verify_ledger
from invoiceapp.services.dates import IST
from invoiceapp.services.errors import (
    AuctionClosed,
    BidNotCompetitive,
    DomainError,
    Forbidden,
    InvalidState,
)

L = 100_000_00  # ₹1,00,000
WALLET = 100_000_000


def _auction(invoice_id: int) -> Auction:
    return db.read(lambda session: session.get(Auction, invoice_id))


def _bids(invoice_id: int) -> list[Bid]:
    return db.read(
        lambda session: list(
            session.scalars(select(Bid).where(Bid.invoice_id == invoice_id).order_by(Bid.id))
        )
    )


def _invoice(invoice_id: int) -> Invoice:
    return db.read(lambda session: session.get(Invoice, invoice_id))


def _balances(user_id: int) -> dict[AccountKind, int]:
    return db.read(
        lambda session: dict(
            session.execute(
                select(Account.kind, Account.balance).where(Account.user_id == user_id)
            ).all()
        )
    )


def _investments(invoice_id: int) -> list[Investment]:
    return db.read(
        lambda session: list(
            session.scalars(
                select(Investment)
                .where(Investment.invoice_id == invoice_id)
                .order_by(Investment.id)
            )
        )
    )


def assert_money_kept(invoice_id: int, investors, seller) -> None:
    """The books balance; no hold is left; each investor's wallet lacks exactly what it
    invested; the seller received exactly the funding target (if any)."""
    assert verify_ledger() == []
    invested: dict[int, int] = {}
    for investment in _investments(invoice_id):
        invested[investment.investor_id] = (
            invested.get(investment.investor_id, 0) + investment.amount
        )
    for investor in investors:
        balances = _balances(investor.id)
        assert balances[AccountKind.HOLD] == 0
        assert balances[AccountKind.WALLET] == WALLET - invested.get(investor.id, 0)
    invoice = _invoice(invoice_id)
    received = invoice.funding_target if invoice.status.value == "funded" else 0
    assert _balances(seller.id)[AccountKind.WALLET] == WALLET + received
    assert sum(invested.values()) == received


@pytest.fixture
def investors(factory):
    return [factory.user("investor") for _ in range(4)]


# Bids in the order placed: (investor index, face amount, rate); a fourth item is the error
# code that refuses it. The outcome per accepted bid, in order: (state, filled_face).
CASES = [
    (
        "ties broken by time",
        [(0, 4 * L, 1000), (1, 4 * L, 1000), (2, 4 * L, 1000), (3, 4 * L, 900)],
        [("won", 4 * L), ("won", 2 * L), ("outbid", 0), ("won", 4 * L)],
        1000,
    ),
    ("a partial last bid", [(0, 7 * L, 800), (1, 5 * L, 900)], [("won", 7 * L), ("won", 3 * L)], 900),
    ("the exact cover", [(0, 6 * L, 700), (1, 4 * L, 750)], [("won", 6 * L), ("won", 4 * L)], 750),
    ("not covered", [(0, 3 * L, 500), (1, 2 * L, 600)], [("lost", 0), ("lost", 0)], None),
    (
        "the improvement rule",
        [
            (0, 10 * L, 900),
            (1, 5 * L, 896, "bid_not_competitive"),  # covered at 900: 895 at most
            (2, 5 * L, 895),
            (3, 5 * L, 890),  # clearing now 895: 890 is just enough
            (1, 1 * L, 891, "bid_not_competitive"),
        ],
        [("outbid", 0), ("won", 5 * L), ("won", 5 * L)],
        895,
    ),
    (
        "bids past the cover are outbid at once",
        [(0, 5 * L, 1200), (1, 5 * L, 1300), (2, 6 * L, 1100), (3, 1 * L, 1000)],
        [("won", 3 * L), ("outbid", 0), ("won", 6 * L), ("won", 1 * L)],
        1200,
    ),
]  # fmt: skip


@pytest.mark.parametrize("case,placed,outcome,clearing_rate", CASES, ids=[c[0] for c in CASES])
def test_allocation_at_the_close(factory, seller, investors, case, placed, outcome, clearing_rate):
    invoice = factory.auction(seller, amount=10 * L)
    for investor, face, rate, *refused in placed:
        try:
            auctions.place_bid(investors[investor].id, invoice["id"], face, rate)
            assert not refused, f"{case}: the bid at {rate} should have been refused"
        except DomainError as error:
            assert [error.code] == refused, case
    auction = _auction(invoice["id"])
    assert auction.bid_count == len(outcome)
    assert auction.clearing_rate_bps == (clearing_rate or max(b[2] for b in placed))
    # the close is the worker's: not a moment early, then exactly once
    assert auctions.close_due(auction.closes_at - timedelta(microseconds=1)) == 0
    assert auctions.close_due(auction.closes_at) == 1
    assert auctions.close_due(auction.closes_at + timedelta(seconds=5)) == 0

    bids = _bids(invoice["id"])
    assert [(bid.state.value, bid.filled_face) for bid in bids] == outcome
    closed = _invoice(invoice["id"])
    investments = _investments(invoice["id"])
    if clearing_rate is None:
        assert (closed.status.value, closed.reason) == ("cancelled", "auction_unfilled")
        assert _auction(invoice["id"]).state.value == "unfilled"
        assert investments == []
    else:
        days = (closed.due_date - auction.closes_at.astimezone(IST).date()).days
        assert (closed.status.value, closed.discount_rate_bps) == ("funded", clearing_rate)
        assert closed.tenor_days == days
        assert closed.funding_target == money.funding_target(10 * L, clearing_rate, days)
        assert _auction(invoice["id"]).state.value == "closed"
        winners = [bid for bid in bids if bid.state.value == "won"]
        by_id = {investment.id: investment for investment in investments}
        assert sorted(by_id) == sorted(bid.investment_id for bid in winners)
        parts = money.split(closed.funding_target, [(b.id, b.filled_face) for b in winners])
        for bid in winners:
            investment = by_id[bid.investment_id]
            assert investment.investor_id == bid.investor_id
            assert investment.source.value == "auction"
            assert investment.amount == parts[bid.id]
            assert investment.expected_return == bid.filled_face
    assert_money_kept(invoice["id"], investors, seller)


def test_hold_moves_with_the_bid_and_comes_back_when_outbid(factory, seller, investors):
    invoice = factory.auction(seller, amount=10 * L)
    first, second = investors[:2]
    auctions.place_bid(first.id, invoice["id"], 10 * L, 1000)
    assert _balances(first.id) == {AccountKind.WALLET: WALLET - 10 * L, AccountKind.HOLD: 10 * L}
    auctions.place_bid(second.id, invoice["id"], 10 * L, 990)
    assert _balances(first.id) == {AccountKind.WALLET: WALLET, AccountKind.HOLD: 0}
    kinds = db.read(
        lambda session: list(
            session.scalars(
                select(LedgerEntry.kind)
                .join(Account, Account.id == LedgerEntry.account_id)
                .where(Account.user_id == first.id, Account.kind == AccountKind.WALLET)
                .order_by(LedgerEntry.id)
            )
        )
    )
    assert kinds == [TransferKind.DEMO_CREDIT, TransferKind.BID_HOLD, TransferKind.BID_RELEASE]
    assert verify_ledger() == []


def test_a_wallet_is_never_promised_twice(factory, seller, investors):
    one, two = factory.auction(seller, amount=10 * L), factory.auction(seller, amount=10 * L)
    investor = investors[0]
    auctions.place_bid(investor.id, one["id"], 6 * L, 1000)
    with pytest.raises(DomainError) as refused:
        auctions.place_bid(investor.id, two["id"], 6 * L, 1000)
    assert refused.value.code == "insufficient_funds"
    assert _auction(two["id"]).bid_count == 0
    assert verify_ledger() == []


def test_extensions_in_the_last_window_at_most_ten_and_never_for_a_refused_bid(
    factory, seller, investors
):
    invoice = factory.auction(seller, amount=100 * L)
    first, second = investors[:2]
    deadline = _auction(invoice["id"]).closes_at

    def bid(investor, at, rate=1000):
        return auctions.place_bid(investor.id, invoice["id"], 1 * L, rate, now=at).auction

    assert bid(first, deadline - timedelta(seconds=121)).closes_at == deadline  # not in window
    at = deadline - timedelta(seconds=119)
    extended = bid(first, at)
    assert (extended.closes_at, extended.extensions) == (at + timedelta(seconds=120), 1)
    for n in range(2, 11):
        at = extended.closes_at - timedelta(seconds=1)
        extended = bid(first if n % 2 else second, at)
        assert (extended.closes_at, extended.extensions) == (at + timedelta(seconds=120), n)
    last = extended.closes_at
    capped = bid(second, last - timedelta(seconds=1))
    assert (capped.closes_at, capped.extensions) == (last, 10)  # the cap
    with pytest.raises(AuctionClosed):
        bid(second, last)  # at closes_at: too late
    assert _auction(invoice["id"]).closes_at == last
    assert auctions.close_due(last - timedelta(seconds=1)) == 0
    assert auctions.close_due(last) == 1  # 13 bids of ₹1,00,000 do not cover ₹1 crore
    assert _invoice(invoice["id"]).reason == "auction_unfilled"
    assert_money_kept(invoice["id"], investors, seller)


def test_a_refused_bid_in_the_window_does_not_extend(factory, seller, investors):
    invoice = factory.auction(seller, amount=10 * L)
    deadline = _auction(invoice["id"]).closes_at
    auctions.place_bid(investors[0].id, invoice["id"], 10 * L, 900)
    with pytest.raises(BidNotCompetitive):
        auctions.place_bid(
            investors[1].id, invoice["id"], 10 * L, 899, now=deadline - timedelta(seconds=5)
        )
    assert (_auction(invoice["id"]).closes_at, _auction(invoice["id"]).extensions) == (deadline, 0)
    assert verify_ledger() == []


def test_auto_accept_closes_at_once_when_covered_at_or_below_its_rate(factory, seller, investors):
    invoice = factory.auction(seller, amount=10 * L, auto_accept_rate_bps=1000)
    a, b, c, d = investors
    auctions.place_bid(a.id, invoice["id"], 6 * L, 1100)
    assert auctions.place_bid(b.id, invoice["id"], 6 * L, 1050).auction.state.value == "open"
    covered = auctions.place_bid(c.id, invoice["id"], 6 * L, 1000).auction
    assert (covered.state.value, covered.clearing_rate_bps) == ("open", 1050)
    result = auctions.place_bid(d.id, invoice["id"], 5 * L, 950)
    assert result.auction.state.value == "closed" and result.bid.state.value == "won"
    closed = _invoice(invoice["id"])
    assert (closed.status.value, closed.discount_rate_bps) == ("funded", 1000)
    assert [(b.state.value, b.filled_face) for b in _bids(invoice["id"])] == [
        ("outbid", 0),
        ("outbid", 0),
        ("won", 5 * L),
        ("won", 5 * L),
    ]
    assert auctions.close_due(utcnow() + timedelta(days=2)) == 0
    assert_money_kept(invoice["id"], investors, seller)


def test_the_seller_may_accept_early_once_covered(factory, seller, investors):
    invoice = factory.auction(seller, amount=10 * L)
    auctions.place_bid(investors[0].id, invoice["id"], 6 * L, 800)
    with pytest.raises(InvalidState):
        auctions.accept_early(seller.id, invoice["id"])  # not covered yet
    auctions.place_bid(investors[1].id, invoice["id"], 6 * L, 900)
    with pytest.raises(Forbidden):
        auctions.accept_early(factory.user("seller").id, invoice["id"])
    accepted = auctions.accept_early(seller.id, invoice["id"])
    assert (accepted.status.value, accepted.discount_rate_bps) == ("funded", 900)
    assert accepted.auction.state.value == "closed"
    with pytest.raises(AuctionClosed):
        auctions.place_bid(investors[2].id, invoice["id"], 1 * L, 100)
    with pytest.raises(InvalidState):
        auctions.accept_early(seller.id, invoice["id"])
    assert auctions.close_due(utcnow() + timedelta(days=2)) == 0
    assert_money_kept(invoice["id"], investors, seller)


def test_a_user_from_before_release_2_gets_a_hold_account_at_the_first_bid(
    factory, seller, investors
):
    investor = investors[0]
    db.transaction(
        lambda session: session.execute(
            delete(Account).where(Account.user_id == investor.id, Account.kind == AccountKind.HOLD)
        )
    )
    invoice = factory.auction(seller, amount=10 * L)
    auctions.place_bid(investor.id, invoice["id"], 10 * L, 900)
    assert _balances(investor.id)[AccountKind.HOLD] == 10 * L
    assert auctions.close_due(_auction(invoice["id"]).closes_at) == 1
    assert_money_kept(invoice["id"], [investor], seller)


@pytest.mark.postgres
@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)
def test_a_cancel_queued_behind_the_first_bid_sees_it(factory, seller, investors):
    """The cancel waits on the invoice's row lock while the first bid commits; it must then
    see the bid (and refuse), not the auction as its own statement first found it."""
    from invoiceapp.services import invoices

    invoice = factory.auction(seller, amount=10 * L)
    bidding, outcome = threading.Event(), {}

    def slow_bid(session):
        locked = invoices.lock_invoice(session, invoice["id"])
        result = auctions.bid_in(session, investors[0].id, locked, 10 * L, 900, utcnow())
        bidding.set()
        time.sleep(0.5)  # the cancel is queued on the row lock now
        return result

    def cancel():
        bidding.wait(5)
        try:
            invoices.cancel(seller.id, invoice["id"])
            outcome["cancel"] = "ok"
        except DomainError as error:
            outcome["cancel"] = error.code

    canceller = threading.Thread(target=cancel)
    canceller.start()
    db.transaction(slow_bid)
    canceller.join(10)
    assert outcome["cancel"] == "invalid_state"
    assert _invoice(invoice["id"]).status.value == "listed"
    assert verify_ledger() == []
