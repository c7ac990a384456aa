"""Configuration, read from the environment (and `.env`) once.

`Config` is what production and `make run` use; `TestConfig` is what the test suite passes to
`create_app`. Nothing else in the package reads `os.environ`.
"""

import os
import secrets
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

from dotenv import load_dotenv

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_DIR = BASE_DIR / "instance"

load_dotenv(BASE_DIR / ".env")


def database_url(url: str | None) -> str:
    """Name the driver explicitly: psycopg2 is greened by eventlet's monkey-patching (and by
    psycogreen under gevent); SQLAlchemy 2.1 would map a bare postgresql:// to psycopg 3, whose
    C-level wait blocks the event loop."""
    if not url:
        INSTANCE_DIR.mkdir(exist_ok=True)
        return f"sqlite:///{INSTANCE_DIR / 'invoiceapp.db'}"
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg2://" + url[len(prefix) :]
    return url


def instance_secret(name: str) -> str:
    """A random key made once and kept under instance/; atomic so that two processes starting
    at once agree on one key (the loser of the link() race reads the winner's)."""
    INSTANCE_DIR.mkdir(exist_ok=True)
    path = INSTANCE_DIR / name
    if not path.exists():
        fd, tmp = tempfile.mkstemp(dir=INSTANCE_DIR, prefix=f".{name}-", suffix=".tmp")  # 0600
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_urlsafe(48))
        try:
            os.link(tmp, path)
        except FileExistsError:
            pass
        finally:
            os.unlink(tmp)
    return path.read_text().strip()


def _int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


def _float(name: str, default: float) -> float:
    return float(os.environ.get(name, default))


