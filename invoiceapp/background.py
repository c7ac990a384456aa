"""The background loop: due jobs, auction closes, emails, the daily run, and trimming the event
streams. The Procfile's `worker:` processes run it (any number: every piece of work is claimed
in the database, so each runs once); the embedded default runs it inside its one web process.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from datetime import datetime, timedelta

from flask import Flask

from .models import utcnow
from .realtime import events
from .schemas.market import MarketStatsSchema
from .services import analytics, auctions, autoinvest, daily, email, jobs
from .services.dates import IST

log = logging.getLogger(__name__)

TICK_SECONDS = 0.2
DAILY_CHECK = timedelta(seconds=30)
TRIM_EVERY = timedelta(seconds=60)
MARKET_EVERY = timedelta(seconds=1)

__all__ = ["Background", "autoinvest"]  # autoinvest: its job handler registers on import


class Background:
    def __init__(self, app: Flask):
        config = app.config
        self.sender = config["MAIL_FROM"]
        self.smtp = (
            email.SmtpServer.from_url(config["SMTP_URL"], self.sender)
            if config["SMTP_URL"]
            else None
        )
        self.bus = app.extensions["invoiceapp.bus"]
        self._next_daily = self._next_trim = self._next_market = utcnow()

    def tick(self, now: datetime | None = None) -> bool:
        """Do what is due now; True if anything was done (then tick again at once)."""
        now = now or utcnow()
        busy = False
        for step in (
            self._jobs,
            self._auctions,
            self._market,
            self._emails,
            self._daily,
            self._trim,
        ):
            try:
                busy = step(now) or busy
            except Exception:
                log.exception("background step %s failed", step.__name__)
        return busy

    def _jobs(self, now: datetime) -> bool:
        ran = 0
        while ran < 20 and jobs.run_next(now):
            ran += 1
        return ran > 0

    def _auctions(self, now: datetime) -> bool:
        return auctions.close_due(now) > 0

    def _market(self, now: datetime) -> bool:
        """Push the market figures at most once a second, and only after they moved."""
        if now < self._next_market or not self.bus.take_flag("market"):
            return False
        self._next_market = now + MARKET_EVERY
        stats = MarketStatsSchema().dump(analytics.market_stats(fresh=True))
        self.bus.publish(
            [events.encode_one("marketStats", {"stats": stats}, [events.USERS], replay=False)]
        )
        return False

    def _emails(self, now: datetime) -> bool:
        return email.send_pending(self.smtp, self.sender, now) > 0

    def _daily(self, now: datetime) -> bool:
        if now < self._next_daily:
            return False
        self._next_daily = now + DAILY_CHECK
        yesterday = now.astimezone(IST).date() - timedelta(days=1)
        last = daily.last_run()
        if last is None or last < yesterday:
            daily.run_daily(yesterday)
            return True
        return False

    def _trim(self, now: datetime) -> bool:
        if now >= self._next_trim:
            self._next_trim = now + TRIM_EVERY
            self.bus.trim()
        return False

    def run_forever(
        self, sleep: Callable[[float], None] = time.sleep, stop: Callable[[], bool] = lambda: False
    ) -> None:
        log.info("background jobs running")
        while not stop():
            if not self.tick():
                sleep(TICK_SECONDS)
