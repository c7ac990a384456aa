import time
import uuid
from datetime import timedelta

import jwt
import pytest
from flask_jwt_extended import create_access_token, jwt_manager

from tests.factories import PASSWORD


def register(client, **overrides):
    body = {"email": "Priya@Example.com", "password": PASSWORD, "name": "Priya", "role": "investor"}
    body.update(overrides)
    return client.post("/api/auth/register", json=body)


def test_register_returns_user_tokens_and_funds_the_wallet(client):
    response = register(client)
    assert response.status_code == 201
    body = response.get_json()
    assert set(body["user"]) == {
        "id",
        "email",
        "name",
        "role",
        "created_at",
        "email_notifications",
        "suspended",
    }
    assert body["user"]["email"] == "priya@example.com"
    headers = {"Authorization": f"Bearer {body['access_token']}"}
    wallet = client.get("/api/wallet", headers=headers).get_json()["wallet"]
    assert wallet["balance"] == 100_000_000 and wallet["currency"] == "INR"
    items = client.get("/api/wallet/transactions", headers=headers).get_json()["items"]
    assert [(t["kind"], t["direction"], t["amount"]) for t in items] == [
        ("demo_credit", "credit", 100_000_000)
    ]


def test_email_is_unique_case_insensitively(client):
    assert register(client).status_code == 201
    response = register(client, email="PRIYA@example.COM")
    assert response.status_code == 409
    assert response.get_json()["error"]["code"] == "email_taken"


@pytest.mark.parametrize(
    "field,value",
    [
        ("email", "not-an-email"),
        ("password", "short"),
        ("password", "x" * 129),
        ("name", ""),
        ("role", "admin"),
        ("role", None),
        ("name", "bad\x00name"),
    ],
)
def test_register_validation(client, field, value):
    response = register(client, **{field: value})
    assert response.status_code == 422
    error = response.get_json()["error"]
    assert error["code"] == "validation_error" and field in error["details"]


def test_login_and_me(client):
    user = register(client).get_json()["user"]
    response = client.post(
        "/api/auth/login", json={"email": "PRIYA@example.com", "password": PASSWORD}
    )
    assert response.status_code == 200
    token = response.get_json()["access_token"]
    me = client.get("/api/auth/me", headers={"Authorization": f"Bearer {token}"}).get_json()
    assert me["user"] == user
    assert "password_hash" not in response.get_data(as_text=True)


def test_a_session_begun_here_is_not_checked_again_by_its_first_request(app, client):
    from sqlalchemy import event

    from invoiceapp import db

    register(client)
    checks = []

    def count(conn, cursor, statement, *args):
        checks.extend(["refusal"] if "revoked_tokens" in statement else [])

    event.listen(db.get_engine(), "before_cursor_execute", count)
    try:
        login = client.post(
            "/api/auth/login", json={"email": "priya@example.com", "password": PASSWORD}
        )
        headers = {"Authorization": f"Bearer {login.get_json()['access_token']}"}
        assert client.get("/api/auth/me", headers=headers).status_code == 200
        assert checks == []  # the login vouched for its own session
        # A token of a session this worker did not begin is checked in the database.
        with app.app_context():
            other = create_access_token(
                str(login.get_json()["user"]["id"]),
                additional_claims={"role": "investor", "rti": str(uuid.uuid4())},
            )
        assert (
            client.get("/api/auth/me", headers={"Authorization": f"Bearer {other}"}).status_code
            == 200
        )
        assert checks == ["refusal"]
    finally:
        event.remove(db.get_engine(), "before_cursor_execute", count)


@pytest.mark.parametrize(
    "email,password", [("priya@example.com", "wrong password"), ("nobody@example.com", PASSWORD)]
)
def test_login_with_bad_credentials_is_401(client, email, password):
    register(client)
    response = client.post("/api/auth/login", json={"email": email, "password": password})
    assert response.status_code == 401
    assert response.get_json()["error"]["code"] == "unauthorized"


