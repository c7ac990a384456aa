"""The background jobs outbox: recorded with their cause, claimed with SKIP LOCKED, done in the
claiming transaction, so each runs once with several workers and survives a worker killed
mid-job; failures back off and are finally set aside."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from deploy.cluster import ROOT
from invoiceapp import db
from invoiceapp.models import AuditEntry, Job, JobStatus, utcnow
from invoiceapp.services import audit, jobs


@jobs.handler("test_record")
def record(session, payload):
    audit.record(session, "test_job", "job", payload["n"])
    time.sleep(payload.get("sleep", 0))


@jobs.handler("test_fail")
def fail(session, payload):
    raise RuntimeError("the mail server is on fire")


def enqueue(kind: str, count: int, **extra) -> None:
    def work(session):
        for n in range(count):
            jobs.enqueue_in(session, kind, {"n": n, **extra}, key=f"{kind}:{n}")

    db.transaction(work)


def done_counts() -> dict[int, int]:
    rows = db.read(
        lambda s: s.execute(
            select(AuditEntry.target_id, func.count())
            .where(AuditEntry.action == "test_job")
            .group_by(AuditEntry.target_id)
        ).all()
    )
    return dict(rows)


def test_a_job_with_a_key_is_recorded_once(app):
    enqueue("test_record", 3)
    enqueue("test_record", 3)
    assert db.read(lambda s: s.scalar(select(func.count()).select_from(Job))) == 3


@pytest.mark.postgres
def test_two_workers_run_each_job_exactly_once(postgres_url):
    from config import TestConfig
    from invoiceapp import create_app
    from tests.conftest import clean

    clean(postgres_url)
    create_app(TestConfig(postgres_url))
    enqueue("test_record", 40, sleep=0.01)

    def worker():
        while jobs.run_next():
            pass

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert done_counts() == {n: 1 for n in range(40)}
    statuses = db.read(lambda s: set(s.scalars(select(Job.status))))
    assert statuses == {JobStatus.DONE}


KILLED_WORKER = """
import sys, time
from config import TestConfig
from invoiceapp import create_app
from invoiceapp.services import audit, jobs

@jobs.handler("test_record")
def record(session, payload):
    audit.record(session, "test_job", "job", payload["n"])
    session.flush()
    print("started", flush=True)
    time.sleep(60)

create_app(TestConfig(sys.argv[1]))
jobs.run_next()
"""


@pytest.mark.postgres
def test_a_job_survives_its_worker_being_killed_mid_job(postgres_url):
    from config import TestConfig
    from invoiceapp import create_app
    from tests.conftest import clean

    clean(postgres_url)
    create_app(TestConfig(postgres_url))
    enqueue("test_record", 1)
    proc = subprocess.Popen(
        [sys.executable, "-c", KILLED_WORKER, postgres_url],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert proc.stdout.readline().strip() == "started"  # mid-job, its work flushed
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(10)
    deadline = time.monotonic() + 10
    while not jobs.run_next() and time.monotonic() < deadline:
        time.sleep(0.1)  # PostgreSQL ends the dead worker's transaction and frees the job
    assert done_counts() == {0: 1}
    assert db.read(lambda s: s.scalar(select(Job.status))) == JobStatus.DONE


def test_a_failing_job_backs_off_then_is_set_aside_and_can_be_retried(app, runner):
    enqueue("test_fail", 1)
    now = utcnow()
    for attempt in range(1, jobs.MAX_ATTEMPTS + 1):
        assert jobs.run_next(now)
        job = db.read(lambda s: s.scalars(select(Job)).one())
        assert job.attempts == attempt and "on fire" in job.last_error
        assert not jobs.run_next(now)  # backing off
        now = job.run_at + timedelta(seconds=1)
    assert job.status == JobStatus.FAILED
    listed = runner.invoke(args=["jobs", "failed"])
    assert f"job {job.id} test_fail" in listed.output and "on fire" in listed.output
    assert runner.invoke(args=["jobs", "retry", str(job.id)]).exit_code == 0
    assert db.read(lambda s: s.scalars(select(Job)).one()).status == JobStatus.PENDING
    assert runner.invoke(args=["jobs", "retry", "999"]).exit_code == 1
