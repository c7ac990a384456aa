"""Email for notifications, sent by the worker, never inside a request.

Each notification row is its own outbox entry (`email_status`). The worker claims pending rows
(`FOR UPDATE SKIP LOCKED`) and marks them `sending` in a committed transaction BEFORE talking
to the SMTP server; only then does it send. A failure before the server accepts the message puts
the row back to `pending` with backoff; an accepted message is marked `sent`. So a message the
server accepted is never sent again: if the worker dies after the server accepted it (or in
between), the row stays `sending`, and `flask jobs failed` lists it for a person to decide.

The mail library is the standard library's `smtplib` and `email.message` (no third-party one
adds anything we need); with SMTP_URL unset, emails are written to the log instead.
"""

from __future__ import annotations

import logging
import smtplib
import ssl
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage
from urllib.parse import unquote, urlsplit

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from .. import db
from ..models import EmailStatus, Notification, User, utcnow

log = logging.getLogger(__name__)

BATCH = 20
MAX_ATTEMPTS = 6
STUCK_AFTER = timedelta(minutes=10)


@dataclass(frozen=True)
class SmtpServer:
    host: str
    port: int
    username: str | None
    password: str | None
    tls: bool  # smtps:// (implicit TLS)
    sender: str

    @classmethod
    def from_url(cls, url: str, sender: str) -> SmtpServer:
        parts = urlsplit(url)
        if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
            raise ValueError("SMTP_URL must look like smtp://user:pass@host:port or smtps://...")
        tls = parts.scheme == "smtps"
        return cls(
            host=parts.hostname,
            port=parts.port or (465 if tls else 25),
            username=unquote(parts.username) if parts.username else None,
            password=unquote(parts.password) if parts.password else None,
            tls=tls,
            sender=sender,
        )

    def send(self, message: EmailMessage, timeout: float = 10.0) -> None:
        connect = smtplib.SMTP_SSL if self.tls else smtplib.SMTP
        options = {"context": ssl.create_default_context()} if self.tls else {}
        with connect(self.host, self.port, timeout=timeout, **options) as client:
            if self.username:
                client.login(self.username, self.password or "")
            client.send_message(message)


@dataclass
class Outgoing:
    notification_id: int
    attempts: int
    message: EmailMessage


def _compose(notification: Notification, user: User, sender: str) -> EmailMessage:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = user.email
    message["Subject"] = notification.title
    message.set_content(
        f"Hello {user.name},\n\n{notification.body}\n\n"
        "You receive this because email notifications are on for your account; turn them off "
        "on your account page.\n"
    )
    return message


def claim(sender: str, now: datetime) -> list[Outgoing]:
    """Take a batch of pending notifications and mark them `sending` (committed)."""

    def work(session: Session) -> list[Outgoing]:
        rows = session.execute(
            select(Notification, User)
            .join(User, User.id == Notification.user_id)
            .where(
                Notification.email_status == EmailStatus.PENDING,
                (Notification.email_next_at.is_(None)) | (Notification.email_next_at <= now),
            )
            .order_by(Notification.id)
            .limit(BATCH)
            .with_for_update(of=Notification, skip_locked=True)
        ).all()
        claimed = []
        for notification, user in rows:
            if not user.email_notifications:
                notification.email_status = EmailStatus.SKIPPED
                continue
            notification.email_status = EmailStatus.SENDING
            claimed.append(
                Outgoing(
                    notification.id,
                    notification.email_attempts,
                    _compose(notification, user, sender),
                )
            )
        return claimed

    return db.transaction(work)


def _finish(notification_id: int, **values) -> None:
    db.transaction(
        lambda session: session.execute(
            update(Notification).where(Notification.id == notification_id).values(**values)
        )
    )


def send_pending(server: SmtpServer | None, sender: str, now: datetime | None = None) -> int:
    """Email every due notification once; returns how many were handled."""
    now = now or utcnow()
    batch = claim(sender, now)
    for outgoing in batch:
        try:
            if server is None:
                log.info(
                    "email (SMTP_URL unset) to=%s subject=%s",
                    outgoing.message["To"],
                    outgoing.message["Subject"],
                )
            else:
                server.send(outgoing.message)
        except (smtplib.SMTPException, OSError) as exc:
            # Not accepted by the server: safe to try again later.
            attempts = outgoing.attempts + 1
            give_up = attempts >= MAX_ATTEMPTS
            log.warning("email for notification %s failed: %s", outgoing.notification_id, exc)
            _finish(
                outgoing.notification_id,
                email_status=EmailStatus.FAILED if give_up else EmailStatus.PENDING,
                email_attempts=attempts,
                email_next_at=now + timedelta(seconds=min(600, 5 * 2**attempts)),
            )
            continue
        _finish(outgoing.notification_id, email_status=EmailStatus.SENT)
    return len(batch)


def undelivered() -> list[Notification]:
    """Emails given up on, and those left `sending` by a worker that stopped mid-send."""
    cutoff = utcnow() - STUCK_AFTER
    return db.read(
        lambda session: list(
            session.scalars(
                select(Notification)
                .where(
                    (Notification.email_status == EmailStatus.FAILED)
                    | (
                        (Notification.email_status == EmailStatus.SENDING)
                        & (Notification.created_at < cutoff)
                    )
                )
                .order_by(Notification.id)
            )
        )
    )
