"""Club mail fixtures: a real SMTP server (aiosmtpd) on 127.0.0.1, orders with stage events, the car pictures."""

import asyncio
import email
import email.policy
import json
import socket
import threading
from datetime import UTC, datetime

import pytest
from aiosmtpd.controller import Controller
from sqlmodel import Session

from app.catalog import load_catalogue
from app.club.delivery import MailSettings
from app.orders.models import Order, StageEvent
from app.orders.placement import frozen, spec_of
from app.render import open_pictures


class Mailbox:
    """An SMTP handler that keeps what it accepts, and misbehaves on request."""

    def __init__(self) -> None:
        self.messages: list[email.message.EmailMessage] = []
        self.busy_times = 0  # answer the next N mails with 451 (try later)
        self.late_times = 0  # accept the next N mails, then answer only after `late_seconds`
        self.late_seconds = 0.0
        self.unknown: set[str] = set()  # addresses refused with 550
        self.lock = threading.Lock()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.unknown:
            return "550 5.1.1 No such mailbox here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            if self.busy_times:
                self.busy_times -= 1
                return "451 4.3.0 Mailbox busy, try again later"
            self.messages.append(email.message_from_bytes(envelope.content, policy=email.policy.default))
            late, self.late_times = self.late_times > 0, max(self.late_times - 1, 0)
        if late:  # kept, but the sender has stopped waiting before it hears so
            await asyncio.sleep(self.late_seconds)
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list[email.message.EmailMessage]:
        return [m for m in self.messages if m["To"] == address]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def mailbox() -> Mailbox:
    return Mailbox()


@pytest.fixture
def smtp(mailbox) -> MailSettings:
    """Mail settings pointing at a running local SMTP server (plain, no TLS) that stores into `mailbox`."""
    controller = Controller(mailbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield MailSettings(host="127.0.0.1", port=controller.port, security="none", timeout=5, daily_cap=4)
    controller.stop()


@pytest.fixture(autouse=True)
def data_dir(tmp_path, monkeypatch):
    """The signing key and the .eml folder live in the test's own data directory."""
    monkeypatch.setenv("MOTORJOY_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("MOTORJOY_PUBLIC_URL", "https://motorjoy.example")
    return tmp_path


@pytest.fixture(scope="session")
def catalogue():
    return load_catalogue()


@pytest.fixture(scope="session")
def pictures(tmp_path_factory):
    return open_pictures(cache_dir=tmp_path_factory.mktemp("render-cache"))


def add_order(
    session: Session,
    number: str,
    *,
    email: str = "fiona@example.com",
    nickname: str = "McGregor",
    placed_at: datetime = datetime(2024, 1, 10, 9, 0, tzinfo=UTC),
    stages: dict[str, datetime] | None = None,
    spec: dict | None = None,
    **preferences,
) -> Order:
    """An order with one stage event per entry of `stages` (the at_sea one sailing on the Northern Lights)."""
    text, digest = frozen(spec if spec is not None else spec_of(load_catalogue(), load_catalogue().build_from("hatch")))
    order = Order(
        number=number,
        nickname=nickname,
        customer_name="Fiona MacLeod",
        customer_email=email,
        model_id=json.loads(text).get("model", "hatch"),
        spec=text,
        spec_hash=digest,
        placed_at=placed_at,
        **preferences,
    )
    session.add(order)
    session.flush()
    for stage, moment in (stages or {"ordered": placed_at}).items():
        vessel = "Northern Lights" if stage == "at_sea" else ""
        session.add(StageEvent(order_id=order.id, stage=stage, reached_at=moment, vessel=vessel, source="test"))
    session.flush()
    return order