def test_refresh_issues_an_access_token_and_refuses_access_tokens(client):
    tokens = register(client).get_json()
    response = client.post(
        "/api/auth/refresh", headers={"Authorization": f"Bearer {tokens['refresh_token']}"}
    )
    assert response.status_code == 200
    new_access = response.get_json()["access_token"]
    assert (
        client.get("/api/auth/me", headers={"Authorization": f"Bearer {new_access}"}).status_code
        == 200
    )
    wrong = client.post(
        "/api/auth/refresh", headers={"Authorization": f"Bearer {tokens['access_token']}"}
    )
    assert wrong.status_code == 401
    # and a refresh token is not an access token
    assert (
        client.get(
            "/api/auth/me", headers={"Authorization": f"Bearer {tokens['refresh_token']}"}
        ).status_code
        == 401
    )


def test_logout_revokes_the_refresh_token(client):
    tokens = register(client).get_json()
    headers = {"Authorization": f"Bearer {tokens['refresh_token']}"}
    assert client.post("/api/auth/logout", headers=headers).status_code == 204
    response = client.post("/api/auth/refresh", headers=headers)
    assert response.status_code == 401
    assert response.get_json()["error"]["code"] == "unauthorized"


@pytest.mark.parametrize(
    "header",
    [
        None,
        "Bearer",
        "Bearer not.a.jwt",
        "Basic abc",
        "Bearer " + "a" * 40,
    ],
)
def test_bad_or_missing_tokens_are_401_with_the_envelope(client, header):
    headers = {"Authorization": header} if header else {}
    response = client.get("/api/wallet", headers=headers)
    assert response.status_code == 401
    assert response.get_json()["error"]["code"] == "unauthorized"


def test_expired_token_is_401(app, client):
    user = register(client).get_json()["user"]
    with app.app_context():
        token = create_access_token(
            str(user["id"]),
            additional_claims={"role": "investor"},
            expires_delta=timedelta(seconds=-1),
        )
    response = client.get("/api/wallet", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 401


def test_a_tokens_signature_is_checked_once_and_its_expiry_on_every_request(
    app, client, monkeypatch
):
    checked = []
    real = jwt_manager._decode_jwt
    monkeypatch.setattr(jwt_manager, "_decode_jwt", lambda **kw: checked.append(1) or real(**kw))
    body = register(client).get_json()
    session = jwt.decode(body["refresh_token"], options={"verify_signature": False})["jti"]
    with app.app_context():
        token = create_access_token(
            str(body["user"]["id"]),
            additional_claims={"role": "investor", "rti": session},
            expires_delta=timedelta(seconds=3),  # `exp` is in whole seconds: 2-3 s left
        )
    headers = {"Authorization": f"Bearer {token}"}
    assert [client.get("/api/auth/me", headers=headers).status_code for _ in range(3)] == [200] * 3
    assert len(checked) == 1
    expires = jwt.decode(token, options={"verify_signature": False})["exp"]
    time.sleep(max(0.0, expires - time.time()) + 0.1)
    expired = client.get("/api/auth/me", headers=headers)
    assert expired.status_code == 401
    assert expired.get_json()["error"]["message"] == "The token has expired."


def test_a_kept_token_is_not_taken_by_an_app_with_another_secret(app, client, database_url):
    from config import TestConfig
    from invoiceapp import create_app

    headers = {"Authorization": f"Bearer {register(client).get_json()['access_token']}"}
    assert client.get("/api/auth/me", headers=headers).status_code == 200  # kept now
    other = create_app(TestConfig(database_url, JWT_SECRET_KEY="another-secret-" + "x" * 32))
    assert other.test_client().get("/api/auth/me", headers=headers).status_code == 401


def test_token_signed_with_another_algorithm_is_refused(client):
    user = register(client).get_json()["user"]
    forged = jwt.encode(
        {"sub": str(user["id"]), "type": "access", "role": "investor"}, key="", algorithm="none"
    )
    assert (
        client.get("/api/wallet", headers={"Authorization": f"Bearer {forged}"}).status_code == 401
    )


def test_login_is_rate_limited(app, client):
    app.config["LOGIN_RATE_LIMIT"] = "3/minute"
    body = {"email": "x@example.com", "password": "whatever1"}
    statuses = [client.post("/api/auth/login", json=body).status_code for _ in range(5)]
    assert statuses == [401, 401, 401, 429, 429]
    response = client.post("/api/auth/login", json=body)
    assert response.get_json()["error"]["code"] == "rate_limited"
