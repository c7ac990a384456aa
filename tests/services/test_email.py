"""Email through a real SMTP server (aiosmtpd on a free port): sent by the background loop,
never twice once accepted, retried when the server is down, skipped for those who opted out."""

from __future__ import annotations

from email.header import decode_header, make_header

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.handlers import Message
from sqlalchemy import select

from deploy.cluster import free_port
from invoiceapp import db
from invoiceapp.background import Background
from invoiceapp.models import EmailStatus, Notification


class Inbox(Message):
    def __init__(self):
        super().__init__()
        self.messages = []

    def handle_message(self, message):
        self.messages.append(message)


class SmtpSink:
    """aiosmtpd on a free port, which a test can stop and start again."""

    def __init__(self):
        self.inbox = Inbox()
        self.port = free_port()
        self.controller = None

    def start(self):
        self.controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self):
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    @property
    def messages(self):
        return self.inbox.messages


@pytest.fixture
def smtp():
    sink = SmtpSink()
    sink.start()
    yield sink
    sink.stop()


def subject(message) -> str:
    return str(make_header(decode_header(message["Subject"])))


def statuses() -> list[EmailStatus]:
    return db.read(
        lambda s: list(s.scalars(select(Notification.email_status).order_by(Notification.id)))
    )


@pytest.fixture
def background(app, smtp):
    app.config["SMTP_URL"] = f"smtp://127.0.0.1:{smtp.port}"
    return Background(app)


def test_notifications_are_emailed_once_by_the_worker(
    background, smtp, factory, seller, investor, client
):
    inbox = smtp
    invoice = factory.invoice(seller)
    factory.fund(investor, invoice["id"], 200_000_00)
    assert inbox.messages == []  # never inside the request
    background.tick()
    assert sorted(m["To"] for m in inbox.messages) == sorted([seller.email, investor.email])
    to_seller = next(m for m in inbox.messages if m["To"] == seller.email)
    assert "₹2,00,000.00" in subject(to_seller)
    assert statuses() == [EmailStatus.SENT, EmailStatus.SENT]
    background.tick()
    assert len(inbox.messages) == 2


def test_nothing_is_sent_to_who_opted_out(background, smtp, factory, seller, investor, client):
    inbox = smtp
    client.patch("/api/auth/me", json={"email_notifications": False}, headers=seller.headers)
    invoice = factory.invoice(seller)
    factory.fund(investor, invoice["id"], 200_000_00)
    background.tick()
    assert [m["To"] for m in inbox.messages] == [investor.email]
    assert sorted(statuses()) == sorted([EmailStatus.SKIPPED, EmailStatus.SENT])


def test_a_server_that_is_down_is_retried_later(background, smtp, factory, seller, investor):
    from datetime import timedelta

    from invoiceapp.models import utcnow

    inbox = smtp
    smtp.stop()
    invoice = factory.invoice(seller)
    factory.fund(investor, invoice["id"], 200_000_00)
    background.tick()
    assert statuses() == [EmailStatus.PENDING, EmailStatus.PENDING]
    attempts = db.read(lambda s: s.scalars(select(Notification.email_attempts)).all())
    assert attempts == [1, 1]
    smtp.start()
    background.tick()  # not yet: backing off
    assert inbox.messages == []
    background.tick(utcnow() + timedelta(minutes=5))
    assert len(inbox.messages) == 2 and statuses() == [EmailStatus.SENT, EmailStatus.SENT]


def test_without_smtp_emails_go_to_the_log(app, factory, seller, investor, caplog):
    app.config["SMTP_URL"] = None
    invoice = factory.invoice(seller)
    factory.fund(investor, invoice["id"], 200_000_00)
    with caplog.at_level("INFO", logger="invoiceapp.services.email"):
        Background(app).tick()
    assert any("SMTP_URL unset" in record.getMessage() for record in caplog.records)
    assert statuses() == [EmailStatus.SENT, EmailStatus.SENT]
