"""What an attacker tries: hostile JSON, forged tokens, revoked sessions, framing, another Host,
password guessing from many addresses, weak passwords, invisible names, listing floods."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from flask_jwt_extended import create_access_token

from invoiceapp.extensions import api

DEEP = "[" * 1000 + "]" * 1000
ROLES = ("seller", "investor", "buyer", "operator")


@pytest.fixture
def people(app, factory):
    found = {role: factory.user(role) for role in ROLES[:3]}
    found["operator"] = factory.operator()
    return found


def body_endpoints(app) -> list[tuple[str, str, dict]]:
    """(method, path, request schema) of every documented operation that takes a JSON body."""
    spec = api.spec.to_dict()
    found = []
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            if not isinstance(operation, dict):  # path-level "parameters"
                continue
            content = operation.get("requestBody", {}).get("content", {}).get("application/json")
            if content:
                schema = content["schema"]
                if "$ref" in schema:
                    schema = spec["components"]["schemas"][schema["$ref"].split("/")[-1]]
                concrete = path.replace("{invoice_id}", "1").replace("{buyer_id}", "1")
                for name in ("rule_id", "user_id"):
                    concrete = concrete.replace("{" + name + "}", "1")
                found.append((method.upper(), concrete, schema))
    return found


def _send(client, method, path, raw: str, user):
    return client.open(
        path,
        method=method,
        data=raw,
        content_type="application/json",
        headers=user.headers if user else {},
    )


def test_hostile_json_is_422_on_every_endpoint_that_takes_a_body(app, client, people):
    endpoints = body_endpoints(app)
    assert len(endpoints) >= 10
    for method, path, schema in endpoints:
        surrogates = json.dumps({name: "\ud800" for name in schema.get("properties", {})})
        for label, raw in (("nested", DEEP), ("surrogates", surrogates)):
            statuses = {}
            for role in (None, *ROLES):
                response = _send(client, method, path, raw, people.get(role))
                assert response.status_code < 500, (method, path, label, role, response.get_json())
                statuses[role] = response.status_code
            # whoever may call it gets a validation error, not a crash or a silent success
            assert 422 in statuses.values(), (method, path, label, statuses)


@pytest.mark.parametrize(
    "path,field,body",
    [
        (
            "/api/auth/register",
            "name",
            {"email": "a@example.com", "password": "fine-pass-2026", "role": "buyer"},
        ),
        ("/api/auth/login", "password", {"email": "a@example.com"}),
        ("/api/auth/login", "email", {"password": "fine-pass-2026"}),
    ],
)
def test_a_lone_surrogate_in_a_string_field_is_a_validation_error(client, path, field, body):
    raw = json.dumps({**body, field: "x\ud800y"})
    response = client.post(path, data=raw, content_type="application/json")
    assert response.status_code == 422
    assert field in response.get_json()["error"]["details"]


def test_a_lone_surrogate_in_an_invoice_field_is_a_validation_error(client, factory, seller):
    raw = json.dumps(factory.invoice_body(buyer_name="Tata \udc00 Motors"))
    response = client.post(
        "/api/invoices", data=raw, content_type="application/json", headers=seller.headers
    )
    assert response.status_code == 422 and "buyer_name" in response.get_json()["error"]["details"]


def _forged(app, investor, **claims):
    """Signed with the real key, with claims we would never issue."""
    import jwt as pyjwt

    from invoiceapp.models import utcnow

    base = {
        "sub": str(investor.id),
        "role": "investor",
        "type": "access",
        "jti": "forged",
        "rti": investor.session,
        "iat": utcnow(),
        "nbf": utcnow(),
        "exp": utcnow() + timedelta(minutes=5),
    }
    base.update(claims)
    for key in [k for k, v in base.items() if v is None]:
        del base[key]
    return pyjwt.encode(base, app.config["JWT_SECRET_KEY"], algorithm="HS256")


@pytest.mark.parametrize(
    "claims",
    [
        {"sub": "99999"},
        {"sub": "abc"},
        {"sub": "-1"},
        {"role": None},
        {"role": "root"},
        {"type": None},
        {"type": "weird"},
        {"rti": None},
        {"jti": None},
    ],
    ids=lambda c: ",".join(f"{k}={v}" for k, v in c.items()),
)
def test_tokens_with_claims_we_never_issue_are_refused_everywhere(app, client, investor, claims):
    from invoiceapp.extensions import socketio

    token = _forged(app, investor, **claims)
    response = client.get("/api/auth/me", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 401, response.get_json()
    assert response.get_json()["error"]["code"] == "unauthorized"
    sock = socketio.test_client(app, flask_test_client=client, auth={"token": token})
    assert not sock.is_connected()


def test_the_genuine_token_still_works(app, client, investor):
    response = client.get(
        "/api/auth/me", headers={"Authorization": f"Bearer {_forged(app, investor)}"}
    )
    assert response.status_code == 200


def test_logout_revokes_the_sessions_access_tokens_too(app, client, investor):
    assert client.get("/api/auth/me", headers=investor.headers).status_code == 200
    refreshed = client.post(
        "/api/auth/refresh", headers={"Authorization": f"Bearer {investor.refresh_token}"}
    ).get_json()["access_token"]
    assert (
        client.post(
            "/api/auth/logout", headers={"Authorization": f"Bearer {investor.refresh_token}"}
        ).status_code
        == 204
    )
    for token in (investor.access_token, refreshed, investor.refresh_token):
        response = client.get("/api/auth/me", headers={"Authorization": f"Bearer {token}"})
        assert response.status_code == 401
    from invoiceapp.extensions import socketio

    assert not socketio.test_client(
        app, flask_test_client=client, auth={"token": refreshed}
    ).is_connected()


def test_a_suspended_users_tokens_are_refused_and_login_says_why(client, people):
    investor, operator = people["investor"], people["operator"]
    assert (
        client.post(f"/api/users/{investor.id}/suspend", headers=investor.headers).status_code
        == 403
    )
    assert (
        client.post(f"/api/users/{investor.id}/suspend", headers=operator.headers).status_code
        == 200
    )
    assert client.get("/api/auth/me", headers=investor.headers).status_code == 401
    from tests.factories import PASSWORD

    login = client.post("/api/auth/login", json={"email": investor.email, "password": PASSWORD})
    assert login.status_code == 403 and login.get_json()["error"]["code"] == "account_suspended"
    client.post(f"/api/users/{investor.id}/unsuspend", headers=operator.headers)
    assert (
        client.post(
            "/api/auth/login", json={"email": investor.email, "password": PASSWORD}
        ).status_code
        == 200
    )


@pytest.mark.parametrize("path", ["/", "/marketplace", "/api/health", "/api/invoices", "/api/nope"])
def test_browser_defences_on_every_response(client, path):
    response = client.get(path)
    policy = response.headers["Content-Security-Policy"]
    for directive in (
        "script-src 'self'",
        "frame-ancestors 'none'",
        "object-src 'none'",
        "base-uri 'none'",
    ):
        assert directive in policy
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"]
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Request-ID"]
    assert "Strict-Transport-Security" not in response.headers  # plain http here
    secure = client.get(path, base_url="https://localhost")
    assert secure.headers["Strict-Transport-Security"].startswith("max-age=")


@pytest.mark.config(
    PUBLIC_URL="https://invoices.example.com", ALLOWED_HOSTS=["invoices.example.com"]
)
def test_an_unknown_host_is_refused_when_the_public_url_is_set(client):
    assert client.get("/api/health", headers={"Host": "invoices.example.com"}).status_code == 200
    rebound = client.get("/api/health", headers={"Host": "attacker.example"})
    assert rebound.status_code == 400 and rebound.get_json()["error"]["code"] == "invalid_host"


def test_the_socket_origin_check_trusts_the_public_url_not_the_host_header():
    from invoiceapp.realtime import _origin_checker

    allowed = _origin_checker(None, "https://invoices.example.com", 0)
    rebinding = {"HTTP_HOST": "attacker.example", "wsgi.url_scheme": "https"}
    assert allowed("https://invoices.example.com", rebinding)
    assert not allowed("https://attacker.example", rebinding)
    assert not allowed(None, rebinding)


@pytest.mark.config(
    TRUSTED_PROXY_COUNT=1, LOGIN_RATE_LIMIT="100/minute", LOGIN_ACCOUNT_RATE_LIMIT="5/minute"
)
def test_password_guesses_at_one_account_are_limited_whatever_the_address(client, investor):
    from sqlalchemy import select

    from invoiceapp import db
    from invoiceapp.models import AuditEntry

    statuses = []
    for n in range(7):
        response = client.post(
            "/api/auth/login",
            json={"email": investor.email, "password": f"guess-{n}"},
            headers={"X-Forwarded-For": f"198.51.100.{n + 1}"},
        )
        statuses.append(response.status_code)
    assert statuses[:5] == [401] * 5 and statuses[5:] == [429, 429]
    # another account from the same addresses is not locked out
    other = client.post(
        "/api/auth/login",
        json={"email": "someone-else@example.com", "password": "guess"},
        headers={"X-Forwarded-For": "198.51.100.1"},
    )
    assert other.status_code == 401
    actions = db.read(lambda s: s.scalars(select(AuditEntry.action)).all())
    assert "login_rate_limited" in actions


@pytest.mark.parametrize("password", ["12345678", "password123", "qwertyuiop"])
def test_common_passwords_are_refused_with_reasons(client, password):
    response = client.post(
        "/api/auth/register",
        json={"email": "new@example.com", "password": password, "name": "New", "role": "investor"},
    )
    assert response.status_code == 422
    reasons = response.get_json()["error"]["details"]["password"]
    assert reasons[0] == "This password is too easy to guess." and len(reasons) >= 2


@pytest.mark.parametrize("field", ["buyer_name", "invoice_number"])
def test_names_must_show_something(client, factory, seller, field):
    invisible = factory.invoice_body(**{field: "\u202e\u200b\ufeff"})
    response = client.post("/api/invoices", json=invisible, headers=seller.headers)
    assert response.status_code == 422 and field in response.get_json()["error"]["details"]
    hidden_inside = factory.invoice_body(**{field: "Ac\u200bme\u202e"})
    listed = client.post("/api/invoices", json=hidden_inside, headers=seller.headers)
    assert listed.status_code == 201 and listed.get_json()["invoice"][field] == "Acme"


@pytest.mark.config(LISTING_RATE_LIMIT="3/minute")
def test_a_seller_cannot_flood_the_marketplace(client, factory, seller):
    statuses = [
        client.post(
            "/api/invoices", json=factory.invoice_body(), headers=seller.headers
        ).status_code
        for _ in range(4)
    ]
    assert statuses == [201, 201, 201, 429]
    other = factory.user("seller")
    assert (
        client.post("/api/invoices", json=factory.invoice_body(), headers=other.headers).status_code
        == 201
    )


def test_a_chunked_body_is_refused_with_411(client):
    response = client.post(
        "/api/auth/login",
        data=b'{"email": "a@example.com", "password": "x"}',
        headers={"Transfer-Encoding": "chunked", "Content-Type": "application/json"},
    )
    assert response.status_code == 411 and response.get_json()["error"]["code"] == "length_required"


def test_an_access_token_without_a_session_is_refused(app, client, investor):
    with app.app_context():
        token = create_access_token(str(investor.id), additional_claims={"role": "investor"})
    assert (
        client.get("/api/auth/me", headers={"Authorization": f"Bearer {token}"}).status_code == 401
    )


def test_operators_can_look_people_up(client, people):
    operator, investor = people["operator"], people["investor"]
    found = client.get("/api/users?q=invest&role=investor", headers=operator.headers).get_json()[
        "items"
    ]
    assert [u["id"] for u in found] == [investor.id] and found[0]["suspended"] is False
    assert (
        client.get(f"/api/users/{investor.id}", headers=operator.headers).get_json()["user"][
            "email"
        ]
        == investor.email
    )
    assert client.get("/api/users/999999", headers=operator.headers).status_code == 404
    assert client.get("/api/users?q=a", headers=investor.headers).status_code == 403
