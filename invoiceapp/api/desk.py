"""The funding desk: group commit for fundings of one invoice that arrive together in this
process (the hot invoice: a good listing, hundreds pressing "Invest Now" in the same second).

Instead of each request taking the invoice's row lock in turn, requests for the same invoice
queue here; one of them (the leader) locks the invoice, takes every request queued by then (so
those that arrived while another process held the lock come too) and books them in ONE
transaction (`funding.fund_batch_in`: each checked as if after the ones before it, refusals
answered individually), then hands the lead to the first request that arrived meanwhile. A
lone request is a batch of one, so nothing changes when the invoice is not hot. The money rule
is the same `funding.invest_many_in` as everywhere; Idempotency-Keys are honoured per request
inside the batch's transaction, as `idempotency.py` does for one request: the stored outcome
is looked up under the key's advisory lock, and each outcome is stored before the commit.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

from .. import db
from ..schemas.invoices import FundingResponseSchema
from ..services import funding, idempotency
from ..services.errors import Busy, DomainError, IdempotencyInProgress
from ..services.invoices import lock_invoice
from .errors import domain_error_body
from .idempotency import replayed

MAX_BATCH = 200
render = FundingResponseSchema().dump


@dataclass(eq=False)
class Ticket:
    investor_id: int
    amount: int
    claim: idempotency.Claim | None
    done: threading.Event = field(default_factory=threading.Event)
    lead: bool = False  # woken to lead the next batch, not with an outcome
    outcome: object = None  # FundingResult, idempotency.Outcome or an exception


class FundingDesk:
    def __init__(self):
        self._lock = threading.Lock()
        self._queues: dict[int, list[Ticket]] = {}
        self._busy: set[int] = set()
        self._keys: set[tuple[int, str]] = set()  # Idempotency-Keys of requests here now

    def fund(self, investor_id: int, invoice_id: int, amount: int, claim: idempotency.Claim | None):
        """Book one funding, perhaps with others; returns what the view answers."""
        ticket = Ticket(investor_id, amount, claim)
        key = (claim.user_id, claim.key) if claim is not None else None
        with self._lock:
            if key is not None:
                if key in self._keys:  # the first request with this key is still here
                    raise IdempotencyInProgress()
                self._keys.add(key)
            self._queues.setdefault(invoice_id, []).append(ticket)
            leading = invoice_id not in self._busy
            self._busy.add(invoice_id)
        try:
            if not leading:
                ticket.done.wait()
            if leading or ticket.lead:
                self._lead(invoice_id)
        finally:
            if key is not None:
                with self._lock:
                    self._keys.discard(key)
        return self._answer(ticket.outcome)

    def _lead(self, invoice_id: int) -> None:
        batch: list[Ticket] = []
        outcomes: dict = {}
        failure: Exception | None = None
        try:
            outcomes = db.transaction(lambda session: self._book(session, invoice_id, batch))
        except Exception as exc:  # nothing of the batch was committed: each hears why
            failure = exc
        finally:  # whatever happened, nobody is left waiting
            if not batch:  # it failed before the invoice was locked: so does all that queued
                batch = self._take(invoice_id)
            self._hand_over(invoice_id)
            for ticket in batch:
                ticket.outcome = failure or outcomes.get(ticket) or Busy()
                ticket.lead = False
                ticket.done.set()

    def _take(self, invoice_id: int) -> list[Ticket]:
        with self._lock:
            queue = self._queues.get(invoice_id, [])
            batch, self._queues[invoice_id] = queue[:MAX_BATCH], queue[MAX_BATCH:]
        return batch

    def _hand_over(self, invoice_id: int) -> None:
        with self._lock:
            waiting = self._queues.get(invoice_id)
            if waiting:
                waiting[0].lead = True  # it leads the next batch: its own request is in it
                waiting[0].done.set()
            else:
                self._queues.pop(invoice_id, None)
                self._busy.discard(invoice_id)

    def _book(self, session, invoice_id: int, batch: list[Ticket]) -> dict:
        """The batch is taken once the invoice's row lock is ours (a retried transaction books
        the same batch again)."""
        invoice = lock_invoice(session, invoice_id)
        if not batch:
            batch.extend(self._take(invoice_id))
        outcomes, fresh = {}, []
        for ticket in batch:
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
            session, invoice, [(t.investor_id, t.amount) for t in fresh]
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
