"""People and invoices for the browser tests, made without a browser: accounts through the
API (an operator through its CLI command, the only way to make one), their sessions in the
form the SPA keeps, and invoices aged past their due date the way the daily run ages them."""

from __future__ import annotations

import subprocess
import sys
import uuid
from datetime import timedelta

import requests
from sqlalchemy import update

from deploy.cluster import ROOT
from invoiceapp import db
from invoiceapp.models import Invoice
from invoiceapp.services import daily
from invoiceapp.services.dates import today_ist

PASSWORD = "password-123"
OPERATOR_PASSWORD = "operator-password-e2e-123"


class Account:
    """A signed-in person: `session` is what the SPA keeps in localStorage."""

    def __init__(self, server, answer: dict):
        self.url = server.url
        self.user = answer["user"]
        self.session = {
            "user": answer["user"],
            "accessToken": answer["access_token"],
            "refreshToken": answer["refresh_token"],
        }

    @classmethod
    def register(cls, server, name: str, role: str) -> Account:
        answer = requests.post(
            f"{server.url}/api/auth/register",
            json={
                "email": f"{role}-{uuid.uuid4().hex[:8]}@example.com",
                "password": PASSWORD,
                "name": name,
                "role": role,
            },
            timeout=10,
        )
        assert answer.ok, answer.text
        return cls(server, answer.json())

    @classmethod
    def operator(cls, server) -> Account:
        """Operators are never self-registered: `flask users create-operator` asks for the
        password twice on standard input (in a session of its own, so never from a terminal)."""
        email = f"operator-{uuid.uuid4().hex[:8]}@example.com"
        subprocess.run(
            [
                sys.executable,
                "-m",
                "flask",
                "--app",
                "invoiceapp",
                "users",
                "create-operator",
                email,
            ],
            input=f"{OPERATOR_PASSWORD}\n{OPERATOR_PASSWORD}\n",
            text=True,
            check=True,
            capture_output=True,
            cwd=ROOT,
            env=server.environment(),
            start_new_session=True,
            timeout=60,
        )
        answer = requests.post(
            f"{server.url}/api/auth/login",
            json={"email": email, "password": OPERATOR_PASSWORD},
            timeout=10,
        )
        assert answer.ok, answer.text
        return cls(server, answer.json())

    def post(self, path: str, body: dict | None = None) -> dict:
        response = requests.post(
            f"{self.url}/api{path}",
            json=body,
            headers={"Authorization": f"Bearer {self.session['accessToken']}"},
            timeout=10,
        )
        assert response.ok, response.text
        return response.json()

    def list_invoice(
        self,
        number: str,
        amount: int,
        days: int,
        rate_bps: int,
        buyer: str | None = None,
        buyer_id: int | None = None,
    ) -> dict:
        """Listed at once against a buyer's name, or awaiting a registered buyer's acceptance."""
        return self.post(
            "/invoices",
            {
                "invoice_number": number,
                "buyer_name": buyer,
                "buyer_id": buyer_id,
                "amount": amount,
                "due_date": (today_ist() + timedelta(days=days)).isoformat(),
                "discount_rate_bps": rate_bps,
            },
        )["invoice"]

    def list_auction(
        self, number: str, amount: int, days: int, max_rate_bps: int, seconds: int
    ) -> dict:
        """Listed for a rate auction that takes bids for `seconds` (the e2e server allows 20 s)."""
        return self.post(
            "/invoices",
            {
                "invoice_number": number,
                "buyer_name": "Infosys Ltd",
                "amount": amount,
                "due_date": (today_ist() + timedelta(days=days)).isoformat(),
                "pricing": "auction",
                "auction": {"max_rate_bps": max_rate_bps, "duration_seconds": seconds},
            },
        )["invoice"]


def age_past_due(server, invoice_id: int, days_past_due: int) -> None:
    """Move a funded invoice's due date back and apply the daily run's rule to each closed day
    since, up to yesterday (overdue, late interest, default 60 days late), as `make run`'s demo
    data does."""
    db.init_engine(server.db_url)
    due = today_ist() - timedelta(days=days_past_due)
    db.transaction(
        lambda session: session.execute(
            update(Invoice).where(Invoice.id == invoice_id).values(due_date=due)
        )
    )
    for days_ago in range(days_past_due - 1, 0, -1):
        day = today_ist() - timedelta(days=days_ago)
        db.transaction(lambda session, d=day: daily.age_invoice(session, invoice_id, d))