def _flag(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    return default if value is None else value.strip().lower() in ("1", "true", "yes", "on")


class Config:
    def __init__(self) -> None:
        env = os.environ
        self.PORT = _int("PORT", 5005)
        self.DATABASE_URL = database_url(env.get("DATABASE_URL"))
        self.REDIS_URL = env.get("REDIS_URL") or None
        self.ASYNC_MODE = env.get("ASYNC_MODE", "eventlet")
        self.FRONTEND_URL = env.get("FRONTEND_URL") or None
        # The public origin (https://invoices.example.com): the Socket.IO Origin check and the
        # Host check compare with it. ALLOWED_HOSTS adds other names this server answers to.
        self.PUBLIC_URL = (env.get("PUBLIC_URL") or "").rstrip("/") or None
        hosts = [h.strip() for h in env.get("ALLOWED_HOSTS", "").split(",") if h.strip()]
        if self.PUBLIC_URL:
            hosts.insert(0, urlsplit(self.PUBLIC_URL).netloc)
        self.ALLOWED_HOSTS = hosts
        self.MAX_CONNECTIONS = _int("MAX_CONNECTIONS", 10000)
        self.DEMO_WALLET_PAISE = _int("DEMO_WALLET_PAISE", 100_000_000)
        self.ACCESS_TOKEN_MINUTES = _int("ACCESS_TOKEN_MINUTES", 15)
        self.REFRESH_TOKEN_DAYS = _int("REFRESH_TOKEN_DAYS", 7)
        self.LOGIN_RATE_LIMIT = env.get("LOGIN_RATE_LIMIT", "10/minute;100/hour")
        # Guesses at one account, from any number of addresses.
        self.LOGIN_ACCOUNT_RATE_LIMIT = env.get("LOGIN_ACCOUNT_RATE_LIMIT", "5/minute;30/hour")
        self.REGISTER_RATE_LIMIT = env.get("REGISTER_RATE_LIMIT", "5/minute;50/hour")
        self.LISTING_RATE_LIMIT = env.get("LISTING_RATE_LIMIT", "10/minute;200/hour")
        # Database waits (see README, Configuration): a request never waits unboundedly.
        self.DB_POOL_SIZE = _int("DB_POOL_SIZE", 10)
        self.DB_POOL_TIMEOUT = _float("DB_POOL_TIMEOUT", 5)
        self.DB_CONNECT_TIMEOUT = _int("DB_CONNECT_TIMEOUT", 3)
        self.DB_LOCK_TIMEOUT_MS = _int("DB_LOCK_TIMEOUT_MS", 3000)
        self.DB_STATEMENT_TIMEOUT_MS = _int("DB_STATEMENT_TIMEOUT_MS", 10000)
        # The worker's jobs (auction closes, auto-invest, the daily run) may wait longer.
        self.WORKER_LOCK_TIMEOUT_MS = _int("WORKER_LOCK_TIMEOUT_MS", 15000)
        self.WORKER_STATEMENT_TIMEOUT_MS = _int("WORKER_STATEMENT_TIMEOUT_MS", 120000)
        # Socket.IO: an unauthenticated connection is closed after this many seconds, and one
        # client address may hold this many unauthenticated connections at once.
        self.SOCKET_AUTH_TIMEOUT = _float("SOCKET_AUTH_TIMEOUT", 30)
        self.UNAUTHENTICATED_SOCKETS_PER_IP = _int("UNAUTHENTICATED_SOCKETS_PER_IP", 100)
        # The Engine.IO heartbeat: a PING every interval; no PONG within the timeout closes it.
        self.SOCKET_PING_INTERVAL = _float("SOCKET_PING_INTERVAL", 25)
        self.SOCKET_PING_TIMEOUT = _float("SOCKET_PING_TIMEOUT", 20)
        self.EVENT_RETENTION_SECONDS = _int("EVENT_RETENTION_SECONDS", 600)
        self.EVENT_RETENTION_COUNT = _int("EVENT_RETENTION_COUNT", 10000)
        # argon2id cost; the defaults are argon2-cffi's (RFC 9106 low-memory profile).
        self.ARGON2_TIME_COST = _int("ARGON2_TIME_COST", 3)
        self.ARGON2_MEMORY_KIB = _int("ARGON2_MEMORY_KIB", 65536)
        # The invoice's life.
        self.ACCEPTANCE_DAYS = _int("ACCEPTANCE_DAYS", 3)
        self.GRACE_DAYS = _int("GRACE_DAYS", 7)
        self.LATE_PENALTY_BPS = _int("LATE_PENALTY_BPS", 1200)
        self.DEFAULT_AFTER_DAYS = _int("DEFAULT_AFTER_DAYS", 60)
        self.AUCTION_MIN_SECONDS = _int("AUCTION_MIN_SECONDS", 300)
        self.AUCTION_EXTENSION_SECONDS = _int("AUCTION_EXTENSION_SECONDS", 120)
        self.AUTO_INVEST_SHARE = _int("AUTO_INVEST_SHARE", 70)
        # Email: smtp://user:pass@host:port (smtps:// for TLS); unset, emails go to the log.
        self.SMTP_URL = env.get("SMTP_URL") or None
        self.MAIL_FROM = env.get("MAIL_FROM", "Invoice marketplace <no-reply@invoiceapp.local>")
        # Background jobs in this web process: the embedded default does it all in one
        # process; scaled out, the Procfile's worker: processes do it.
        self.RUN_JOBS = _flag("RUN_JOBS", not self.REDIS_URL)
        self.LOG_LEVEL = env.get("LOG_LEVEL", "INFO")
        self.LOG_FORMAT = env.get("LOG_FORMAT", "text")
        self.ACCESS_LOG = _flag("ACCESS_LOG", True)
        self.METRICS_TOKEN = env.get("METRICS_TOKEN") or None
        self.WORKER_METRICS_PORT = _int("WORKER_METRICS_PORT", 9105)
        # Proxies in front (nginx: 1) whose X-Forwarded-* headers are trusted, so rate limits
        # key on the client's address and the Origin check sees the public host.
        self.TRUSTED_PROXY_COUNT = _int("TRUSTED_PROXY_COUNT", 0)
        # The Redis channel (and key prefix) the workers share.
        self.REDIS_CHANNEL = env.get("REDIS_CHANNEL", "invoiceapp")

        secret = env.get("JWT_SECRET_KEY")
        if not secret:
            if self.REDIS_URL:
                raise RuntimeError(
                    "JWT_SECRET_KEY must be set when REDIS_URL is set: every worker "
                    "process must sign and verify tokens with the same key"
                )
            secret = instance_secret("jwt-secret")
        self.JWT_SECRET_KEY = secret


class TestConfig(Config):
    """Fast password hashing, no message queue, threading mode, no rate-limit interference."""

    __test__ = False  # not a pytest test class

    def __init__(self, database_url_: str | None = None, **overrides) -> None:
        super().__init__()
        self.TESTING = True
        self.DATABASE_URL = database_url(database_url_) if database_url_ else "sqlite://"
        self.REDIS_URL = None
        self.ASYNC_MODE = "threading"
        self.JWT_SECRET_KEY = "test-secret-key-that-is-long-enough-for-hs256"
        self.ARGON2_TIME_COST = 1
        self.ARGON2_MEMORY_KIB = 1024
        self.LOGIN_RATE_LIMIT = "1000/minute"
        self.LOGIN_ACCOUNT_RATE_LIMIT = "1000/minute"
        self.REGISTER_RATE_LIMIT = "1000/minute"
        self.LISTING_RATE_LIMIT = "1000/minute"
        self.RUN_JOBS = False
        self.ACCESS_LOG = False
        self.SMTP_URL = None
        for key, value in overrides.items():
            setattr(self, key, value)
