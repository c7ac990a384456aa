"""Idempotency-Key (IETF httpapi draft, as Stripe does it) for the POSTs that move money.

The outcome is stored in the same transaction that produced it, so a request that dies leaves
no claim behind, and two executions can never both commit:
- the key is locked for the transaction (PostgreSQL advisory lock, released with it); a second
  request with the key while the first runs is refused at once with 409 idempotency_in_progress;
- the stored outcome is read under that lock: the same request gets it again (status and body,
  with `Idempotent-Replayed: true`), nothing moves and no event is emitted; another request
  under the same key gets 422 idempotency_conflict;
- a 409 is kept like a success: the work is rolled back to a savepoint and its error stored.
"""

from __future__ import annotations

from functools import wraps

from flask import jsonify, request

from .. import db
from ..services import changes, idempotency
from ..services.errors import DomainError
from .errors import domain_error_response
from .security import current_user_id


def claim_of(key: str | None) -> idempotency.Claim | None:
    """This request's claim on an Idempotency-Key, if it sent one."""
    if key is None:
        return None
    # silent: actions without a body (settle, write-off, accept) have no JSON to read; a view
    # with a body schema has parsed its body before this runs.
    body = request.get_json(silent=True)
    return idempotency.Claim(
        current_user_id(), key, idempotency.fingerprint(request.method, request.path, body)
    )


def idempotent(view):
    """Honour an Idempotency-Key header. Place it below `@blp.arguments(IdempotencyHeaderSchema,
    location="headers")` (whose value it takes) and the body's `@blp.arguments`."""

    @wraps(view)
    def wrapper(headers, *args, **kwargs):
        claim = claim_of(headers["key"])
        if claim is None:
            return view(*args, **kwargs)

        def work(session):
            stored = idempotency.stored_outcome(session, claim)
            if stored is not None:
                return stored
            savepoint = session.begin_nested()
            try:
                response = view(*args, **kwargs)
                savepoint.commit()
            except DomainError as error:
                if error.status != 409:
                    raise
                savepoint.rollback()
                changes.discard(session)
                response = domain_error_response(error)
            idempotency.store(session, claim, response.status_code, response.get_json())
            return response

        outcome = db.transaction(work)
        return replayed(outcome) if isinstance(outcome, idempotency.Outcome) else outcome

    return wrapper


def replayed(outcome: idempotency.Outcome):
    """The stored response again, marked as a replay."""
    response = jsonify(outcome.body)
    response.status_code = outcome.status
    response.headers["Idempotent-Replayed"] = "true"
    return response
