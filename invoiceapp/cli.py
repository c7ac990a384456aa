"""flask commands: seed-demo, ledger verify, jobs (run, failed, retry), users create-operator,
listen-events."""

from __future__ import annotations

import json
import sys

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from . import demo
from .background import Background
from .services import auth as accounts
from .services import daily, email, jobs
from .services.books import verify_ledger
from .services.errors import DomainError

ledger_cli = AppGroup("ledger", help="Check the books.")
jobs_cli = AppGroup("jobs", help="Background work (the Procfile's worker: process runs it).")
users_cli = AppGroup("users", help="Accounts only operators may have.")


@click.command("seed-demo")
def seed_demo() -> None:
    """Create the demo users and invoices in every state (idempotent)."""
    for line in demo.seed():
        click.echo(line)


@ledger_cli.command("verify")
def ledger_verify() -> None:
    """Every account equals its rows, every transfer balances, the total is 0; every
    investor's kept portfolio figures equal the sum of their investments."""
    problems = verify_ledger()
    for problem in problems:
        click.echo(f"FAIL {problem}", err=True)
    if problems:
        sys.exit(1)
    click.echo("ledger OK")


@jobs_cli.command("run")
@click.option("--once", is_flag=True, help="Do what is due once and exit.")
@click.option(
    "--date",
    "as_of",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="With --once: close the IST business days up to this one (the daily run).",
)
def run_jobs(once: bool, as_of) -> None:
    """Run the background work: forever, or once (with --date: the daily run up to that day)."""
    background = Background(current_app)
    if not once:
        background.run_forever()
        return
    if as_of is not None:
        try:
            report = daily.run_daily(as_of.date())
        except DomainError as error:
            click.echo(f"refused: {error.message}", err=True)
            sys.exit(2)
        if not report.days:
            click.echo(f"{as_of.date().isoformat()} was already closed: nothing to do")
        else:
            click.echo(
                f"closed {', '.join(d.isoformat() for d in report.days)}: {report.overdue} overdue, "
                f"{report.defaulted} defaulted, late interest {report.interest} paise, "
                f"{report.expired} expired, {report.unaccepted} not accepted in time"
            )
    while background.tick():
        pass


@jobs_cli.command("failed")
def failed_jobs() -> None:
    """Jobs set aside after repeated failures, and emails not delivered."""
    found = jobs.failed_jobs()
    for job in found:
        click.echo(
            f"job {job.id} {job.kind} {json.dumps(job.payload)}: {job.attempts} attempts, {job.last_error}"
        )
    for notification in email.undelivered():
        click.echo(
            f"email for notification {notification.id} ({notification.kind}): {notification.email_status.value}"
        )
    if not found:
        click.echo("no failed jobs")


@jobs_cli.command("retry")
@click.argument("job_id", type=int)
def retry_job(job_id: int) -> None:
    """Queue a failed job again."""
    if not jobs.retry(job_id):
        click.echo(f"job {job_id} is not a failed job", err=True)
        sys.exit(1)
    click.echo(f"job {job_id} queued again")


@users_cli.command("create-operator")
@click.argument("email_address")
@click.option("--name", default="Operator", show_default=True)
def create_operator(email_address: str, name: str) -> None:
    """Create a platform operator; the password is asked twice on standard input."""
    password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    if len(password) < 8:
        click.echo("The password must have at least 8 characters.", err=True)
        sys.exit(1)
    try:
        user = accounts.create_operator(email_address, password, name)
    except DomainError as error:
        click.echo(f"refused: {error.message}", err=True)
        sys.exit(1)
    click.echo(f"created operator {user.email} (id {user.id})")


@click.command("listen-events")
@click.option("--url", default="http://localhost:5005", show_default=True)
@click.option("--token", required=True, help="An access token.")
@click.option("--offset", default=None, help="Resume after this offset (replay what was missed).")
def listen_events(url: str, token: str, offset: str | None) -> None:
    """Connect as a Socket.IO client and print every event as it arrives."""
    import socketio

    client = socketio.Client()

    @client.on("*")
    def any_event(event, data):
        click.echo(json.dumps({"event": event, "data": data}, ensure_ascii=False), color=False)

    @client.event
    def connect():
        click.echo(f"connected to {url}", err=True)

    @client.event
    def disconnect(reason=None):
        click.echo(f"disconnected ({reason})", err=True)

    credentials = {"token": token, **({"offset": offset} if offset else {})}
    client.connect(url, auth=credentials, transports=["websocket", "polling"])
    client.wait()


def register_commands(app: Flask) -> None:
    for command in (seed_demo, listen_events, ledger_cli, jobs_cli, users_cli):
        app.cli.add_command(command)
