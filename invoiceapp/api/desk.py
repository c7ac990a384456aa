"""The funding desk: group commit for fundings that arrive together in this process (the hot
invoice: a good listing, hundreds pressing "Invest Now" in the same second; or many investors
funding different invoices at once).

Instead of each request running a transaction of its own, requests queue here; one of them (the
leader) locks its own invoice, waiting for it if another transaction holds it, and then those of
the other queued requests that nobody holds (SKIP LOCKED: a batch never waits for an invoice
but its leader's). It then takes every queued request for the invoices it holds (so those that
arrived while it waited come too) and books them in ONE transaction (`funding.fund_batch_in`:
each checked as if after the ones before it, refusals answered individually), and hands the
lead to the first request still queued. A lone request is a batch of one, so nothing changes
when the desk is quiet; while a leader waits for a lock, the process's other fundings queue
behind it (for at most `DB_LOCK_TIMEOUT_MS`), and go in the next batch. The money rule is the
same `funding.invest_many_in` as everywhere; Idempotency-Keys are honoured per request inside
the batch's transaction, as `idempotency.py` does for one request: the stored outcome is looked
up under the key's advisory lock, and each outcome is stored before the commit.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

from .. import db
from ..schemas.invoices import FundingResponseSchema
from ..services import funding, idempotency
from ..services.errors import Busy, DomainError, IdempotencyInProgress, NotFound
from ..services.invoices import lock_invoices
from .errors import domain_error_body
from .idempotency import replayed

MAX_BATCH = 200
render = FundingResponseSchema().dump


@dataclass(eq=False)
class Ticket:
    investor_id: int
    invoice_id: int
    amount: int
    claim: idempotency.Claim | None
    done: threading.Event = field(default_factory=threading.Event)
    lead: bool = False  # woken to lead the next batch, not with an outcome
    outcome: object = None  # FundingResult, idempotency.Outcome or an exception


class FundingDesk:
    def __init__(self):
        self._lock = threading.Lock()
        self._queue: list[Ticket] = []
        self._busy = False  # a leader is booking
        self._keys: set[tuple[int, str]] = set()  # Idempotency-Keys of requests here now

    def fund(self, investor_id: int, invoice_id: int, amount: int, claim: idempotency.Claim | None):
        """Book one funding, perhaps with others; returns what the view answers."""
        ticket = Ticket(investor_id, invoice_id, amount, claim)
        key = (claim.user_id, claim.key) if claim is not None else None
        with self._lock:
            if key is not None:
                if key in self._keys:  # the first request with this key is still here
                    raise IdempotencyInProgress()
                self._keys.add(key)
            self._queue.append(ticket)
            leading, self._busy = not self._busy, True
        try:
            if not leading:
                ticket.done.wait()
            if leading or ticket.lead:
                self._lead()
        finally:
            if key is not None:
                with self._lock:
                    self._keys.discard(key)
        return self._answer(ticket.outcome)

    def _lead(self) -> None:
        with self._lock:  # the leader's own request is the first queued
            own = self._queue[0].invoice_id
        batch: list[Ticket] = []
        outcomes: dict = {}
        failure: Exception | None = None
        try:
            outcomes = db.transaction(lambda session: self._book(session, own, batch))
        except Exception as exc:  # nothing of the batch was committed: each hears why
            failure = exc
        finally:  # whatever happened, nobody is left waiting
            if not batch:  # it failed before the invoices were locked: so do its invoice's
                batch = self._take({own})
            self._hand_over()
            for ticket in batch:
                ticket.outcome = failure or outcomes.get(ticket) or Busy()
                ticket.lead = False
                ticket.done.set()

    def _take(self, wanted: set[int]) -> list[Ticket]:
        """The queued requests for these invoices (at most MAX_BATCH, in arrival order)."""
        with self._lock:
            batch, rest = [], []
            for ticket in self._queue:
                mine = ticket.invoice_id in wanted and len(batch) < MAX_BATCH
                (batch if mine else rest).append(ticket)
            self._queue = rest
        return batch

    def _hand_over(self) -> None:
        with self._lock:
            if self._queue:
                self._queue[0].lead = True  # it leads the next batch: its own request is in it
                self._queue[0].done.set()
            else:
                self._busy = False

    def _queued_invoices(self) -> set[int]:
        with self._lock:
            return {ticket.invoice_id for ticket in self._queue[:MAX_BATCH]}

    def _book(self, session, own: int, batch: list[Ticket]) -> dict:
        """Lock the leader's invoice (waiting), then the other queued requests' invoices that
        are free, and take the batch: every queued request for an invoice now held. A retried
        transaction books the same batch again."""
        invoices = lock_invoices(session, [own])
        wanted = {ticket.invoice_id for ticket in batch} if batch else self._queued_invoices()
        if others := wanted - {own}:
            invoices |= lock_invoices(session, list(others), wait=False)
        if not batch:
            batch.extend(self._take(invoices.keys() | {own}))
        outcomes, fresh = {}, []
        for ticket in batch:
            if ticket.invoice_id not in invoices:  # missing; or, retried, held elsewhere now
                outcomes[ticket] = (
                    NotFound("Invoice not found.") if ticket.invoice_id == own else Busy()
                )
                continue
            if ticket.claim is not None:
                try:
                    stored = idempotency.stored_outcome(session, ticket.claim)
                except DomainError as refused:
                    outcomes[ticket] = refused
                    continue
                if stored is not None:
                    outcomes[ticket] = stored
                    continue
            fresh.append(ticket)
        results = funding.fund_batch_in(
            session, [(invoices[t.invoice_id], t.investor_id, t.amount) for t in fresh]
        )
        for ticket, result in zip(fresh, results, strict=True):
            outcomes[ticket] = result
            if ticket.claim is not None:
                if isinstance(result, DomainError):
                    idempotency.store(
                        session, ticket.claim, result.status, domain_error_body(result)
                    )
                else:
                    idempotency.store(session, ticket.claim, 201, render(result))
        return outcomes

    @staticmethod
    def _answer(outcome):
        if isinstance(outcome, BaseException):
            raise outcome
        return replayed(outcome) if isinstance(outcome, idempotency.Outcome) else outcome


desk = FundingDesk()
