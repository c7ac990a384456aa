"""Auto-invest: an investor's standing rules that fund new fixed-price listings.

The arithmetic is pure (`units_on_offer`, `wants`, `allocate`) so property tests can hammer it
without a database; `fill_in` applies it inside the listing's job: every fill is a normal
funding by the same rule (`funding.fund_many_in`), all of one listing's fills in the job's one
transaction.

Listings are filled one at a time in listing order, whatever the number of worker processes:
the least-recently-filled order of a listing depends on the fills of the one before it. A job
first waits for (and takes over) every earlier auto-invest job still pending, then takes one
advisory lock that every auto-invest job takes, so two workers never interleave two listings.
The job row, the fills and the job's "done" commit together: a worker killed mid-job leaves
nothing behind and the next worker fills the listing once (the unique index on
investments(rule_id, invoice_id) stands behind that).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import Row, and_, func, or_, select, text, true
from sqlalchemy.orm import Session

from .. import db
from ..models import (
    Account,
    AccountKind,
    AutoInvestRule,
    Investment,
    InvestmentSource,
    InvestmentStatus,
    Invoice,
    InvoiceStatus,
    Job,
    JobStatus,
    Pricing,
    Role,
    User,
    utcnow,
)
from . import audit, funding, jobs, notifications, settings
from .changes import AutoInvestFilled, changes
from .dates import today_ist
from .errors import NotFound
from .invoices import lock_invoice
from .money import format_inr

UNIT = 100_000  # ₹1,000: auto-invest fills in whole units of this
INSUFFICIENT_FUNDS = "insufficient funds"
JOB_KIND = "auto_invest"
# pg_advisory_xact_lock key held by the job that is filling a listing ("AUTOINV" in ASCII).
FILL_LOCK = 0x4155544F494E56


# --- the arithmetic (pure) -------------------------------------------------------------------


def units_on_offer(target: int, remaining: int, share_pct: int) -> int:
    """U: whole units auto-invest may take of a listing: at most `share_pct` % of the target and
    never the last ₹1,000 (so a person can always complete the invoice)."""
    cap = min(target * share_pct // 100, remaining - UNIT)
    return max(0, cap // UNIT)


@dataclass(frozen=True)
class RuleLimits:
    """One matching rule and what limits it on this listing (all paise)."""

    rule_id: int
    investor_id: int
    max_per_invoice: int
    budget_left: int  # budget less the rule's active invested amount
    max_per_seller: int | None
    max_per_buyer: int | None
    keep_balance: int
    last_filled_at: datetime | None = None


@dataclass(frozen=True)
class Exposure:
    """One investor's wallet and active exposure to this listing's seller and buyer name."""

    wallet: int
    seller: int = 0
    buyer: int = 0


@dataclass(frozen=True)
class Want:
    rule_id: int
    units: int
    last_filled_at: datetime | None = None
    short_of_funds: bool = False  # its other limits allow a unit; its wallet does not
    wallet_room: bool = True  # its wallet (less keep_balance, and earlier rules) pays a unit


def wants(rules: Iterable[RuleLimits], exposures: dict[int, Exposure]) -> list[Want]:
    """Each rule's want in whole units: the least of its limits and its wallet. An investor's
    wallet and its exposure to the seller and buyer are shared by its rules, taken in rule-id
    order, so that even if every rule got its whole want no limit would be passed."""
    taken: dict[int, int] = {}  # investor -> paise wanted by its earlier rules
    result = []
    for rule in sorted(rules, key=lambda r: r.rule_id):
        exposure = exposures[rule.investor_id]
        earlier = taken.get(rule.investor_id, 0)
        limits = [rule.max_per_invoice, rule.budget_left]
        if rule.max_per_seller is not None:
            limits.append(rule.max_per_seller - exposure.seller - earlier)
        if rule.max_per_buyer is not None:
            limits.append(rule.max_per_buyer - exposure.buyer - earlier)
        by_limits = max(0, min(limits)) // UNIT
        by_wallet = max(0, exposure.wallet - earlier - rule.keep_balance) // UNIT
        units = min(by_limits, by_wallet)
        taken[rule.investor_id] = earlier + units * UNIT
        short = by_limits > 0 and by_wallet == 0
        result.append(Want(rule.rule_id, units, rule.last_filled_at, short, by_wallet > 0))
    return result


def fill_order(want: Want) -> tuple:
    """Least recently filled first; never filled before all; ties: lowest rule id."""
    return (want.last_filled_at is not None, want.last_filled_at or datetime.min, want.rule_id)


def allocate(units: int, wanted: Iterable[Want]) -> dict[int, int]:
    """Units per rule id. If the wants fit in `units` each gets its want; otherwise each gets
    floor(units * want / total) and the units left go one each to the rules still under their
    want, least recently filled first. Rules wanting nothing are left out."""
    wanted = [w for w in wanted if w.units > 0]
    total = sum(w.units for w in wanted)
    if total <= units:
        return {w.rule_id: w.units for w in wanted}
    parts = {w.rule_id: units * w.units // total for w in wanted}
    left = units - sum(parts.values())
    # Fewer units are left than rules whose share had a fraction (each under its want), so one
    # pass in fill order places them all.
    for w in sorted(wanted, key=fill_order):
        if left == 0:
            break
        if parts[w.rule_id] < w.units:
            parts[w.rule_id] += 1
            left -= 1
    return {rule_id: n for rule_id, n in parts.items() if n > 0}


def served_order(units: int, wanted: Iterable[Want], parts: dict[int, int]) -> list[int]:
    """The rules a listing filled, in the order they were served: those that got only their
    share, then those that also got a unit left over, each group in fill order. Their new fill
    times follow this order a microsecond apart: stamped alike, the next listing would break
    the tie by lowest id and favour low ids for ever (a queue, not a rotation)."""
    wanted = [w for w in wanted if parts.get(w.rule_id)]
    total = sum(w.units for w in wanted)

    def got_extra(w: Want) -> bool:
        return total > units and parts[w.rule_id] > units * w.units // total

    return [w.rule_id for w in sorted(wanted, key=lambda w: (got_extra(w), fill_order(w)))]


# --- filling a listing (the job) --------------------------------------------------------------


@dataclass
class Plan:
    """What a listing's job will do: units on offer, each matching rule's want, the allocation."""

    invoice_id: int
    units: int = 0
    wants: list[Want] = field(default_factory=list)
    allocation: dict[int, int] = field(default_factory=dict)
    rules: dict[int, Row] = field(default_factory=dict)  # the matching rules (RULE_COLUMNS)
    wallets: dict[int, int] = field(default_factory=dict)  # investor -> balance before

    @property
    def fills(self) -> dict[int, int]:
        """Paise per rule id."""
        return {rule_id: n * UNIT for rule_id, n in self.allocation.items()}


RULE_COLUMNS = (
    AutoInvestRule.id,
    AutoInvestRule.investor_id,
    AutoInvestRule.max_per_invoice,
    AutoInvestRule.budget,
    AutoInvestRule.max_per_seller,
    AutoInvestRule.max_per_buyer,
    AutoInvestRule.keep_balance,
    AutoInvestRule.paused_reason,
    AutoInvestRule.last_filled_at,
)


def _open_for_auto_invest(invoice: Invoice) -> bool:
    return (
        invoice.status == InvoiceStatus.LISTED
        and invoice.pricing == Pricing.FIXED
        and invoice.funding_target is not None
        and (invoice.due_date - today_ist()).days >= 1
    )


def _matching(invoice: Invoice, *columns):
    """Active rules of active investors that accept this invoice."""
    confirmed = (
        true() if invoice.buyer_confirmed else AutoInvestRule.buyer_confirmed_only.is_(False)
    )
    return (
        select(*columns)
        .join(User, User.id == AutoInvestRule.investor_id)
        .where(
            AutoInvestRule.active.is_(True),
            AutoInvestRule.min_yield_bps <= invoice.annual_yield_bps,
            AutoInvestRule.max_tenor_days >= invoice.tenor_days,
            confirmed,
            User.role == Role.INVESTOR,
            User.suspended_at.is_(None),
            User.id != invoice.seller_id,
        )
    )


def _int(value) -> int:
    return int(value or 0)  # SUM(bigint) is a Decimal in PostgreSQL, NULL over no rows


def _active_sums(session: Session, group, *conditions) -> dict[int, int]:
    rows = session.execute(
        select(group, func.sum(Investment.amount))
        .join(Invoice, Invoice.id == Investment.invoice_id)
        .where(Investment.status == InvestmentStatus.ACTIVE, *conditions)
        .group_by(group)
    ).all()
    return {key: _int(total) for key, total in rows}


def plan_in(session: Session, invoice: Invoice) -> Plan:
    """The allocation for a listing the session has locked. Lock order: the invoice, the
    matching rules (a rule change waits), then the escrow and the investors' wallets by
    ascending id, so nobody spends them meanwhile; the exposures are SQL aggregates."""
    plan = Plan(invoice.id)
    if not _open_for_auto_invest(invoice):
        return plan
    # Plain rows, not ORM objects: 10,000 rules and wallets load several times faster so.
    rules = session.execute(
        _matching(invoice, *RULE_COLUMNS)
        .order_by(AutoInvestRule.id)
        .with_for_update(of=AutoInvestRule)
    ).all()
    if not rules:
        return plan
    plan.rules = {rule.id: rule for rule in rules}
    investors = _matching(invoice, AutoInvestRule.investor_id)
    accounts = session.execute(
        select(Account.user_id, Account.kind, Account.balance)
        .where(
            or_(
                Account.id == invoice.escrow_account_id,
                and_(Account.kind == AccountKind.WALLET, Account.user_id.in_(investors)),
            )
        )
        .order_by(Account.id)
        .with_for_update()
    ).all()
    plan.wallets = {a.user_id: a.balance for a in accounts if a.kind == AccountKind.WALLET}
    # With the wallets locked the exposures cannot grow: every funding locks its wallet.
    invested = _active_sums(
        session, Investment.rule_id, Investment.rule_id.in_(_matching(invoice, AutoInvestRule.id))
    )
    in_investors = Investment.investor_id.in_(investors)
    seller = _active_sums(
        session, Investment.investor_id, in_investors, Invoice.seller_id == invoice.seller_id
    )
    buyer = _active_sums(
        session, Investment.investor_id, in_investors, Invoice.buyer_name == invoice.buyer_name
    )
    exposures = {
        investor: Exposure(wallet, seller.get(investor, 0), buyer.get(investor, 0))
        for investor, wallet in plan.wallets.items()
    }
    limits = [
        RuleLimits(
            rule.id,
            rule.investor_id,
            rule.max_per_invoice,
            rule.budget - invested.get(rule.id, 0),
            rule.max_per_seller,
            rule.max_per_buyer,
            rule.keep_balance,
            rule.last_filled_at,
        )
        for rule in rules
    ]
    plan.units = units_on_offer(
        invoice.funding_target, invoice.remaining, settings.get().auto_invest_share
    )
    plan.wants = wants(limits, exposures)
    plan.allocation = allocate(plan.units, plan.wants)
    return plan


def fill_in(session: Session, invoice_id: int) -> Plan:
    """Fill one listing's matching rules in the caller's transaction."""
    invoice = lock_invoice(session, invoice_id)
    plan = plan_in(session, invoice)
    pauses = _pause_changes(session, plan)
    touched = set(plan.allocation) | set(pauses)
    if not touched:
        return plan
    rules = {
        rule.id: rule
        for rule in session.scalars(select(AutoInvestRule).where(AutoInvestRule.id.in_(touched)))
    }
    for rule_id, reason in pauses.items():
        rules[rule_id].paused_reason = reason
    if not plan.allocation:
        return plan
    # Fill times only move forward, whatever the clocks of the workers that wrote the last ones.
    latest = max((w.last_filled_at for w in plan.wants if w.last_filled_at), default=None)
    now = utcnow()
    start = max(now, latest + timedelta(microseconds=1)) if latest else now
    filled_at = {
        rule_id: start + timedelta(microseconds=n)
        for n, rule_id in enumerate(served_order(plan.units, plan.wants, plan.allocation))
    }
    # One batch, as if funded one after another in rule-id order (each rule's want left its
    # wallet at or above its keep_balance in that order).
    rule_ids = sorted(plan.allocation)
    orders = [
        funding.Order(
            plan.rules[rule_id].investor_id,
            plan.allocation[rule_id] * UNIT,
            InvestmentSource.AUTO,
            rule_id=rule_id,
        )
        for rule_id in rule_ids
    ]
    results = funding.fund_many_in(session, invoice, orders)
    recorded = changes(session)
    for rule_id, result in zip(rule_ids, results, strict=True):
        rule = rules[rule_id]
        rule.last_filled_at = filled_at[rule_id]
        rule.paused_reason = None
        recorded.add(AutoInvestFilled(rule, result.investment, invoice))
    return plan


def _pause_changes(session: Session, plan: Plan) -> dict[int, str | None]:
    """A rule whose wallet cannot pay is skipped and paused, its investor told once; the pause
    ends when the wallet pays a unit again (or the rule fills). New paused_reason by rule id."""
    found: dict[int, str | None] = {}
    for want in plan.wants:
        rule = plan.rules[want.rule_id]
        wallet = plan.wallets[rule.investor_id]
        if want.short_of_funds and not _keeps_more_than_wallet(rule, wallet):
            if rule.paused_reason is None:
                found[rule.id] = INSUFFICIENT_FUNDS
                notifications.auto_invest_paused(session, rule, wallet)
        elif rule.paused_reason is not None and want.wallet_room:
            found[rule.id] = None
    return found


def _earlier_jobs(session: Session, invoice_id: int) -> list[Job]:
    """Auto-invest jobs of earlier listings still pending, locked: another worker's in-flight
    job is waited for (and then drops out, done); one waiting to retry is taken over here."""
    mine = select(Job.id).where(Job.key == f"{JOB_KIND}:{invoice_id}").scalar_subquery()
    return list(
        session.scalars(
            select(Job)
            .where(Job.kind == JOB_KIND, Job.status == JobStatus.PENDING, Job.id < mine)
            .order_by(Job.id)
            .with_for_update()
        )
    )


@jobs.handler(JOB_KIND)
def fill_listing(session: Session, payload: dict) -> None:
    """Fill the auto-invest rules that match a new fixed-price listing (and, first, those of
    any earlier listing whose job is still pending)."""
    earlier = _earlier_jobs(session, payload["invoice_id"])
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": FILL_LOCK})
    for job in earlier:
        fill_in(session, job.payload["invoice_id"])
        job.status = JobStatus.DONE
        job.finished_at = utcnow()
    fill_in(session, payload["invoice_id"])


# --- the rules (the API's service) ------------------------------------------------------------

RULE_FIELDS = (
    "min_yield_bps",
    "max_tenor_days",
    "max_per_invoice",
    "max_per_seller",
    "max_per_buyer",
    "budget",
    "keep_balance",
    "buyer_confirmed_only",
    "active",
)
DEFAULTS = {
    "min_yield_bps": 0,
    "max_tenor_days": 365,
    "max_per_seller": None,
    "max_per_buyer": None,
    "keep_balance": 0,
    "buyer_confirmed_only": False,
    "active": True,
}


@dataclass
class RuleView:
    """A rule as its investor sees it: its settings, what it has invested, and its status."""

    rule: AutoInvestRule
    invested: int
    status: str

    def __getattr__(self, name):
        return getattr(self.rule, name)


def _keeps_more_than_wallet(rule, wallet: int) -> bool:
    return rule.keep_balance > 0 and wallet <= rule.keep_balance


def rule_status(rule: AutoInvestRule, wallet: int) -> str:
    if not rule.active:
        return "paused"
    if _keeps_more_than_wallet(rule, wallet):
        return f"inactive until your wallet passes {format_inr(rule.keep_balance)}"
    if rule.paused_reason is not None and wallet - rule.keep_balance < UNIT:
        return f"paused: {rule.paused_reason}"
    return "active"


def _views(session: Session, investor_id: int, rules: list[AutoInvestRule]) -> list[RuleView]:
    wallet = session.scalar(
        select(Account.balance).where(
            Account.user_id == investor_id, Account.kind == AccountKind.WALLET
        )
    )
    invested = _active_sums(
        session, Investment.rule_id, Investment.rule_id.in_([rule.id for rule in rules])
    )
    return [RuleView(rule, invested.get(rule.id, 0), rule_status(rule, wallet)) for rule in rules]


def _own_rule(session: Session, investor_id: int, rule_id: int, lock: bool = False):
    query = select(AutoInvestRule).where(
        AutoInvestRule.id == rule_id, AutoInvestRule.investor_id == investor_id
    )
    rule = session.scalar(query.with_for_update() if lock else query)
    if rule is None:  # someone else's rule is as unknown as a missing one
        raise NotFound("Auto-invest rule not found.")
    return rule


def _changed(rule: AutoInvestRule, values: dict) -> dict:
    return {name: value for name, value in values.items() if getattr(rule, name, object()) != value}


def list_rules(investor_id: int) -> list[RuleView]:
    def work(session: Session) -> list[RuleView]:
        rules = session.scalars(
            select(AutoInvestRule)
            .where(AutoInvestRule.investor_id == investor_id)
            .order_by(AutoInvestRule.id)
        ).all()
        return _views(session, investor_id, list(rules))

    return db.read(work)


def create_rule(investor_id: int, values: dict) -> RuleView:
    def work(session: Session) -> RuleView:
        now = utcnow()
        rule = AutoInvestRule(
            investor_id=investor_id, **(DEFAULTS | values), created_at=now, updated_at=now
        )
        session.add(rule)
        session.flush()
        audit.record(session, "rule_create", "auto_invest_rule", rule.id, _details(values))
        return _views(session, investor_id, [rule])[0]

    return db.transaction(work)


def update_rule(investor_id: int, rule_id: int, values: dict) -> RuleView:
    def work(session: Session) -> RuleView:
        rule = _own_rule(session, investor_id, rule_id, lock=True)
        changed = _changed(rule, values)
        if changed:
            for name, value in changed.items():
                setattr(rule, name, value)
            rule.updated_at = utcnow()
            audit.record(session, "rule_update", "auto_invest_rule", rule.id, _details(changed))
        return _views(session, investor_id, [rule])[0]

    return db.transaction(work)


def delete_rule(investor_id: int, rule_id: int) -> None:
    """Delete a rule. Its investments stay (source `auto`), detached from it."""

    def work(session: Session) -> None:
        rule = _own_rule(session, investor_id, rule_id, lock=True)
        detached = session.execute(
            Investment.__table__.update().where(Investment.rule_id == rule.id).values(rule_id=None)
        ).rowcount
        settings_then = {name: getattr(rule, name) for name in RULE_FIELDS}
        audit.record(
            session,
            "rule_delete",
            "auto_invest_rule",
            rule.id,
            _details(settings_then) | {"fills": detached},
        )
        session.delete(rule)

    db.transaction(work)


def rule_fills(investor_id: int, rule_id: int) -> list[Investment]:
    """The rule's fills, newest first."""

    def work(session: Session) -> list[Investment]:
        _own_rule(session, investor_id, rule_id)
        return list(
            session.scalars(
                select(Investment)
                .where(Investment.rule_id == rule_id)
                .order_by(Investment.created_at.desc(), Investment.id.desc())
            )
        )

    return db.read(work)


def _details(values: dict) -> dict:
    return {name: value for name, value in values.items() if name in RULE_FIELDS}
