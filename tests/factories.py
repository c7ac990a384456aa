"""Users and invoices made through the public API, as a client would make them."""

from __future__ import annotations

import itertools
import uuid
from dataclasses import dataclass
from datetime import timedelta

import jwt

from invoiceapp.services.dates import today_ist

PASSWORD = "correct horse battery"


@dataclass
class TestUser:
    id: int
    email: str
    role: str
    access_token: str
    refresh_token: str

    @property
    def headers(self) -> dict:
        return {"Authorization": f"Bearer {self.access_token}"}

    @property
    def session(self) -> str:
        """The login session (the refresh token's jti) that access tokens name as `rti`."""
        return jwt.decode(self.refresh_token, options={"verify_signature": False})["jti"]


class Factory:
    __test__ = False
    _numbers = itertools.count(1)

    def __init__(self, client):
        self.client = client

    def user(self, role: str, name: str | None = None) -> TestUser:
        email = f"{role}-{uuid.uuid4().hex[:8]}@example.com"
        response = self.client.post(
            "/api/auth/register",
            json={"email": email, "password": PASSWORD, "name": name or role.title(), "role": role},
        )
        assert response.status_code == 201, response.get_json()
        body = response.get_json()
        return TestUser(
            body["user"]["id"], email, role, body["access_token"], body["refresh_token"]
        )

    def operator(self, email: str = "ops@example.com") -> TestUser:
        """Operators are never self-registered: made by the service (as the CLI does), then
        signed in like anyone."""
        from invoiceapp.services import auth

        auth.create_operator(email, PASSWORD, "Ops")
        response = self.client.post("/api/auth/login", json={"email": email, "password": PASSWORD})
        body = response.get_json()
        return TestUser(
            body["user"]["id"], email, "operator", body["access_token"], body["refresh_token"]
        )

    def invoice_body(self, **overrides) -> dict:
        body = {
            "invoice_number": f"INV-{next(self._numbers)}-{uuid.uuid4().hex[:6]}",
            "buyer_name": "Acme Buyer Pvt Ltd",
            "description": "Steel, 40 tonnes",
            "amount": 1_000_000_00,
            "due_date": (today_ist() + timedelta(days=73)).isoformat(),
            "discount_rate_bps": 1000,
        }
        body.update(overrides)
        return body

    def invoice(self, seller: TestUser, **overrides) -> dict:
        response = self.client.post(
            "/api/invoices", json=self.invoice_body(**overrides), headers=seller.headers
        )
        assert response.status_code == 201, response.get_json()
        return response.get_json()["invoice"]

    def post(self, user: TestUser, path: str, body: dict | None = None, key: str | None = None):
        """A POST as `user`, with an Idempotency-Key if given."""
        headers = dict(user.headers)
        if key:
            headers["Idempotency-Key"] = key
        return self.client.post(path, json=body, headers=headers)

    def fund(self, investor: TestUser, invoice_id: int, amount: int, key: str | None = None):
        return self.post(investor, f"/api/invoices/{invoice_id}/fund", {"amount": amount}, key)

    def auction(self, seller: TestUser, max_rate_bps: int = 1500, **overrides) -> dict:
        """An invoice listed with `pricing: auction` (24 h unless `duration_seconds` says)."""
        terms = {"max_rate_bps": max_rate_bps, "duration_seconds": 86_400}
        for name in ("duration_seconds", "auto_accept_rate_bps"):
            if name in overrides:
                terms[name] = overrides.pop(name)
        return self.invoice(
            seller, pricing="auction", auction=terms, discount_rate_bps=None, **overrides
        )

    def bid(self, investor: TestUser, invoice_id: int, face_amount: int, rate_bps: int, key=None):
        body = {"face_amount": face_amount, "rate_bps": rate_bps}
        return self.post(investor, f"/api/invoices/{invoice_id}/bids", body, key)

    def balance(self, user: TestUser) -> int:
        return self.client.get("/api/wallet", headers=user.headers).get_json()["wallet"]["balance"]
