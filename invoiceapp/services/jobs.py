"""Background jobs as recorded facts (a transactional outbox).

The transaction that makes work necessary also writes the job (`enqueue_in`), so a crash
between its commit and the work loses nothing. A worker claims a due job with
`SELECT ... FOR UPDATE SKIP LOCKED`, runs it in that same transaction and marks it done there:
the work and its "done" commit together or not at all, so with any number of workers each job's
effects happen exactly once, and a worker killed mid-job leaves the job to the next one. A job
that fails is retried with exponential backoff and, after MAX_ATTEMPTS, set aside as `failed`
(`flask --app invoiceapp jobs failed`, `jobs retry ID`).

No library fitted: the queues that run on PostgreSQL want psycopg 3 or asyncio (procrastinate,
pgqueuer), and the others keep jobs in Redis or a broker, where they cannot be written in the
same transaction as the change that causes them (Celery, RQ, Dramatiq, Huey).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy import func, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from .. import db
from ..models import Job, JobStatus, utcnow

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
Handler = Callable[[Session, dict], None]
_handlers: dict[str, Handler] = {}


def handler(kind: str) -> Callable[[Handler], Handler]:
    """Register the function that does one kind of job: `(session, payload) -> None`."""

    def register(function: Handler) -> Handler:
        _handlers[kind] = function
        return function

    return register


def enqueue_in(
    session: Session,
    kind: str,
    payload: dict,
    key: str | None = None,
    run_at: datetime | None = None,
) -> None:
    """Record a job in the caller's transaction; a job whose key exists already is not added."""
    values = {
        "kind": kind,
        "key": key,
        "payload": payload,
        "status": JobStatus.PENDING.value,
        "run_at": run_at or utcnow(),
        "attempts": 0,
        "created_at": utcnow(),
    }
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    session.execute(insert(Job).values(**values).on_conflict_do_nothing(index_elements=["key"]))


def backoff(attempts: int) -> timedelta:
    return timedelta(seconds=min(300, 2**attempts))


def run_next(now: datetime | None = None) -> bool:
    """Claim and run one due job; False when none is due."""
    now = now or utcnow()
    outcome: dict = {}

    def work(session: Session) -> bool:
        job = session.scalars(
            select(Job)
            .where(Job.status == JobStatus.PENDING, Job.run_at <= now)
            .order_by(Job.run_at, Job.id)
            .limit(1)
            .with_for_update(skip_locked=True)
        ).first()
        if job is None:
            return False
        outcome["job"] = (job.id, job.kind, job.attempts)
        _handlers[job.kind](session, dict(job.payload))
        job.status = JobStatus.DONE
        job.finished_at = utcnow()
        return True

    try:
        return db.transaction(work)
    except Exception as exc:
        if "job" not in outcome:
            raise
        job_id, kind, attempts = outcome["job"]
        log.warning("job %s (%s) failed on attempt %d: %s", job_id, kind, attempts + 1, exc)
        _record_failure(job_id, attempts + 1, f"{type(exc).__name__}: {exc}", now)
        return True


def _record_failure(job_id: int, attempts: int, error: str, now: datetime) -> None:
    failed = attempts >= MAX_ATTEMPTS
    db.transaction(
        lambda session: session.execute(
            update(Job)
            .where(Job.id == job_id)
            .values(
                attempts=attempts,
                last_error=error[:2000],
                status=JobStatus.FAILED if failed else JobStatus.PENDING,
                run_at=now + backoff(attempts),
                finished_at=now if failed else None,
            )
        )
    )


def pending_count() -> int:
    return db.read(
        lambda session: session.scalar(
            select(func.count()).select_from(Job).where(Job.status == JobStatus.PENDING)
        )
    )


def failed_count() -> int:
    return db.read(
        lambda session: session.scalar(
            select(func.count()).select_from(Job).where(Job.status == JobStatus.FAILED)
        )
    )


def oldest_due(now: datetime | None = None) -> datetime | None:
    """When the longest-waiting due job became due (its lag), or None."""
    now = now or utcnow()
    return db.read(
        lambda session: session.scalar(
            select(func.min(Job.run_at)).where(Job.status == JobStatus.PENDING, Job.run_at <= now)
        )
    )


def failed_jobs() -> list[Job]:
    return db.read(
        lambda session: list(
            session.scalars(select(Job).where(Job.status == JobStatus.FAILED).order_by(Job.id))
        )
    )


def retry(job_id: int) -> bool:
    """Put a failed job back in the queue, its attempts reset."""
    return db.transaction(
        lambda session: (
            session.execute(
                update(Job)
                .where(Job.id == job_id, Job.status == JobStatus.FAILED)
                .values(status=JobStatus.PENDING, attempts=0, run_at=utcnow(), finished_at=None)
            ).rowcount
            == 1
        )
    )
