"""Whatever a client sends, the answer is the API's JSON error envelope, never HTML, never a 500."""

import pytest


def assert_envelope(response, status, code):
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.is_json
    error = response.get_json()["error"]
    assert error["code"] == code and isinstance(error["message"], str)
    assert isinstance(error["details"], dict)


def test_unknown_api_path_is_a_json_404(client):
    assert_envelope(client.get("/api/nothing-here"), 404, "not_found")
    assert_envelope(client.get("/api/invoices/not-a-number"), 404, "not_found")


def test_wrong_method_is_405(client):
    response = client.delete("/api/wallet")
    assert_envelope(response, 405, "method_not_allowed")
    assert "GET" in response.headers["Allow"]


@pytest.mark.parametrize(
    "data,content_type",
    [
        ("{not json", "application/json"),
        ("", "application/json"),
        ("amount=5", "application/x-www-form-urlencoded"),
        ("[1, 2]", "application/json"),
        ('"just a string"', "application/json"),
        ("null", "application/json"),
    ],
)
def test_bad_bodies_are_422(client, factory, seller, investor, data, content_type):
    invoice = factory.invoice(seller)
    response = client.post(
        f"/api/invoices/{invoice['id']}/fund",
        data=data,
        content_type=content_type,
        headers=investor.headers,
    )
    assert_envelope(response, 422, "validation_error")
    assert factory.balance(investor) == 100_000_000


def test_nul_bytes_are_refused_not_crashed_on(client):
    response = client.post("/api/auth/login", json={"email": "a\x00@b.com", "password": "x\x00y"})
    assert_envelope(response, 422, "validation_error")


def test_unknown_fields_are_refused(client, factory, seller):
    response = client.post(
        "/api/invoices", json=factory.invoice_body(status="funded"), headers=seller.headers
    )
    assert_envelope(response, 422, "validation_error")


def test_huge_bodies_are_refused(client, factory, seller):
    response = client.post(
        "/api/invoices",
        json=factory.invoice_body(description="x" * 100_000),
        headers=seller.headers,
    )
    assert (
        response.status_code == 413 and response.get_json()["error"]["code"] == "payload_too_large"
    )


def test_health_reports_database_and_queue(client):
    response = client.get("/api/health")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok", "message_queue": "disabled"}


def test_openapi_documents_every_endpoint_and_the_envelope(client):
    spec = client.get("/api/openapi.json").get_json()
    assert spec["openapi"].startswith("3.")
    expected = {
        ("/api/auth/register", "post"),
        ("/api/auth/login", "post"),
        ("/api/auth/refresh", "post"),
        ("/api/auth/logout", "post"),
        ("/api/auth/me", "get"),
        ("/api/wallet", "get"),
        ("/api/wallet/transactions", "get"),
        ("/api/invoices", "get"),
        ("/api/invoices", "post"),
        ("/api/invoices/mine", "get"),
        ("/api/invoices/{invoice_id}", "get"),
        ("/api/invoices/{invoice_id}/fund", "post"),
        ("/api/invoices/{invoice_id}/cancel", "post"),
        ("/api/invoices/{invoice_id}/settle", "post"),
        ("/api/portfolio", "get"),
        ("/api/dashboard/stats", "get"),
        ("/api/health", "get"),
    }
    documented = {(path, method) for path, ops in spec["paths"].items() for method in ops}
    assert expected <= documented
    fund = spec["paths"]["/api/invoices/{invoice_id}/fund"]["post"]
    assert {"401", "403", "404", "409", "422"} <= set(fund["responses"])
    error_schema = spec["components"]["schemas"]["Error"]
    assert "error" in error_schema["properties"]
    assert spec["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"


def test_docs_page_serves_its_assets_locally(client):
    page = client.get("/api/docs")
    assert page.status_code == 200 and b"/api/docs/assets/swagger-ui-bundle.js" in page.data
    assert b"http" not in page.data.split(b"<body>")[0].replace(b'charset="utf-8"', b"")
    assert client.get("/api/docs/assets/swagger-ui-bundle.js").status_code == 200
