"""flask commands: seed-demo, ledger verify, jobs, listen-events."""

from __future__ import annotations

import json
import sys
import time
from datetime import timedelta

import click
from flask import Flask
from flask.cli import AppGroup

from .models import Role
from .services import auth, idempotency, invoices
from .services.audit import verify_ledger
from .services.dates import today_ist
from .services.errors import DuplicateInvoiceNumber, EmailTaken

DEMO_PASSWORD = "demo-password-123"
DEMO_USERS = [
    ("seller@demo.test", "Asha Traders (demo seller)", Role.SELLER),
    ("investor1@demo.test", "Ravi Capital (demo investor)", Role.INVESTOR),
    ("investor2@demo.test", "Meera Fund (demo investor)", Role.INVESTOR),
]
DEMO_INVOICES = [
    ("DEMO-1001", "Tata Motors Ltd", 250_000_00, 45, 1200),
    ("DEMO-1002", "Infosys Ltd", 1_000_000_00, 90, 1000),
    ("DEMO-1003", "Reliance Retail", 75_000_00, 30, 1500),
]

ledger_cli = AppGroup("ledger", help="Check the books.")
jobs_cli = AppGroup("jobs", help="Periodic jobs (the Procfile's clock: process runs them all).")


@click.command("seed-demo")
def seed_demo() -> None:
    """Create the demo seller, two investors and a few listed invoices (idempotent)."""
    users = {}
    for email, name, role in DEMO_USERS:
        try:
            users[email] = auth.register(email, DEMO_PASSWORD, name, role)
            click.echo(f"created {role.value} {email}")
        except EmailTaken:
            users[email] = auth.authenticate(email, DEMO_PASSWORD)
    seller = users[DEMO_USERS[0][0]]
    for number, buyer, amount, days, rate_bps in DEMO_INVOICES:
        try:
            invoices.list_invoice(
                seller.id,
                invoices.NewInvoice(
                    invoice_number=number,
                    buyer_name=buyer,
                    amount=amount,
                    due_date=today_ist() + timedelta(days=days),
                    discount_rate_bps=rate_bps,
                ),
            )
            click.echo(f"listed invoice {number}")
        except DuplicateInvoiceNumber:
            pass
    click.echo(f"demo users ready (password: {DEMO_PASSWORD})")


@ledger_cli.command("verify")
def ledger_verify() -> None:
    """Every account equals its rows, every transfer balances, the total is 0."""
    problems = verify_ledger()
    for problem in problems:
        click.echo(f"FAIL {problem}", err=True)
    if problems:
        sys.exit(1)
    click.echo("ledger OK")


@jobs_cli.command("expire-invoices")
def expire_invoices() -> None:
    """Cancel, with refunds, listed invoices that reached their due date unfunded."""
    click.echo(f"expired {invoices.expire_due_invoices()} invoice(s)")


@jobs_cli.command("purge-idempotency-keys")
def purge_idempotency_keys() -> None:
    """Forget Idempotency-Keys older than 24 hours, and expired token revocations."""
    click.echo(
        f"purged {idempotency.purge_expired()} key(s), "
        f"{auth.purge_expired_revocations()} revocation(s)"
    )


@jobs_cli.command("run")
@click.option("--interval", default=60.0, show_default=True, help="Seconds between runs.")
@click.option("--once", is_flag=True, help="Run every job once and exit.")
def run_jobs(interval: float, once: bool) -> None:
    """Run every periodic job, forever (the clock: process)."""
    ctx = click.get_current_context()
    while True:
        for job in (expire_invoices, purge_idempotency_keys):
            try:
                ctx.invoke(job)
            except Exception as exc:  # keep the clock ticking; the next run retries
                click.echo(f"{job.name} failed: {exc}", err=True)
        if once:
            return
        time.sleep(interval)


@click.command("listen-events")
@click.option("--url", default="http://localhost:5005", show_default=True)
@click.option("--token", required=True, help="An access token.")
def listen_events(url: str, token: str) -> None:
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

    client.connect(url, auth={"token": token}, transports=["websocket", "polling"])
    client.wait()


def register_commands(app: Flask) -> None:
    for command in (seed_demo, listen_events, ledger_cli, jobs_cli):
        app.cli.add_command(command)
