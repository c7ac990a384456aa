"""The real app (`python wsgi.py`, eventlet, SQLite: the embedded default) on a free port, and
Debian's Chromium driven by Playwright (test tools cannot download browsers here)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from deploy.cluster import ROOT, free_port, wait_healthy
from tests.conftest import IN_CI
from tests.support.databases import migrate

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = ROOT / "test-artifacts" / "screenshots"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


class AppServer:
    def __init__(self, tmp: Path):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.db_url = f"sqlite:///{tmp / 'e2e.db'}"
        self.log = tmp / "server.log"
        self.proc: subprocess.Popen | None = None
        migrate(self.db_url)

    def environment(self) -> dict[str, str]:
        """The app's environment: this server's port and database, cheap password hashing, no
        rate limits in the way, one process (no Redis). The CLI commands run with it too."""
        env = {
            **os.environ,
            "PORT": str(self.port),
            "HOST": "127.0.0.1",
            "DATABASE_URL": self.db_url,
            "JWT_SECRET_KEY": "e2e-secret-key-long-enough-for-hs256",
            "ARGON2_TIME_COST": "1",
            "ARGON2_MEMORY_KIB": "8192",
            "LOGIN_RATE_LIMIT": "1000/minute",
            "REGISTER_RATE_LIMIT": "1000/minute",
            # Auctions short enough to watch one close: bids from 20 s, extended by 5 s.
            "AUCTION_MIN_SECONDS": "20",
            "AUCTION_EXTENSION_SECONDS": "5",
        }
        env.pop("REDIS_URL", None)
        return env

    def start(self) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, str(ROOT / "wsgi.py")],
            cwd=ROOT,
            env=self.environment(),
            stdout=open(self.log, "ab"),
            stderr=subprocess.STDOUT,
        )
        wait_healthy(self.url, proc=self.proc)

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(timeout=10)


@pytest.fixture(scope="session")
def server(tmp_path_factory):
    if not (ROOT / "frontend" / "dist" / "index.html").exists():
        pytest.fail("the SPA is not built: run `make frontend` (make test does)")
    app_server = AppServer(tmp_path_factory.mktemp("e2e"))
    app_server.start()
    yield app_server
    app_server.stop()


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        if IN_CI:
            pytest.fail(f"{CHROMIUM} is missing: .ci/run installs chromium")
        pytest.skip(f"{CHROMIUM} is missing (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


@pytest.fixture
def new_page(browser, server):
    contexts = []

    def _new_page():
        context = browser.new_context(base_url=server.url, viewport={"width": 1280, "height": 860})
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(10_000)
        return page

    yield _new_page
    for context in contexts:
        context.close()


def open_page(new_page, account, path: str, width: int = 1280, route=None, init_scripts=()):
    """A page signed in as `account` (its session put where the SPA keeps it), with requests
    matching `route` = (pattern, handler) answered by the handler."""
    page = new_page()
    page.set_viewport_size({"width": width, "height": 860})
    for script in init_scripts:
        page.add_init_script(path=str(script))
    if account is not None:
        session = json.dumps(account.session)
        page.add_init_script(f"localStorage.setItem('invoiceapp.session', {json.dumps(session)})")
    if route is not None:
        page.route(*route)
    page.goto(path)
    return page


def screenshot(page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.wait_for_timeout(600)  # let slide-in and fade animations finish
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
