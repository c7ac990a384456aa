"""The kept portfolio figures (services/portfolios.py). Every test that uses the `app` fixture
also checks, at its end, that they equal a fresh sum of the investments (tests/conftest.py);
these tests check them at every step of a life and that `flask ledger verify` notices drift."""

from sqlalchemy import text

from invoiceapp import db, demo
from invoiceapp.services import portfolios, reports
from invoiceapp.services.books import verify_ledger


def test_the_figures_equal_a_fresh_sum_after_every_step_of_every_life(app):
    # Each line the demo seed yields is a step: fundings, days overdue, repayments, recoveries,
    # a default, a write-off, a cancellation with refunds.
    steps = 0
    for _line in demo.seed():
        steps += 1
        assert db.read(portfolios.mismatches) == []
    assert steps > 5
    figures = db.read(lambda s: s.execute(text("SELECT * FROM portfolio_totals")).all())
    assert {row.investor_id for row in figures}  # the demo's investors have figures


def test_the_portfolio_shows_the_kept_figures(app, factory, seller, investor):
    invoice = factory.invoice(seller)
    assert factory.fund(investor, invoice["id"], 100_000_00).status_code == 201
    summary, investments = reports.portfolio(investor.id)
    assert summary.invested == 100_000_00 and summary.active_count == 1
    assert summary == db.read(portfolios.summed)[investor.id]
    assert [i.amount for i in investments] == [100_000_00]


def test_ledger_verify_names_a_figure_that_drifted(app, runner, factory, seller, investor):
    invoice = factory.invoice(seller)
    factory.fund(investor, invoice["id"], 100_000_00)
    db.transaction(lambda s: s.execute(text("UPDATE portfolio_totals SET invested = invested + 1")))
    assert verify_ledger() == [
        f"investor {investor.id}'s portfolio invested is {100_000_00 + 1}, but their "
        f"investments sum to {100_000_00}"
    ]
    result = runner.invoke(args=["ledger", "verify"])
    assert result.exit_code == 1 and "portfolio invested" in result.output
    db.transaction(portfolios.rebuild)  # mended, as bench/scale.py does after seeding
    assert verify_ledger() == []
