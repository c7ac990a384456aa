import threading

import pytest

import config
from config import Config, TestConfig, database_url
from invoiceapp import create_app


@pytest.mark.parametrize(
    "given,expected",
    [
        ("postgresql://u@h:5432/db", "postgresql+psycopg2://u@h:5432/db"),
        ("postgres://u@h/db", "postgresql+psycopg2://u@h/db"),
        ("sqlite:////tmp/x.db", "sqlite:////tmp/x.db"),
    ],
)
def test_database_urls_work_as_given_with_the_green_driver(given, expected):
    assert database_url(given) == expected


def test_a_scaled_out_app_refuses_to_start_without_a_jwt_secret(monkeypatch):
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:6379/0")
    monkeypatch.delenv("JWT_SECRET_KEY", raising=False)
    with pytest.raises(RuntimeError, match="JWT_SECRET_KEY"):
        Config()


def test_single_process_secret_is_made_once_atomically_and_kept(monkeypatch, tmp_path):
    monkeypatch.setattr(config, "INSTANCE_DIR", tmp_path)
    monkeypatch.delenv("REDIS_URL", raising=False)
    monkeypatch.delenv("JWT_SECRET_KEY", raising=False)
    seen = []
    threads = [
        threading.Thread(target=lambda: seen.append(Config().JWT_SECRET_KEY)) for _ in range(8)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(set(seen)) == 1 and len(seen[0]) >= 32
    assert seen[0] == Config().JWT_SECRET_KEY
    assert (tmp_path / "jwt-secret").stat().st_mode & 0o077 == 0
    assert not list(tmp_path.glob("*.tmp"))


def test_health_is_503_when_the_database_is_down():
    app = create_app(TestConfig("postgresql://postgres@127.0.0.1:1/nowhere"))
    response = app.test_client().get("/api/health")
    assert response.status_code == 503
    assert response.get_json() == {
        "status": "down",
        "database": "down",
        "message_queue": "disabled",
    }
